"use client";

import { Pencil } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { errorMessage } from "@/lib/api";
import type { TicketDetail } from "@/lib/api-types";
import { useUpdateTicket } from "@/lib/queries/tickets";
import { eventIds, useUndoToast } from "../hooks/use-undo-toast";

const MAX_TITLE = 200;

/**
 * The ticket's title, edited in place: Edit (or a click on the pencil), Enter saves, Escape
 * keeps the old one. Saved with the version shown: another agent's change since is refused
 * (409) and the page shows the ticket as it is now.
 */
export function TicketTitle({ ticket }: { ticket: TicketDetail }) {
  const update = useUpdateTicket(ticket.number);
  const { offerUndo } = useUndoToast(ticket.number);
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const editButton = useRef<HTMLButtonElement>(null);

  // Focus goes back to Edit once the button is there again (after the commit that brings it
  // back, however late that is on a busy machine).
  const [refocus, setRefocus] = useState(false);
  useEffect(() => {
    if (refocus && draft === null && editButton.current) {
      editButton.current.focus();
      setRefocus(false);
    }
  }, [refocus, draft]);

  function stop() {
    setDraft(null);
    setRefocus(true);
  }

  function save() {
    const title = (draft ?? "").trim();
    if (!title || title === ticket.title) return stop();
    setError(null);
    const seen = eventIds(ticket);
    update.mutate(
      { title },
      {
        onSuccess: (after) => {
          stop();
          offerUndo(seen, after, "Title changed");
        },
        onError: (e) => setError(errorMessage(e)),
      },
    );
  }

  if (draft === null) {
    return (
      <div className="mt-2 flex items-start gap-2">
        <h1 className="text-xl font-semibold tracking-tight text-balance text-zinc-900 sm:text-2xl" data-testid="ticket-title">
          {ticket.title}
        </h1>
        <Button
          ref={editButton}
          variant="ghost"
          size="icon-sm"
          className="mt-0.5 shrink-0"
          onClick={() => setDraft(ticket.title)}
          aria-label="Edit title"
          title="Edit title"
          data-testid="ticket-title-edit"
        >
          <Pencil aria-hidden="true" className="size-4" />
        </Button>
      </div>
    );
  }
  return (
    <div className="mt-2">
      <input
        autoFocus
        value={draft}
        maxLength={MAX_TITLE}
        disabled={update.isPending}
        aria-label="Ticket title"
        data-testid="ticket-title-input"
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            save();
          } else if (e.key === "Escape") {
            e.preventDefault();
            setError(null);
            stop();
          }
        }}
        className="block w-full rounded-md border-0 bg-white px-2 py-1 text-xl font-semibold text-zinc-900 ring-2 ring-accent-500 sm:text-2xl"
      />
      <p className="mt-1 text-xs text-zinc-500">Enter to save · Escape to cancel</p>
      {error ? (
        <p role="alert" className="mt-1 text-xs text-red-700" data-testid="ticket-title-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
