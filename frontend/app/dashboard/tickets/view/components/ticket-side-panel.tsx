"use client";

import { MessageSquare } from "lucide-react";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { ReactNode } from "react";
import { RelativeTime } from "@/components/relative-time";
import { SourceBadge } from "@/components/ui/badges";
import { Select } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { errorMessage } from "@/lib/api";
import type { TicketDetail, TicketPriority, TicketStatus } from "@/lib/api-types";
import { useUpdateTicket } from "@/lib/queries/tickets";
import { activeUsersQuery } from "@/lib/queries/users";
import { PRIORITY_META, STATUS_META, TICKET_PRIORITIES, TICKET_STATUSES } from "@/lib/ticket-meta";
import { routes } from "@/lib/urls";
import { eventIds, useUndoToast } from "../hooks/use-undo-toast";
import { TicketCaller } from "./ticket-caller";

/** Status and priority change at once on the page (optimistic); a failure puts them back. */
export function TicketSidePanel({ ticket }: { ticket: TicketDetail }) {
  const update = useUpdateTicket(ticket.number);
  const people = useQuery(activeUsersQuery());
  const saving = update.isPending ? savingField(update.variables) : null;
  const error = update.error ? errorMessage(update.error) : null;
  const { offerUndo } = useUndoToast(ticket.number);
  const assignees = people.data ?? [];
  const save = (
    change: { status: TicketStatus } | { priority: TicketPriority } | { assignee_id: string | null },
  ) => {
    const seen = eventIds(ticket);
    update.mutate(change, { onSuccess: (after) => offerUndo(seen, after, changeMessage(change, assignees)) });
  };
  // The current assignee stays choosable even when no longer active (or not loaded yet).
  const choices =
    ticket.assignee && !assignees.some((u) => u.id === ticket.assignee?.id)
      ? [{ id: ticket.assignee.id, name: ticket.assignee.name }, ...assignees]
      : assignees;
  const { status, priority } = ticket;

  return (
    <aside aria-label="Ticket properties" className="rounded-xl bg-white p-5 shadow-xs ring-1 ring-zinc-950/5">
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-1">
        <label className="block">
          <span className="mb-1.5 flex items-center gap-2 text-xs font-medium text-zinc-500">
            Status {saving === "status" ? <Spinner className="size-3" /> : null}
          </span>
          <Select
            value={status}
            disabled={saving !== null}
            onChange={(e) => void save({ status: e.target.value as TicketStatus })}
            data-testid="ticket-status-select"
            explicit
            className="w-full"
          >
            {TICKET_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_META[s].label}
              </option>
            ))}
          </Select>
        </label>
        <label className="block">
          <span className="mb-1.5 flex items-center gap-2 text-xs font-medium text-zinc-500">
            Priority {saving === "priority" ? <Spinner className="size-3" /> : null}
          </span>
          <Select
            value={priority}
            disabled={saving !== null}
            onChange={(e) => void save({ priority: e.target.value as TicketPriority })}
            data-testid="ticket-priority-select"
            explicit
            className="w-full"
          >
            {TICKET_PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {PRIORITY_META[p].label}
              </option>
            ))}
          </Select>
        </label>
      </div>
      {error ? (
        <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-xs text-red-700" data-testid="ticket-update-error">
          {error}
        </p>
      ) : null}

      <TicketCaller ticket={ticket} />

      <dl className="mt-5 space-y-3 border-t border-zinc-100 pt-4 text-sm">
        <Row label="Category">{ticket.category ?? <Muted>None</Muted>}</Row>
        <Row label="Source">
          <SourceBadge source={ticket.source} />
        </Row>
        <Row label="Assignee">
          <span className="inline-flex items-center gap-2">
            {saving === "assignee" ? <Spinner className="size-3" /> : null}
            <Select
              value={ticket.assignee?.id ?? ""}
              disabled={saving !== null}
              onChange={(e) => save({ assignee_id: e.target.value || null })}
              aria-label="Assignee"
              data-testid="ticket-assignee-select"
              explicit
              className="w-44"
            >
              <option value="">Unassigned</option>
              {choices.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </Select>
          </span>
        </Row>
        <Row label="Created by">{ticket.created_by?.name ?? <Muted>Unknown</Muted>}</Row>
        <Row label="Created">
          <RelativeTime iso={ticket.created_at} />
        </Row>
        <Row label="Updated">
          <RelativeTime iso={ticket.updated_at} />
        </Row>
        {ticket.chat_session_id ? (
          <Row label="Chat">
            <Link
              href={routes.chat(ticket.chat_session_id)}
              className="inline-flex items-center gap-1 rounded text-accent-700 hover:underline"
              data-testid="ticket-chat-link"
            >
              <MessageSquare aria-hidden="true" className="size-3.5" />
              Open conversation
            </Link>
          </Row>
        ) : null}
      </dl>
    </aside>
  );
}

function changeMessage(
  change: { status?: TicketStatus; priority?: TicketPriority; assignee_id?: string | null },
  people: { id: string; name: string }[],
): string {
  if (change.status) return `Status changed to ${STATUS_META[change.status].label}`;
  if (change.priority) return `Priority changed to ${PRIORITY_META[change.priority].label}`;
  const person = people.find((u) => u.id === change.assignee_id);
  return person ? `Assigned to ${person.name}` : "Unassigned";
}

function savingField(change: { status?: unknown; priority?: unknown; assignee_id?: unknown; contact_id?: unknown }) {
  if (change.status) return "status";
  if (change.priority) return "priority";
  if ("contact_id" in change) return "caller";
  return "assignee";
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex items-center justify-between gap-3">
      <dt className="text-zinc-500">{label}</dt>
      <dd className="min-w-0 truncate text-right text-zinc-800">{children}</dd>
    </div>
  );
}

function Muted({ children }: { children: ReactNode }) {
  return <span className="text-zinc-500">{children}</span>;
}
