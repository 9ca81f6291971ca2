"use client";

import * as Dialog from "@radix-ui/react-dialog";
import { X } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Input, Textarea } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { ApiError, errorMessage } from "@/lib/api";
import type { TicketPriority } from "@/lib/api-types";
import { useCreateTicket } from "@/lib/queries/tickets";
import { PRIORITY_META, TICKET_PRIORITIES } from "@/lib/ticket-meta";
import { routes } from "@/lib/urls";
import { useFocusReturn } from "@/hooks/use-focus-return";
import { CallerPicker } from "@/components/callers/caller-picker";
import type { ContactRef } from "@/lib/api-types";
import { DuplicatePanel } from "./duplicate-panel";

/** Log a phone call as a ticket (source `call`). */
export function NewTicketDialog({
  open,
  onOpenChange,
  initialDescription = "",
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Filled in when opened (the chat's message the assistant could not take). */
  initialDescription?: string;
}) {
  const focusReturn = useFocusReturn(open);
  const router = useRouter();
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState(initialDescription);
  const [prefilled, setPrefilled] = useState(initialDescription);
  if (initialDescription !== prefilled) {
    setPrefilled(initialDescription);
    if (initialDescription) setDescription(initialDescription);
  }
  const [priority, setPriority] = useState<TicketPriority>("medium");
  const [category, setCategory] = useState("");
  const [caller, setCaller] = useState<ContactRef | null>(null);
  const create = useCreateTicket();
  const busy = create.isPending;
  const error = create.error ? errorMessage(create.error) : null;
  const fieldErrors = create.error instanceof ApiError ? create.error.fieldErrors() : {};

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    try {
      const ticket = await create.mutateAsync({
        title: title.trim(),
        description: description.trim(),
        priority,
        category: category.trim() || null,
        source: "call",
        contact_id: caller?.id ?? null,
      });
      onOpenChange(false);
      setTitle("");
      setDescription("");
      setCategory("");
      setPriority("medium");
      setCaller(null);
      create.reset();
      router.push(routes.ticket(ticket.number));
    } catch {
      // Shown from the mutation's error.
    }
  }

  return (
    <Dialog.Root open={open} onOpenChange={(next) => !busy && onOpenChange(next)}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-50 bg-zinc-950/40 data-[state=open]:animate-fade-in" />
        <Dialog.Content
          data-testid="new-ticket-dialog"
          {...focusReturn}
          // Escape in an open list of callers closes the list, not the dialog.
          onEscapeKeyDown={(event) => {
            if (event.target instanceof HTMLElement && event.target.getAttribute("aria-expanded") === "true") event.preventDefault();
          }}
          className="fixed top-1/2 left-1/2 z-50 max-h-[calc(100dvh-2rem)] w-[calc(100vw-2rem)] max-w-lg -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-xl bg-white p-5 shadow-xl ring-1 ring-zinc-950/5 data-[state=open]:animate-pop-in sm:p-6"
        >
          <div className="flex items-start justify-between">
            <div>
              <Dialog.Title className="text-base font-semibold text-zinc-900">New ticket</Dialog.Title>
              <Dialog.Description className="mt-1 text-sm text-zinc-500">Log a call as a ticket.</Dialog.Description>
            </div>
            <Dialog.Close asChild>
              <Button variant="ghost" size="icon-sm" aria-label="Close">
                <X aria-hidden="true" className="size-4" />
              </Button>
            </Dialog.Close>
          </div>
          <form onSubmit={onSubmit} className="mt-5 space-y-4">
            {error ? (
              <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
                {error}
              </p>
            ) : null}
            <Field label="Caller" htmlFor="nt-caller" error={fieldErrors.contact_id}>
              <CallerPicker id="nt-caller" value={caller} onChange={setCaller} autoFocus />
            </Field>
            <Field label="Title" htmlFor="nt-title" error={fieldErrors.title}>
              <Input id="nt-title" required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />
            </Field>
            <Field label="Description" htmlFor="nt-description" error={fieldErrors.description}>
              <Textarea
                id="nt-description"
                required
                rows={5}
                maxLength={20000}
                value={description}
                onChange={(e) => setDescription(e.target.value)}
                placeholder="What did the caller report?"
              />
            </Field>
            <DuplicatePanel title={title} description={description} contactId={caller?.id ?? null} onLeave={() => onOpenChange(false)} />
            <div className="grid grid-cols-2 gap-3">
              <Field label="Priority" htmlFor="nt-priority" error={fieldErrors.priority}>
                <Select id="nt-priority" value={priority} onChange={(e) => setPriority(e.target.value as TicketPriority)} className="w-full">
                  {TICKET_PRIORITIES.map((p) => (
                    <option key={p} value={p}>
                      {PRIORITY_META[p].label}
                    </option>
                  ))}
                </Select>
              </Field>
              <Field label="Category" htmlFor="nt-category" error={fieldErrors.category}>
                <Input id="nt-category" maxLength={64} value={category} onChange={(e) => setCategory(e.target.value)} placeholder="Optional" />
              </Field>
            </div>
            <div className="flex justify-end gap-2 pt-1">
              <Dialog.Close asChild>
                <Button disabled={busy}>Cancel</Button>
              </Dialog.Close>
              <Button type="submit" variant="primary" disabled={busy || !title.trim() || !description.trim()} data-testid="new-ticket-submit">
                {busy ? "Creating…" : "Create ticket"}
              </Button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function Field({ label, htmlFor, error, children }: { label: string; htmlFor: string; error?: string; children: React.ReactNode }) {
  return (
    <div>
      <label htmlFor={htmlFor} className="mb-1.5 block text-sm font-medium text-zinc-700">
        {label}
      </label>
      {children}
      {error ? <p className="mt-1 text-xs text-red-600">{error}</p> : null}
    </div>
  );
}
