"use client";

import * as Dialog from "@radix-ui/react-dialog";
import { X } from "lucide-react";
import Link from "next/link";
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Input, Textarea } from "@/components/ui/input";
import { useFocusReturn } from "@/hooks/use-focus-return";
import { ApiError, errorMessage } from "@/lib/api";
import type { Contact } from "@/lib/api-types";
import { contactHandle, contactPatch, formValues, type ContactFormValues } from "@/lib/contacts";
import { useCreateContact, useUpdateContact } from "@/lib/queries/contacts";
import { routes } from "@/lib/urls";

const FIELDS: Array<{ key: keyof ContactFormValues; label: string; type?: string; max: number; hint?: string }> = [
  { key: "name", label: "Name", max: 200 },
  { key: "phone", label: "Phone", type: "tel", max: 64, hint: "Any format: +1 (555) 010-2030, 555.010.2030" },
  { key: "email", label: "E-mail", type: "email", max: 320 },
  { key: "organization", label: "Organisation", max: 200, hint: "Found by name, or added" },
];

/** The contact another one has the same phone or e-mail as (a 409), when the server names it. */
function conflictingContact(error: unknown): { number: number; name: string } | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  for (const key of ["contact", "existing", "existing_contact"]) {
    const value = error.body[key];
    if (value && typeof value === "object" && "number" in value && "name" in value) {
      return { number: Number(value.number), name: String(value.name) };
    }
  }
  return null;
}

/**
 * Add or edit a contact. A phone or e-mail the server refuses (422), or that another contact
 * has (409), is shown on its field, and focus goes there.
 */
export function ContactForm({
  contact,
  onSaved,
  onCancel,
  autoFocus = true,
}: {
  /** null: a new contact. */
  contact: Contact | null;
  onSaved: (contact: Contact) => void;
  onCancel: () => void;
  autoFocus?: boolean;
}) {
  const id = useId();
  const initial = formValues(contact);
  const [values, setValues] = useState<ContactFormValues>(initial);
  const create = useCreateContact();
  const update = useUpdateContact(contact?.number ?? 0);
  const mutation = contact ? update : create;
  const formRef = useRef<HTMLFormElement>(null);
  const error = mutation.error;
  const fieldErrors = error instanceof ApiError ? error.fieldErrors() : {};
  const unplaced = error && !FIELDS.some((f) => fieldErrors[f.key]) && !fieldErrors.notes ? errorMessage(error) : null;
  const conflict = conflictingContact(error);

  useEffect(() => {
    if (autoFocus) formRef.current?.querySelector<HTMLElement>("input")?.focus();
  }, [autoFocus]);
  // After a refusal, the first field it names takes focus.
  useEffect(() => {
    if (!error) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [error]);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    try {
      if (contact) {
        const patch = contactPatch(initial, values);
        const saved = Object.keys(patch).length > 0 ? await update.mutateAsync(patch) : contact;
        onSaved(saved);
      } else {
        const saved = await create.mutateAsync({
          name: values.name.trim(),
          phone: values.phone.trim() || null,
          email: values.email.trim() || null,
          organization: values.organization.trim() || null,
          notes: values.notes.trim() || undefined,
        });
        onSaved(saved);
      }
    } catch {
      // Shown on the fields.
    }
  }

  const set = (key: keyof ContactFormValues) => (value: string) => setValues((v) => ({ ...v, [key]: value }));
  const busy = mutation.isPending;

  return (
    <form ref={formRef} onSubmit={onSubmit} className="space-y-3.5" data-testid="contact-form" noValidate>
      {unplaced ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700" data-testid="contact-form-error">
          {unplaced}
        </p>
      ) : null}
      {FIELDS.map((field) => (
        <FormField key={field.key} id={`${id}-${field.key}`} label={field.label} hint={field.hint} error={fieldErrors[field.key]}>
          {(described) => (
            <Input
              id={`${id}-${field.key}`}
              name={field.key}
              type={field.type ?? "text"}
              required={field.key === "name"}
              maxLength={field.max}
              value={values[field.key]}
              onChange={(e) => set(field.key)(e.target.value)}
              aria-invalid={fieldErrors[field.key] ? true : undefined}
              aria-describedby={described}
              data-testid={`contact-${field.key}`}
            />
          )}
        </FormField>
      ))}
      {conflict ? (
        <p className="text-sm text-zinc-700" data-testid="contact-conflict">
          Already on file as{" "}
          <Link href={routes.contact(conflict.number)} className="font-medium text-accent-700 underline">
            {conflict.name} ({contactHandle(conflict.number)})
          </Link>
          .
        </p>
      ) : null}
      <FormField id={`${id}-notes`} label="Notes" error={fieldErrors.notes}>
        {(described) => (
          <Textarea
            id={`${id}-notes`}
            name="notes"
            rows={3}
            maxLength={10000}
            value={values.notes}
            onChange={(e) => set("notes")(e.target.value)}
            aria-invalid={fieldErrors.notes ? true : undefined}
            aria-describedby={described}
            data-testid="contact-notes"
          />
        )}
      </FormField>
      <div className="flex justify-end gap-2 pt-1">
        <Button onClick={onCancel} disabled={busy} data-testid="contact-cancel">
          Cancel
        </Button>
        <Button type="submit" variant="primary" disabled={busy || !values.name.trim()} data-testid="contact-save">
          {busy ? "Saving…" : contact ? "Save" : "Add contact"}
        </Button>
      </div>
    </form>
  );
}

function FormField({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  children: (describedBy: string | undefined) => ReactNode;
}) {
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div>
      <label htmlFor={id} className="mb-1.5 block text-sm font-medium text-zinc-700">
        {label}
      </label>
      {children(described)}
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-xs text-red-700" data-testid="field-error">
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-zinc-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** "New contact" on the contacts page. */
export function ContactFormDialog({
  open,
  onOpenChange,
  onSaved,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onSaved: (contact: Contact) => void;
}) {
  const focusReturn = useFocusReturn(open);
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-50 bg-zinc-950/40 data-[state=open]:animate-fade-in" />
        <Dialog.Content
          data-testid="contact-dialog"
          {...focusReturn}
          className="fixed top-1/2 left-1/2 z-50 max-h-[calc(100dvh-2rem)] w-[calc(100vw-2rem)] max-w-lg -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-xl bg-white p-5 shadow-xl ring-1 ring-zinc-950/5 data-[state=open]:animate-pop-in sm:p-6"
        >
          <div className="mb-4 flex items-start justify-between">
            <div>
              <Dialog.Title className="text-base font-semibold text-zinc-900">New contact</Dialog.Title>
              <Dialog.Description className="mt-1 text-sm text-zinc-500">Someone who calls the desk.</Dialog.Description>
            </div>
            <Dialog.Close asChild>
              <Button variant="ghost" size="icon-sm" aria-label="Close">
                <X aria-hidden="true" className="size-4" />
              </Button>
            </Dialog.Close>
          </div>
          {open ? (
            <ContactForm
              contact={null}
              onCancel={() => onOpenChange(false)}
              onSaved={(contact) => {
                onOpenChange(false);
                onSaved(contact);
              }}
            />
          ) : null}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
