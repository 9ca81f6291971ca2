"use client";

import { PhoneCall } from "lucide-react";
import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Input, Textarea } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { useReturnFocus } from "@/hooks/use-return-focus";
import { ApiError, errorMessage } from "@/lib/api";
import type { CallDirection, ContactDetail } from "@/lib/api-types";
import { minutesToSeconds } from "@/lib/contacts";
import { useLogCall } from "@/lib/queries/contacts";

/** "Log a call" on a contact's page: what it was about, which way, how long, which ticket. */
export function LogCallForm({ contact }: { contact: ContactDetail }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [summary, setSummary] = useState("");
  const [direction, setDirection] = useState<CallDirection>("inbound");
  const [minutes, setMinutes] = useState("");
  const [ticketId, setTicketId] = useState("");
  const [openRef, openFocusLater] = useReturnFocus<HTMLButtonElement>(!open);
  const log = useLogCall();
  const fieldErrors = log.error instanceof ApiError ? log.error.fieldErrors() : {};

  const close = () => {
    openFocusLater();
    setOpen(false);
    log.reset();
  };

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const text = summary.trim();
    if (!text) return;
    log.mutate(
      {
        contact_id: contact.id,
        ticket_id: ticketId || null,
        direction,
        duration_seconds: minutesToSeconds(minutes),
        summary: text,
      },
      {
        onSuccess: () => {
          setSummary("");
          setMinutes("");
          setTicketId("");
          setDirection("inbound");
          close();
        },
      },
    );
  }

  if (!open) {
    return (
      <Button ref={openRef} size="sm" className="mt-3" onClick={() => setOpen(true)} data-testid="log-call-open">
        <PhoneCall aria-hidden="true" className="size-3.5" />
        Log a call
      </Button>
    );
  }

  const label = "mb-1 block text-xs font-medium text-zinc-600";
  return (
    <form
      onSubmit={onSubmit}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          close();
        }
      }}
      className="mt-3 space-y-2.5 rounded-lg bg-zinc-50 p-3 ring-1 ring-zinc-200"
      aria-label="Log a call"
      data-testid="log-call-form"
    >
      <div>
        <label htmlFor={`${id}-summary`} className={label}>
          What was it about?
        </label>
        <Textarea
          id={`${id}-summary`}
          rows={3}
          required
          maxLength={10000}
          autoFocus
          value={summary}
          onChange={(e) => setSummary(e.target.value)}
          aria-invalid={fieldErrors.summary ? true : undefined}
          data-testid="log-call-summary"
        />
      </div>
      <div className="grid gap-2 sm:grid-cols-3">
        <div>
          <label htmlFor={`${id}-direction`} className={label}>
            Direction
          </label>
          <Select id={`${id}-direction`} value={direction} onChange={(e) => setDirection(e.target.value as CallDirection)} className="w-full" data-testid="log-call-direction">
            <option value="inbound">Inbound</option>
            <option value="outbound">Outbound</option>
          </Select>
        </div>
        <div>
          <label htmlFor={`${id}-minutes`} className={label}>
            Minutes (optional)
          </label>
          <Input id={`${id}-minutes`} inputMode="decimal" value={minutes} onChange={(e) => setMinutes(e.target.value)} maxLength={6} data-testid="log-call-minutes" />
        </div>
        <div>
          <label htmlFor={`${id}-ticket`} className={label}>
            About ticket
          </label>
          <Select id={`${id}-ticket`} value={ticketId} onChange={(e) => setTicketId(e.target.value)} className="w-full" data-testid="log-call-ticket">
            <option value="">None</option>
            {contact.open_ticket_list.map((t) => (
              <option key={t.id} value={t.id}>
                #{t.number} {t.title}
              </option>
            ))}
          </Select>
        </div>
      </div>
      {log.error ? (
        <p role="alert" className="text-xs text-red-700">
          {errorMessage(log.error)}
        </p>
      ) : null}
      <div className="flex justify-end gap-2">
        <Button size="sm" variant="ghost" onClick={close} disabled={log.isPending}>
          Cancel
        </Button>
        <Button type="submit" size="sm" variant="primary" disabled={log.isPending || !summary.trim()} data-testid="log-call-submit">
          {log.isPending ? "Logging…" : "Log call"}
        </Button>
      </div>
    </form>
  );
}
