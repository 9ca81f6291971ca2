"use client";

import { Phone, UserRoundPlus } from "lucide-react";
import { useState } from "react";
import { useReturnFocus } from "@/hooks/use-return-focus";
import { CallerName } from "@/components/callers/caller-name";
import { CallerPicker } from "@/components/callers/caller-picker";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { errorMessage } from "@/lib/api";
import type { ContactRef, TicketDetail } from "@/lib/api-types";
import { formatPhone } from "@/lib/contacts";
import { useUpdateTicket } from "@/lib/queries/tickets";
import { eventIds, useUndoToast } from "../hooks/use-undo-toast";

/** Who called about the ticket: a link to their page, changed with a caller picker. */
export function TicketCaller({ ticket }: { ticket: TicketDetail }) {
  const update = useUpdateTicket(ticket.number);
  const [editing, setEditing] = useState(false);
  const [changeRef, changeFocusLater] = useReturnFocus<HTMLButtonElement>(!editing);
  const contact = ticket.contact ?? null;

  const done = () => {
    changeFocusLater();
    setEditing(false);
  };
  const { offerUndo } = useUndoToast(ticket.number);
  const save = (picked: ContactRef | null) => {
    const seen = eventIds(ticket);
    const message = picked ? `Caller changed to ${picked.name}` : "Caller removed";
    update.mutate({ contact_id: picked?.id ?? null }, { onSuccess: (after) => offerUndo(seen, after, message) });
    done();
  };

  return (
    <div className="mt-5 border-t border-zinc-100 pt-4 text-sm" data-testid="ticket-caller-section">
      <div className="flex items-center justify-between gap-2">
        <h2 id="ticket-caller-heading" className="flex items-center gap-2 text-xs font-medium text-zinc-500">
          Caller {update.isPending ? <Spinner className="size-3" /> : null}
        </h2>
        {!editing ? (
          <Button
            ref={changeRef}
            variant="ghost"
            size="sm"
            className="-my-1 h-7"
            // Not disabled while saving: focus comes back here after a pick.
            onClick={() => setEditing(true)}
            data-testid="ticket-caller-change"
          >
            {contact ? "Change" : (
              <>
                <UserRoundPlus aria-hidden="true" className="size-3.5" />
                Add caller
              </>
            )}
          </Button>
        ) : null}
      </div>
      {editing ? (
        <div
          className="mt-2 space-y-2"
          onKeyDown={(e) => {
            if (e.key === "Escape" && !e.defaultPrevented) {
              e.preventDefault();
              done();
            }
          }}
        >
          <label htmlFor="ticket-caller-picker" className="sr-only">
            Find the caller
          </label>
          <CallerPicker id="ticket-caller-picker" value={null} onChange={save} autoFocus testId="ticket-caller-picker" />
          <div className="flex gap-2">
            <Button size="sm" variant="ghost" onClick={done}>
              Cancel
            </Button>
            {contact ? (
              <Button size="sm" variant="ghost" onClick={() => save(null)} data-testid="ticket-caller-remove">
                Remove the caller
              </Button>
            ) : null}
          </div>
        </div>
      ) : contact ? (
        <div className="mt-1.5 space-y-1">
          <CallerName contact={contact} className="flex" />
          {contact.phone ? (
            <p className="flex items-center gap-1.5 text-zinc-600">
              <Phone aria-hidden="true" className="size-3.5 text-zinc-500" />
              <a href={`tel:${contact.phone}`} className="rounded hover:underline">
                {formatPhone(contact.phone)}
              </a>
            </p>
          ) : null}
        </div>
      ) : (
        <p className="mt-1.5 text-zinc-500" data-testid="ticket-no-caller">
          No caller
        </p>
      )}
      {update.error ? (
        <p role="alert" className="mt-2 rounded-md bg-red-50 px-3 py-2 text-xs text-red-700">
          {errorMessage(update.error)}
        </p>
      ) : null}
    </div>
  );
}
