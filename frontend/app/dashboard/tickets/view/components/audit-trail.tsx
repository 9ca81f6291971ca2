"use client";

import { Bot, Globe, History, Pencil, PlusCircle, StickyNote, Undo2, type LucideIcon } from "lucide-react";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useMemo, type ReactNode } from "react";
import { RelativeTime } from "@/components/relative-time";
import { Spinner } from "@/components/ui/spinner";
import { errorMessage } from "@/lib/api";
import { truncate } from "@/lib/format";
import { priorityLabel, statusLabel } from "@/lib/ticket-meta";
import type { Channel, TicketEvent, TicketEventAction } from "@/lib/api-types";
import { useUndoTicketEvent } from "@/lib/queries/tickets";
import { activeUsersQuery } from "@/lib/queries/users";
import { routes } from "@/lib/urls";

const ACTION_ICONS: Record<TicketEventAction, LucideIcon> = {
  created: PlusCircle,
  updated: Pencil,
  note_added: StickyNote,
  reverted: Undo2,
};

const FIELD_LABELS: Record<string, string> = {
  status: "status",
  priority: "priority",
  title: "title",
  description: "description",
  category: "category",
  assignee_id: "assignee",
  assignee: "assignee",
  source: "source",
  contact: "caller",
};

const VALUE_FORMATTERS: Record<string, (v: unknown) => string> = {
  status: statusLabel,
  priority: priorityLabel,
};

/** User ids by name: the desk's people and everyone the trail names. */
type Names = ReadonlyMap<string, string>;

function formatValue(field: string | null, value: unknown, names: Names): string {
  if (value === null || value === undefined || value === "") return "none";
  if (field === "assignee_id" && typeof value === "string") return names.get(value) ?? "a former agent";
  const formatter = field ? VALUE_FORMATTERS[field] : undefined;
  if (formatter) return formatter(value);
  if (typeof value === "object" && value && "name" in value) return String((value as { name: unknown }).name);
  if (typeof value === "string") return truncate(value, 60);
  return truncate(JSON.stringify(value), 60);
}

/** Long text fields are summarised rather than quoted. */
const LONG_FIELDS = new Set(["description"]);

function describe(event: TicketEvent, names: Names): ReactNode {
  const { action, field } = event;
  if (action === "created") return "created the ticket";
  if (action === "note_added") return "added a note";
  if (action === "reverted") {
    if (field === "note") return "retracted a note (undo)";
    const label = (field && FIELD_LABELS[field]) ?? field ?? "the change";
    return (
      <>
        undid a change: {label} back to <Value>{formatValue(field, event.new_value, names)}</Value>
      </>
    );
  }
  const label = (field && FIELD_LABELS[field]) ?? field ?? "the ticket";
  if (!field || LONG_FIELDS.has(field)) return `updated the ${label}`;
  return (
    <>
      changed {label} from <Value>{formatValue(field, event.old_value, names)}</Value> to{" "}
      <Value>{formatValue(field, event.new_value, names)}</Value>
    </>
  );
}

function Value({ children }: { children: ReactNode }) {
  return <span className="font-medium text-zinc-800">{children}</span>;
}

/** An AI write: who approved it, or that it ran without asking. */
function Approval({ event }: { event: TicketEvent }) {
  if (event.approved_by) {
    return (
      <span className="text-zinc-500" data-testid="audit-approved-by">
        , approved by <span className="font-medium text-zinc-800">{event.approved_by.name}</span>
      </span>
    );
  }
  return event.write_id ? <span className="text-zinc-500"> (without asking)</span> : null;
}

function ChannelNote({ event }: { event: TicketEvent }) {
  const byChannel: Record<Channel, ReactNode> = {
    chat: (
      <>
        {event.chat_session_id ? (
          <Link
            href={routes.chat(event.chat_session_id)}
            className="inline-flex items-center gap-1 rounded font-medium text-violet-700 hover:underline"
            data-testid="audit-chat-link"
          >
            <Bot aria-hidden="true" className="size-3.5" />
            via AI chat
          </Link>
        ) : (
          <span className="inline-flex items-center gap-1 font-medium text-violet-700">
            <Bot aria-hidden="true" className="size-3.5" />
            via AI chat
          </span>
        )}
        <Approval event={event} />
      </>
    ),
    api: (
      <span className="inline-flex items-center gap-1 text-zinc-500">
        <Globe aria-hidden="true" className="size-3.5" />
        via API
      </span>
    ),
    ui: null,
  };
  return byChannel[event.channel] ?? null;
}

