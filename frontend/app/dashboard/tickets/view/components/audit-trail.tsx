import { Bot, Globe, History, Pencil, PlusCircle, StickyNote, type LucideIcon } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { RelativeTime } from "@/components/relative-time";
import { truncate } from "@/lib/format";
import { priorityLabel, statusLabel } from "@/lib/ticket-meta";
import type { Channel, TicketEvent, TicketEventAction } from "@/lib/api-types";
import { routes } from "@/lib/urls";

const ACTION_ICONS: Record<TicketEventAction, LucideIcon> = {
  created: PlusCircle,
  updated: Pencil,
  note_added: StickyNote,
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
};

const VALUE_FORMATTERS: Record<string, (v: unknown) => string> = {
  status: statusLabel,
  priority: priorityLabel,
};

function formatValue(field: string | null, value: unknown): string {
  if (value === null || value === undefined || value === "") return "none";
  const formatter = field ? VALUE_FORMATTERS[field] : undefined;
  if (formatter) return formatter(value);
  if (typeof value === "object" && value && "name" in value) return String((value as { name: unknown }).name);
  if (typeof value === "string") return truncate(value, 60);
  return truncate(JSON.stringify(value), 60);
}

/** Long text fields are summarised rather than quoted. */
const LONG_FIELDS = new Set(["description"]);

function describe(event: TicketEvent): ReactNode {
  const { action, field } = event;
  if (action === "created") return "created the ticket";
  if (action === "note_added") return "added a note";
  const label = (field && FIELD_LABELS[field]) ?? field ?? "the ticket";
  if (!field || LONG_FIELDS.has(field)) return `updated the ${label}`;
  return (
    <>
      changed {label} from <Value>{formatValue(field, event.old_value)}</Value> to{" "}
      <Value>{formatValue(field, event.new_value)}</Value>
    </>
  );
}

function Value({ children }: { children: ReactNode }) {
  return <span className="font-medium text-zinc-800">{children}</span>;
}

function ChannelNote({ event }: { event: TicketEvent }) {
  const byChannel: Record<Channel, ReactNode> = {
    chat: event.chat_session_id ? (
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

export function AuditTrail({ events }: { events: TicketEvent[] }) {
  return (
    <section aria-labelledby="activity-heading" className="rounded-xl bg-white p-5 shadow-xs ring-1 ring-zinc-950/5">
      <h2 id="activity-heading" className="flex items-center gap-2 text-sm font-semibold text-zinc-900">
        <History aria-hidden="true" className="size-4 text-zinc-400" />
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
                  <span className="font-medium text-zinc-900">{event.actor?.name ?? "System"}</span> {describe(event)}{" "}
                  <ChannelNote event={event} />
                  <span className="text-zinc-400"> · </span>
                  <RelativeTime iso={event.created_at} className="text-zinc-400" />
                </p>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
