"use client";

import { useEffect, useRef, useState, type FormEvent } from "react";
import { RelativeTime } from "@/components/relative-time";
import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/input";
import { errorMessage } from "@/lib/api";
import { cn } from "@/lib/cn";
import type { TicketDetail } from "@/lib/api-types";
import { initials } from "@/lib/format";
import { useAddNote } from "@/lib/queries/tickets";
import { eventIds, useUndoToast } from "../hooks/use-undo-toast";

const MAX_NOTE = 10_000;

/**
 * `compose`: the page was opened to add a note (a duplicate's "add a note there instead?"):
 * the composer is focused, holding `draft`.
 */
export function NotesSection({ ticket, compose = false, draft = "" }: { ticket: TicketDetail; compose?: boolean; draft?: string }) {
  const [body, setBody] = useState(draft);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (!compose) return;
    const input = inputRef.current;
    input?.focus();
    input?.setSelectionRange(input.value.length, input.value.length);
  }, [compose]);
  const add = useAddNote(ticket.number);
  const { offerUndoAfterReading } = useUndoToast(ticket.number);
  const busy = add.isPending;
  const error = add.error ? errorMessage(add.error) : null;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const text = body.trim();
    if (!text) return;
    // Busy until the ticket has been read again with the note.
    const seen = eventIds(ticket);
    add.mutate(text, {
      onSuccess: () => {
        setBody("");
        void offerUndoAfterReading(seen, "Note added");
      },
    });
  }

  return (
    <section aria-labelledby="notes-heading" className="rounded-xl bg-white p-5 shadow-xs ring-1 ring-zinc-950/5">
      <h2 id="notes-heading" className="text-sm font-semibold text-zinc-900">
        Notes <span className="font-normal text-zinc-500">{ticket.notes.length || ""}</span>
      </h2>
      {ticket.notes.length === 0 ? (
        <p className="mt-2 text-sm text-zinc-500">No notes yet.</p>
      ) : (
        <ol className="mt-3 space-y-4" data-testid="notes-list">
          {ticket.notes.map((note) => (
            <li key={note.id} className="flex gap-3" data-testid="note">
              <span className="grid size-7 shrink-0 place-items-center rounded-full bg-zinc-100 text-[11px] font-semibold text-zinc-600">
                {initials(note.author?.name ?? "?")}
              </span>
              <div className="min-w-0 flex-1">
                <p className="text-xs text-zinc-500">
                  <span className="font-medium text-zinc-800">{note.author?.name ?? "Someone"}</span> ·{" "}
                  <RelativeTime iso={note.created_at} />
                </p>
                <p
                  className={cn(
                    "mt-1 text-sm whitespace-pre-wrap text-zinc-700",
                    note.retracted_at && "text-zinc-500 line-through",
                  )}
                  data-retracted={note.retracted_at ? "true" : undefined}
                >
                  {note.body}
                </p>
                {note.retracted_at ? (
                  <p className="mt-0.5 text-xs text-zinc-500" data-testid="note-retracted">
                    Retracted{note.retracted_by ? ` by ${note.retracted_by.name}` : ""} (an undone AI note)
                  </p>
                ) : null}
              </div>
            </li>
          ))}
        </ol>
      )}
      <form onSubmit={onSubmit} className="mt-4 border-t border-zinc-100 pt-4" data-testid="add-note-form">
        <label htmlFor="new-note" className="sr-only">
          Add a note
        </label>
        <Textarea
          ref={inputRef}
          id="new-note"
          rows={3}
          maxLength={MAX_NOTE}
          value={body}
          onChange={(e) => setBody(e.target.value)}
          onKeyDown={(e) => {
            // As in the chat: Enter adds, Shift+Enter starts a new line.
            if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              e.currentTarget.form?.requestSubmit();
            }
          }}
          placeholder="Add a note for the team…"
          data-testid="note-input"
        />
        {error ? (
          <p role="alert" className="mt-2 text-xs text-red-600">
            {error}
          </p>
        ) : null}
        <div className="mt-2 flex items-center justify-end gap-3">
          <span className="hidden text-xs text-zinc-500 sm:inline">Enter to add · Shift+Enter for a new line</span>
          <Button type="submit" variant="primary" size="sm" disabled={busy || !body.trim()} data-testid="note-submit">
            {busy ? "Adding…" : "Add note"}
          </Button>
        </div>
      </form>
    </section>
  );
}