/** The first event of each AI write carries its Undo (undoing it undoes the whole write). */
function undoableIds(events: TicketEvent[]): Set<string> {
  const seen = new Set<string>();
  const ids = new Set<string>();
  for (const event of events) {
    if (!event.can_undo || !event.write_id || seen.has(event.write_id)) continue;
    seen.add(event.write_id);
    ids.add(event.id);
  }
  return ids;
}

export function AuditTrail({ events, ticketNumber }: { events: TicketEvent[]; ticketNumber: number }) {
  const undoEvent = useUndoTicketEvent(ticketNumber);
  const undoing = undoEvent.isPending ? undoEvent.variables : null;
  const error = undoEvent.error ? errorMessage(undoEvent.error) : null;
  const undoable = undoableIds(events);
  const undo = (event: TicketEvent) => undoEvent.mutate(event.id);
  const people = useQuery(activeUsersQuery());
  const names = useMemo(() => {
    const known = new Map<string, string>((people.data ?? []).map((u) => [u.id, u.name]));
    for (const e of events) for (const who of [e.actor, e.approved_by]) if (who) known.set(who.id, who.name);
    return known;
  }, [people.data, events]);

  return (
    <section aria-labelledby="activity-heading" className="rounded-xl bg-white p-5 shadow-xs ring-1 ring-zinc-950/5">
      <h2 id="activity-heading" className="flex items-center gap-2 text-sm font-semibold text-zinc-900">
        <History aria-hidden="true" className="size-4 text-zinc-500" />
        Activity
      </h2>
      {events.length === 0 ? (
        <p className="mt-2 text-sm text-zinc-500">No activity yet.</p>
      ) : (
        <ol className="relative mt-4 space-y-4 before:absolute before:top-2 before:bottom-2 before:left-[13px] before:w-px before:bg-zinc-200" data-testid="audit-trail">
          {events.map((event) => {
            const Icon = ACTION_ICONS[event.action] ?? Pencil;
            return (
              <li
                key={event.id}
                className="relative flex gap-3"
                data-testid="audit-event"
                data-channel={event.channel}
                data-action={event.action}
                data-field={event.field ?? undefined}
              >
                <span className="relative z-10 grid size-7 shrink-0 place-items-center rounded-full bg-white ring-1 ring-zinc-200">
                  <Icon aria-hidden="true" className="size-3.5 text-zinc-500" />
                </span>
                <p className="min-w-0 pt-1 text-sm text-zinc-600">
                  <span className="font-medium text-zinc-900">{event.actor?.name ?? "System"}</span> {describe(event, names)}{" "}
                  <ChannelNote event={event} />
                  <span className="text-zinc-500"> · </span>
                  <RelativeTime iso={event.created_at} className="text-zinc-500" />
                  {event.reverted ? (
                    <span className="text-zinc-500" data-testid="audit-undone">
                      {" "}
                      · undone
                    </span>
                  ) : null}
                  {undoable.has(event.id) ? (
                    <>
                      <span className="text-zinc-500"> · </span>
                      <button
                        type="button"
                        onClick={() => undo(event)}
                        disabled={undoing !== null}
                        className="inline-flex items-center gap-1 rounded font-medium text-accent-700 hover:underline focus-visible:outline-2 focus-visible:outline-accent-500 disabled:text-zinc-400"
                        data-testid="audit-undo"
                      >
                        {undoing === event.id ? <Spinner className="size-3" /> : <Undo2 aria-hidden="true" className="size-3.5" />}
                        Undo
                      </button>
                    </>
                  ) : null}
                </p>
              </li>
            );
          })}
        </ol>
      )}
      {error ? (
        <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-xs text-red-700" data-testid="audit-undo-error">
          {error}
        </p>
      ) : null}
    </section>
  );
}
