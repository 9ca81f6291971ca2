import Link from "next/link";
import { RelativeTime } from "@/components/relative-time";
import { PriorityBadge, StatusBadge } from "@/components/ui/badges";
import type { TicketSummary } from "@/lib/api-types";
import { routes } from "@/lib/urls";

/** A contact's tickets: number, title, status, priority, last change. */
export function ContactTickets({
  heading,
  tickets,
  empty,
  testId,
}: {
  heading: string;
  tickets: TicketSummary[];
  empty: string;
  testId: string;
}) {
  const headingId = `${testId}-heading`;
  return (
    <section aria-labelledby={headingId} className="rounded-xl bg-white p-5 shadow-xs ring-1 ring-zinc-950/5" data-testid={testId}>
      <h2 id={headingId} className="text-sm font-semibold text-zinc-900">
        {heading} <span className="font-normal text-zinc-500">{tickets.length || ""}</span>
      </h2>
      {tickets.length === 0 ? (
        <p className="mt-2 text-sm text-zinc-500">{empty}</p>
      ) : (
        <ul role="list" className="mt-2 divide-y divide-zinc-100">
          {tickets.map((ticket) => (
            <li key={ticket.id}>
              <Link
                href={routes.ticket(ticket.number)}
                className="flex flex-wrap items-center gap-x-3 gap-y-1 rounded-md py-2.5 hover:bg-zinc-50 focus-visible:bg-zinc-50"
                data-testid="contact-ticket"
                data-ticket-number={ticket.number}
              >
                <span className="font-mono text-xs text-zinc-500">#{ticket.number}</span>
                <span className="min-w-0 flex-1 truncate text-sm font-medium text-zinc-900">{ticket.title}</span>
                <StatusBadge status={ticket.status} />
                <PriorityBadge priority={ticket.priority} />
                <span className="w-20 text-right text-xs text-zinc-500">
                  <RelativeTime iso={ticket.updated_at} />
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
