"use client";

import * as Dialog from "@radix-ui/react-dialog";
import { ArrowRight, X } from "lucide-react";
import { useState } from "react";
import { CallerPicker } from "@/components/callers/caller-picker";
import { Button } from "@/components/ui/button";
import { useFocusReturn } from "@/hooks/use-focus-return";
import { errorMessage } from "@/lib/api";
import type { Contact, ContactDetail } from "@/lib/api-types";
import { callerLine, contactHandle } from "@/lib/contacts";
import { useMergeContact } from "@/lib/queries/contacts";

/**
 * Admins: pick the duplicate of `kept`, read what will happen, confirm. The duplicate's
 * tickets and calls move to `kept`, its empty fields are filled from the duplicate's, and
 * the duplicate is deleted (the merge is audited).
 */
export function MergeDialog({
  open,
  onOpenChange,
  kept,
  onMerged,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  kept: ContactDetail;
  onMerged: (message: string) => void;
}) {
  const focusReturn = useFocusReturn(open);
  const [duplicate, setDuplicate] = useState<Contact | null>(null);
  const merge = useMergeContact(kept.number);
  const busy = merge.isPending;

  const change = (next: boolean) => {
    if (busy) return;
    if (!next) {
      setDuplicate(null);
      merge.reset();
    }
    onOpenChange(next);
  };

  async function confirm() {
    if (!duplicate) return;
    try {
      await merge.mutateAsync(duplicate.id);
      onMerged(`Merged ${duplicate.name} (${contactHandle(duplicate.number)}) into this contact.`);
      change(false);
    } catch {
      // Shown below.
    }
  }

  return (
    <Dialog.Root open={open} onOpenChange={change}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-50 bg-zinc-950/40 data-[state=open]:animate-fade-in" />
        <Dialog.Content
          data-testid="merge-dialog"
          {...focusReturn}
          onEscapeKeyDown={(event) => {
            if (event.target instanceof HTMLElement && event.target.getAttribute("aria-expanded") === "true") event.preventDefault();
          }}
          className="fixed top-1/2 left-1/2 z-50 max-h-[calc(100dvh-2rem)] w-[calc(100vw-2rem)] max-w-lg -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-xl bg-white p-5 shadow-xl ring-1 ring-zinc-950/5 data-[state=open]:animate-pop-in sm:p-6"
        >
          <div className="flex items-start justify-between">
            <div>
              <Dialog.Title className="text-base font-semibold text-zinc-900">Merge a duplicate</Dialog.Title>
              <Dialog.Description className="mt-1 text-sm text-zinc-500">
                Into {kept.name} ({contactHandle(kept.number)}): the duplicate&apos;s tickets and calls move here.
              </Dialog.Description>
            </div>
            <Dialog.Close asChild>
              <Button variant="ghost" size="icon-sm" aria-label="Close" disabled={busy}>
                <X aria-hidden="true" className="size-4" />
              </Button>
            </Dialog.Close>
          </div>

          <div className="mt-5 space-y-4">
            <div>
              <label htmlFor="merge-duplicate" className="mb-1.5 block text-sm font-medium text-zinc-700">
                The duplicate
              </label>
              <CallerPicker
                id="merge-duplicate"
                value={null}
                onChange={() => undefined}
                onPickContact={setDuplicate}
                excludeId={kept.id}
                autoFocus
                testId="merge-picker"
                placeholder="Search by name, e-mail or phone"
              />
            </div>

            {duplicate ? (
              <div className="rounded-lg bg-amber-50 p-3 text-sm text-amber-950 ring-1 ring-amber-600/20 ring-inset" data-testid="merge-summary">
                <p className="flex flex-wrap items-center gap-1.5 font-medium">
                  <span data-testid="merge-duplicate-name">
                    {callerLine({ name: duplicate.name, organization: duplicate.organization?.name })} ({contactHandle(duplicate.number)})
                  </span>
                  <ArrowRight aria-label="into" className="size-4" />
                  <span>
                    {kept.name} ({contactHandle(kept.number)})
                  </span>
                </p>
                <p className="mt-1.5">
                  Their {duplicate.open_tickets === 1 ? "open ticket" : `${duplicate.open_tickets} open tickets`}, their other tickets
                  and their calls move to {kept.name}; fields {kept.name} lacks are filled from theirs; then{" "}
                  {contactHandle(duplicate.number)} is deleted. This cannot be undone from here.
                </p>
              </div>
            ) : null}

            {merge.error ? (
              <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
                {errorMessage(merge.error)}
              </p>
            ) : null}

            <div className="flex justify-end gap-2">
              <Dialog.Close asChild>
                <Button disabled={busy}>Cancel</Button>
              </Dialog.Close>
              <Button variant="danger" onClick={() => void confirm()} disabled={!duplicate || busy} data-testid="merge-confirm">
                {busy ? "Merging…" : duplicate ? `Merge ${contactHandle(duplicate.number)} into ${contactHandle(kept.number)}` : "Merge"}
              </Button>
            </div>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
