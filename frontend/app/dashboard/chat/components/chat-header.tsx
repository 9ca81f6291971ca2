"use client";

import { CloudOff, PanelLeft, Plus } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { errorMessage } from "@/lib/api";
import type { ApprovalSettings, TicketSummary } from "@/lib/api-types";
import { ApprovalToggle } from "./approval-toggle";
import { TicketChip } from "./ticket-chip";

interface ChatHeaderProps {
  title: string;
  loading: boolean;
  attachedTickets: TicketSummary[];
  /** Chips the server has not confirmed yet (attaching or detaching). */
  savingTickets: ReadonlySet<string>;
  offline: boolean;
  /** Whether the copilot asks before changing tickets (null: not known yet). */
  approval: ApprovalSettings | null;
  canAttach: boolean;
  onAddTicket: () => void;
  onDetach: (ticket: TicketSummary) => Promise<void>;
  onOpenSessions: () => void;
}

export function ChatHeader({
  title,
  loading,
  attachedTickets,
  savingTickets,
  offline,
  approval,
  canAttach,
  onAddTicket,
  onDetach,
  onOpenSessions,
}: ChatHeaderProps) {
  const [error, setError] = useState<string | null>(null);

  /** The chip's button goes away: focus the next chip's, the previous one's, or "Add ticket". */
  function focusAfterRemoving(ticket: TicketSummary) {
    const removes = Array.from(document.querySelectorAll<HTMLElement>('[data-testid="ticket-chip-remove"]'));
    const index = attachedTickets.findIndex((t) => t.id === ticket.id);
    const next = removes[index + 1] ?? removes[index - 1] ?? document.querySelector<HTMLElement>('[data-testid="add-ticket"]');
    next?.focus();
  }

  async function remove(ticket: TicketSummary) {
    setError(null);
    focusAfterRemoving(ticket);
    try {
      await onDetach(ticket);
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  return (
    <header className="shrink-0 border-b border-zinc-200 bg-white px-3 py-2.5 sm:px-5" data-testid="chat-header">
      <div className="flex min-h-8 items-center gap-2">
        <Button
          variant="ghost"
          size="icon-sm"
          className="md:hidden"
          onClick={onOpenSessions}
          aria-label="Show chats"
          data-testid="open-sessions"
        >
          <PanelLeft aria-hidden="true" className="size-4" />
        </Button>
        {loading ? (
          <Skeleton className="h-5 w-48" />
        ) : (
          <h1 className="min-w-0 truncate text-[15px] font-semibold text-zinc-900" data-testid="chat-title">
            {title}
          </h1>
        )}
        {offline ? (
          <span
            className="ml-1 inline-flex shrink-0 items-center gap-1 rounded-full bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-800 ring-1 ring-amber-600/20 ring-inset"
            title="No language model is configured: a built-in offline assistant answers."
            data-testid="offline-badge"
          >
            <CloudOff aria-hidden="true" className="size-3.5" />
            <span className="hidden sm:inline">Offline assistant</span>
            <span className="sm:hidden">Offline</span>
          </span>
        ) : null}
        {approval ? <ApprovalToggle approval={approval} /> : null}
      </div>
      <div className="mt-2 flex items-center gap-1.5" data-testid="attached-tickets">
        <span className="sr-only">Attached tickets:</span>
        {/* Chips scroll on their own; "Add ticket" stays in view beside them at any width. */}
        {attachedTickets.length > 0 ? (
          <div className="flex min-w-0 items-center gap-1.5 overflow-x-auto pb-0.5 [scrollbar-width:thin]">
            {attachedTickets.map((ticket) => (
              <TicketChip
                key={ticket.id}
                ticket={ticket}
                saving={savingTickets.has(ticket.id)}
                onRemove={() => void remove(ticket)}
              />
            ))}
          </div>
        ) : null}
        <Button
          variant="ghost"
          size="sm"
          onClick={onAddTicket}
          disabled={!canAttach}
          className="h-7 shrink-0 rounded-full border border-dashed border-zinc-300 px-2.5 text-xs"
          data-testid="add-ticket"
        >
          <Plus aria-hidden="true" className="size-3.5" />
          Add ticket
        </Button>
        {attachedTickets.length === 0 ? (
          <span className="hidden shrink-0 text-xs text-zinc-500 sm:inline">Attach tickets to give the assistant context</span>
        ) : null}
      </div>
      {error ? (
        <p role="alert" className="mt-1 text-xs text-red-600">
          {error}
        </p>
      ) : null}
    </header>
  );
}
