import { ChevronRight } from "lucide-react";
import Link from "next/link";
import { PriorityBadge, SourceBadge, StatusBadge } from "@/components/ui/badges";
import { RelativeTime } from "@/components/relative-time";
import { Skeleton } from "@/components/ui/skeleton";
import { Snippet } from "@/components/snippet";
import { CallerName } from "@/components/callers/caller-name";
import type { SearchHit, TicketSummary } from "@/lib/api-types";
import { routes } from "@/lib/urls";

// The title keeps at least 10rem: narrower screens drop Source (below xl), then Assignee and
// Caller (below lg) rather than squeeze it; below lg the caller is named under the title.
const GRID =
  "md:grid md:items-center md:gap-3 md:grid-cols-[4.5rem_minmax(10rem,1fr)_7.5rem_6rem_6.5rem] " +
  "lg:grid-cols-[4.5rem_minmax(10rem,1fr)_9rem_7.5rem_6rem_9rem_6.5rem] " +
  "xl:grid-cols-[4.5rem_minmax(10rem,1fr)_9rem_7.5rem_6rem_5.5rem_9rem_6.5rem]";

/** `onOpen`: a row was followed (before the ticket page opens). */
export function TicketList({ tickets, onOpen }: { tickets: Array<TicketSummary | SearchHit>; onOpen?: () => void }) {
  return (
    <div className="overflow-hidden rounded-xl bg-white shadow-xs ring-1 ring-zinc-950/5">
      <div
        aria-hidden="true"
        data-testid="ticket-list-header"
        className={`hidden border-b border-zinc-100 bg-zinc-50/80 px-4 py-2 text-xs font-medium text-zinc-500 ${GRID}`}
      >
        <span>#</span>
        <span>Title</span>
        <span className="hidden lg:block">Caller</span>
        <span>Status</span>
        <span>Priority</span>
        <span className="hidden xl:block">Source</span>
        <span className="hidden lg:block">Assignee</span>
        <span className="text-right">Updated</span>
      </div>
      <ul role="list" className="divide-y divide-zinc-100" data-testid="ticket-list">
        {tickets.map((ticket) => (
          <li key={ticket.id}>
            <TicketRow ticket={ticket} onOpen={onOpen} />
          </li>
        ))}
      </ul>
    </div>
  );
}

function TicketRow({ ticket, onOpen }: { ticket: TicketSummary | SearchHit; onOpen?: () => void }) {
  const snippet = "snippet" in ticket ? ticket.snippet : null;
  return (
    <Link
      href={routes.ticket(ticket.number)}
      onClick={onOpen}
      data-testid="ticket-row"
      data-ticket-number={ticket.number}
      className={`group relative block px-4 py-3 transition-colors hover:bg-zinc-50 focus-visible:bg-zinc-50 focus-visible:outline-offset-[-2px] ${GRID}`}
    >
      <span className="font-mono text-xs text-zinc-500 md:text-sm">#{ticket.number}</span>
      <span className="mt-0.5 block min-w-0 md:mt-0" data-testid="ticket-row-title">
        <span className="block truncate pr-6 text-sm font-medium text-zinc-900 md:pr-0">{ticket.title}</span>
        {snippet ? (
          <Snippet text={snippet} className="mt-0.5 line-clamp-1 text-xs text-zinc-500" />
        ) : ticket.category ? (
          <span className="mt-0.5 block truncate text-xs text-zinc-500">{ticket.category}</span>
        ) : null}
        {ticket.contact ? (
          <CallerName contact={ticket.contact} plain className="mt-0.5 flex text-xs lg:hidden" testId="ticket-row-caller-inline" />
        ) : null}
      </span>
      <span className="hidden min-w-0 text-sm lg:block" data-testid="ticket-row-caller">
        {ticket.contact ? (
          <>
            <span className="block truncate font-medium text-zinc-800">{ticket.contact.name}</span>
            {ticket.contact.organization ? (
              <span className="block truncate text-xs text-zinc-500">{ticket.contact.organization}</span>
            ) : null}
          </>
        ) : (
          <>
            <span aria-hidden="true" className="text-zinc-500">
              —
            </span>
            <span className="sr-only">No caller</span>
          </>
        )}
      </span>
      <span className="mt-2 flex flex-wrap items-center gap-1.5 md:contents">
        <span>
          <StatusBadge status={ticket.status} />
        </span>
        <span>
          <PriorityBadge priority={ticket.priority} />
        </span>
        <span className="md:hidden xl:block">
          <SourceBadge source={ticket.source} />
        </span>
        <span className="hidden truncate text-sm text-zinc-600 lg:block">
          {ticket.assignee ? ticket.assignee.name : <span className="text-zinc-500">Unassigned</span>}
        </span>
        <span className="ml-auto text-xs text-zinc-500 md:text-right md:text-sm">
          <RelativeTime iso={ticket.updated_at} />
        </span>
      </span>
      <ChevronRight
        aria-hidden="true"
        className="absolute top-3.5 right-3 size-4 text-zinc-300 group-hover:text-zinc-500 md:hidden"
      />
    </Link>
  );
}

export function TicketRowsSkeleton({ rows = 8 }: { rows?: number }) {
  return (
    <div className="overflow-hidden rounded-xl bg-white shadow-xs ring-1 ring-zinc-950/5" aria-busy="true">
      <div className="divide-y divide-zinc-100">
        {Array.from({ length: rows }, (_, i) => (
          <div key={i} className="flex items-center gap-4 px-4 py-3.5">
            <Skeleton className="h-4 w-10" />
            <Skeleton className="h-4 flex-1" />
            <Skeleton className="hidden h-5 w-20 md:block" />
            <Skeleton className="hidden h-5 w-16 md:block" />
            <Skeleton className="h-4 w-14" />
          </div>
        ))}
      </div>
    </div>
  );
}

export function TicketListSkeleton() {
  return (
    <div className="mx-auto w-full max-w-6xl px-4 py-6 sm:px-6">
      <Skeleton className="mb-5 h-8 w-40" />
      <Skeleton className="mb-4 h-9 w-full" />
      <TicketRowsSkeleton />
    </div>
  );
}
