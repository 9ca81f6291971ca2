"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Search, X } from "lucide-react";
import { useId, useState, type KeyboardEvent } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { useDebouncedValue } from "@/hooks/use-debounced-value";
import { useReturnFocus } from "@/hooks/use-return-focus";
import { errorMessage } from "@/lib/api";
import type { Contact, ContactRef } from "@/lib/api-types";
import { cn } from "@/lib/cn";
import { callerLine, contactHandle, formatPhone } from "@/lib/contacts";
import { contactSearchQuery } from "@/lib/queries/contacts";

/** A contact as tickets and cards carry it. */
export function toContactRef(contact: Contact): ContactRef {
  return {
    id: contact.id,
    number: contact.number,
    name: contact.name,
    organization: contact.organization?.name ?? null,
    phone: contact.phone,
  };
}

interface CallerPickerProps {
  /** The input's id (for the field's <label>). */
  id: string;
  value: ContactRef | null;
  onChange: (contact: ContactRef | null) => void;
  /** Not offered (a contact merged into itself). */
  excludeId?: string;
  /** Offer contacts as `Contact` (with e-mail and open tickets), for the merge. */
  onPickContact?: (contact: Contact) => void;
  placeholder?: string;
  autoFocus?: boolean;
  disabled?: boolean;
  testId?: string;
}

/**
 * Pick a caller by name, organisation, e-mail or phone (any format): a combobox whose
 * listbox opens under it. ArrowDown/ArrowUp move through the matches, Enter picks,
 * Escape closes the list (and only the list, not a dialog around it).
 */
export function CallerPicker({
  id,
  value,
  onChange,
  excludeId,
  onPickContact,
  placeholder = "Search by name or phone",
  autoFocus,
  disabled,
  testId = "caller-picker",
}: CallerPickerProps) {
  const listId = useId();
  const [query, setQuery] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  // After "Remove the caller", focus goes to the search box that takes its place.
  const [searchRef, searchFocusLater] = useReturnFocus<HTMLInputElement>(value === null);
  const debounced = useDebouncedValue(query.trim(), 200);
  const results = useQuery({
    ...contactSearchQuery(debounced),
    enabled: open && debounced !== "",
    placeholderData: keepPreviousData,
  });
  const matches = (debounced ? (results.data ?? []) : []).filter((c) => c.id !== excludeId);
  const shown = open && debounced !== "";
  const activeIndex = Math.min(active, Math.max(0, matches.length - 1));
  const listOpen = shown && matches.length > 0;

  function pick(contact: Contact) {
    onChange(toContactRef(contact));
    onPickContact?.(contact);
    setQuery("");
    setOpen(false);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!open) {
        setOpen(true);
        return;
      }
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive(Math.max(0, Math.min(matches.length - 1, activeIndex + step)));
    } else if (event.key === "Enter") {
      if (!shown) return;
      event.preventDefault(); // never submits the form around it while the list is open
      const contact = matches[activeIndex];
      if (contact) pick(contact);
    } else if (event.key === "Escape" && shown) {
      event.preventDefault();
      setOpen(false);
    }
  }

  if (value) {
    return (
      <div
        className="flex min-h-9 items-center justify-between gap-2 rounded-lg bg-zinc-50 px-3 py-1.5 text-sm ring-1 ring-zinc-200 ring-inset"
        data-testid={`${testId}-value`}
        data-contact-number={value.number}
      >
        <span className="min-w-0 truncate">
          <span className="font-medium text-zinc-900">{callerLine(value)}</span>
          <span className="ml-1.5 font-mono text-xs text-zinc-500">{contactHandle(value.number)}</span>
          {value.phone ? <span className="ml-1.5 text-xs text-zinc-500">{formatPhone(value.phone)}</span> : null}
        </span>
        <Button
          variant="ghost"
          size="icon-sm"
          disabled={disabled}
          aria-label={`Remove the caller ${value.name}`}
          data-testid={`${testId}-clear`}
          onClick={() => {
            searchFocusLater();
            onChange(null);
          }}
        >
          <X aria-hidden="true" className="size-4" />
        </Button>
      </div>
    );
  }

  return (
    <div data-testid={testId}>
      <div className="relative">
        <Search aria-hidden="true" className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-zinc-500" />
        <Input
          ref={searchRef}
          id={id}
          type="text"
          role="combobox"
          autoComplete="off"
          aria-autocomplete="list"
          aria-expanded={listOpen}
          aria-controls={listId}
          aria-activedescendant={listOpen && matches[activeIndex] ? `${listId}-${matches[activeIndex].id}` : undefined}
          value={query}
          disabled={disabled}
          autoFocus={autoFocus}
          maxLength={200}
          placeholder={placeholder}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
            setOpen(true);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={onKeyDown}
          className="pl-9"
          data-testid={`${testId}-search`}
        />
      </div>
      {shown && results.isError ? (
        <p role="alert" className="mt-1 px-1 text-sm text-red-700">
          {errorMessage(results.error)}
        </p>
      ) : shown && matches.length === 0 ? (
        <p className="mt-1 px-1 text-sm text-zinc-600" aria-live="polite" data-testid={`${testId}-empty`}>
          {results.isFetching || results.isPending ? "Searching…" : `No caller matches “${debounced}”.`}
        </p>
      ) : null}
      <ul
        id={listId}
        role="listbox"
        aria-label="Callers"
        hidden={!listOpen}
        className="mt-1 max-h-60 overflow-y-auto rounded-lg bg-white p-1 shadow-sm ring-1 ring-zinc-200"
      >
        {matches.map((contact, index) => (
          <li
            key={contact.id}
            id={`${listId}-${contact.id}`}
            role="option"
            aria-selected={index === activeIndex}
            data-testid={`${testId}-option`}
            data-contact-number={contact.number}
            // Picked on mousedown: the input's blur (which closes the list) comes after.
            onMouseDown={(e) => {
              e.preventDefault();
              pick(contact);
            }}
            onMouseMove={() => setActive(index)}
            className={cn(
              "flex cursor-pointer items-baseline justify-between gap-3 rounded-md px-2.5 py-2 text-sm",
              index === activeIndex ? "bg-accent-50 text-zinc-900" : "text-zinc-800",
            )}
          >
            <span className="min-w-0 truncate">
              <span className="font-medium">{contact.name}</span>
              {contact.organization ? <span className="text-zinc-600"> · {contact.organization.name}</span> : null}
            </span>
            <span className="shrink-0 text-xs text-zinc-600">
              {contact.phone_display ?? contact.email ?? contactHandle(contact.number)}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
