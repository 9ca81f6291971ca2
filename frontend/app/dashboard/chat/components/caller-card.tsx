import { Building2, Phone, UserRound } from "lucide-react";
import Link from "next/link";
import { useId } from "react";
import { StatusDot } from "@/components/ui/badges";
import type { ChatCaller } from "@/lib/api-types";
import { contactHandle, formatPhone } from "@/lib/contacts";
import { STATUS_META } from "@/lib/ticket-meta";
import { routes } from "@/lib/urls";

/** A caller the copilot identified (or created, or logged a call for), with their open tickets. */
export function CallerCard({ caller }: { caller: ChatCaller }) {
  const headingId = useId();
  const { contact, open_tickets: open } = caller;
  return (
    <section
      aria-labelledby={headingId}
      className="min-w-0 rounded-xl bg-white p-3 text-sm shadow-xs ring-1 ring-zinc-200"
      data-testid="caller-card"
      data-contact-number={contact.number}
    >
      <h3 id={headingId} className="flex min-w-0 items-center gap-2">
        <span className="grid size-6 shrink-0 place-items-center rounded-full bg-accent-50 text-accent-700">
          <UserRound aria-hidden="true" className="size-3.5" />
        </span>
        <span className="sr-only">Caller:</span>
        <Link href={routes.contact(contact.number)} className="truncate rounded font-semibold text-zinc-900 hover:underline" data-testid="caller-card-link">
          {contact.name}
        </Link>
        <span className="font-mono text-xs text-zinc-500">{contactHandle(contact.number)}</span>
      </h3>
      {contact.organization || contact.phone ? (
        <p className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-0.5 pl-8 text-xs text-zinc-600">
          {contact.organization ? (
            <span className="inline-flex items-center gap-1">
              <Building2 aria-hidden="true" className="size-3" />
              {contact.organization}
            </span>
          ) : null}
          {contact.phone ? (
            <span className="inline-flex items-center gap-1">
              <Phone aria-hidden="true" className="size-3" />
              {formatPhone(contact.phone)}
            </span>
          ) : null}
        </p>
      ) : null}
      <div className="mt-2 pl-8">
        {open.length === 0 ? (
          <p className="text-xs text-zinc-500">No open tickets.</p>
        ) : (
          <>
            <p className="text-xs font-medium text-zinc-600">Open tickets</p>
            <ul className="mt-1 space-y-1" data-testid="caller-card-tickets">
              {open.map((ticket) => (
                <li key={ticket.number} className="flex min-w-0 items-center gap-1.5">
                  <StatusDot status={ticket.status} />
                  <span className="sr-only">{STATUS_META[ticket.status]?.label ?? ticket.status}:</span>
                  <Link
                    href={routes.ticket(ticket.number)}
                    className="min-w-0 truncate rounded text-accent-700 hover:underline"
                    data-testid="caller-card-ticket"
                    data-ticket-number={ticket.number}
                  >
                    #{ticket.number} {ticket.title}
                  </Link>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </section>
  );
}
