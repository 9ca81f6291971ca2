"use client";

import { X } from "lucide-react";
import Link from "next/link";
import { TicketQuickView } from "@/components/ticket-quick-view";
import { StatusDot } from "@/components/ui/badges";
import { truncate } from "@/lib/format";
import { STATUS_META } from "@/lib/ticket-meta";
import type { TicketSummary } from "@/lib/api-types";
import { routes } from "@/lib/urls";

interface TicketChipProps {
  ticket: TicketSummary;
  onRemove?: () => void;
  /** Attached or detached, and not confirmed by the server yet. */
  saving?: boolean;
}

/** An attached ticket in the chat header: status colour, #number, short title, remove. */
export function TicketChip({ ticket, onRemove, saving = false }: TicketChipProps) {
  return (
    <span
      data-testid="ticket-chip"
      data-ticket-number={ticket.number}
      data-status={ticket.status}
      className="group inline-flex h-7 max-w-64 shrink-0 items-center gap-1.5 rounded-full bg-white pr-1 pl-2.5 text-xs shadow-xs ring-1 ring-zinc-200 transition-opacity aria-busy:opacity-50"
      aria-busy={saving || undefined}
    >
      <StatusDot status={ticket.status} />
      <span className="sr-only">{STATUS_META[ticket.status]?.label}</span>
      <TicketQuickView number={ticket.number}>
        <Link
          href={routes.ticket(ticket.number)}
          className="flex min-w-0 items-center gap-1 rounded-sm hover:underline"
        >
          <span className="font-mono font-medium text-zinc-900">#{ticket.number}</span>
          <span className="truncate text-zinc-600">{truncate(ticket.title, 32)}</span>
        </Link>
      </TicketQuickView>
      {onRemove ? (
        <button
          type="button"
          onClick={onRemove}
          disabled={saving}
          aria-label={`Detach ticket #${ticket.number}`}
          data-testid="ticket-chip-remove"
          className="grid size-5 place-items-center rounded-full text-zinc-500 hover:bg-zinc-100 hover:text-zinc-700"
        >
          <X aria-hidden="true" className="size-3.5" />
        </button>
      ) : null}
    </span>
  );
}
