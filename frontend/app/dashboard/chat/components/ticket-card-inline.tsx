"use client";

import { ArrowUpRight, Link2, Unlink } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { TicketQuickView } from "@/components/ticket-quick-view";
import { PriorityBadge, SourceBadge, StatusBadge } from "@/components/ui/badges";
import { buttonClasses, Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { CallerName } from "@/components/callers/caller-name";
import type { TicketSummary } from "@/lib/api-types";
import { routes } from "@/lib/urls";

interface TicketCardInlineProps {
  ticket: TicketSummary;
  attached: boolean;
  onAttach?: (ticket: TicketSummary) => Promise<void>;
  onDetach?: (ticket: TicketSummary) => Promise<void>;
}

/** A ticket referenced by an assistant message, with View and Attach/Detach. */
export function TicketCardInline({ ticket, attached, onAttach, onDetach }: TicketCardInlineProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function toggle() {
    const action = attached ? onDetach : onAttach;
    if (!action) return;
    setBusy(true);
    setError(null);
    try {
      await action(ticket);
    } catch (e) {
      setError(e instanceof Error ? e.message : "Could not update the attachment.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <article
      data-testid="ticket-card-inline"
      data-ticket-number={ticket.number}
      data-attached={attached}
      className="flex min-w-0 flex-col gap-2 rounded-xl bg-white p-3 shadow-xs ring-1 ring-zinc-200"
    >
      <h3 className="flex min-w-0 items-start gap-2" data-testid="ticket-card-heading">
        <span className="mt-px font-mono text-xs font-medium text-zinc-500">
          <span className="sr-only">Ticket </span>#{ticket.number}
        </span>
        <span className="line-clamp-2 min-w-0 flex-1 text-sm font-medium text-zinc-900" title={ticket.title}>
          {ticket.title}
        </span>
      </h3>
      <div className="flex flex-wrap items-center gap-1.5">
        <StatusBadge status={ticket.status} />
        <PriorityBadge priority={ticket.priority} />
        <SourceBadge source={ticket.source} />
      </div>
      {ticket.contact ? <CallerName contact={ticket.contact} className="flex text-xs" testId="ticket-card-caller" /> : null}
      <div className="flex items-center gap-1.5 border-t border-zinc-100 pt-2">
        <TicketQuickView number={ticket.number}>
          <Link
            href={routes.ticket(ticket.number)}
            className={buttonClasses("ghost", "sm", "-ml-1")}
            data-testid="ticket-card-view"
          >
            <ArrowUpRight aria-hidden="true" className="size-4" />
            View
          </Link>
        </TicketQuickView>
        <Button
          variant="ghost"
          size="sm"
          onClick={toggle}
          disabled={busy}
          data-testid={attached ? "ticket-card-detach" : "ticket-card-attach"}
          aria-label={`${attached ? "Detach" : "Attach"} ticket #${ticket.number}`}
        >
          {busy ? (
            <Spinner />
          ) : attached ? (
            <Unlink aria-hidden="true" className="size-4" />
          ) : (
            <Link2 aria-hidden="true" className="size-4" />
          )}
          {attached ? "Detach" : "Attach"}
        </Button>
        {error ? (
          <span role="alert" className="ml-auto truncate text-xs text-red-600">
            {error}
          </span>
        ) : null}
      </div>
    </article>
  );
}
