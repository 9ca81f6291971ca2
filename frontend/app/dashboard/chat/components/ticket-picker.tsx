"use client";

import * as Dialog from "@radix-ui/react-dialog";
import { Check, Search, X } from "lucide-react";
import { useMemo, useRef, useState, type KeyboardEvent } from "react";
import { PriorityBadge, StatusDot } from "@/components/ui/badges";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { Snippet } from "@/components/snippet";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useDebouncedValue } from "@/hooks/use-debounced-value";
import { errorMessage } from "@/lib/api";
import type { TicketStatus, TicketSummary } from "@/lib/api-types";
import { cn } from "@/lib/cn";
import { ticketSearchQuery } from "@/lib/queries/tickets";
import { STATUS_META, TICKET_STATUSES } from "@/lib/ticket-meta";

interface TicketPickerProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Already attached: not offered. */
  excludeIds: ReadonlySet<string>;
  onAttach: (tickets: TicketSummary[]) => Promise<void>;
  /** The server's limit on attached tickets. */
  maxAttached?: number;
}

const PICKER_RESULTS = 30;

const STATUS_FILTERS: Array<{ value: TicketStatus | "all"; label: string }> = [
  { value: "all", label: "All" },
  ...TICKET_STATUSES.map((s) => ({ value: s, label: STATUS_META[s].label })),
];

/** Slide-out sheet (right side) to search tickets and attach one or several. */
export function TicketPicker({ open, onOpenChange, excludeIds, onAttach, maxAttached = 20 }: TicketPickerProps) {
  const returnFocusRef = useRef<HTMLElement | null>(null);
  const contentRef = useRef<HTMLDivElement>(null);
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-zinc-950/30 data-[state=open]:animate-fade-in" />
        <Dialog.Content
          data-testid="ticket-picker"
          aria-describedby="ticket-picker-description"
          ref={contentRef}
          onOpenAutoFocus={(event) => {
            // Remember the opener, then start in the search box.
            returnFocusRef.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
            event.preventDefault();
            contentRef.current?.querySelector<HTMLInputElement>("[data-testid=ticket-picker-search]")?.focus();
          }}
          onCloseAutoFocus={(event) => {
            event.preventDefault();
            // Back to whatever opened the picker (the header button, a card, …),
            // unless focus has already moved on during the closing animation.
            const active = document.activeElement;
            const moved = active && active !== document.body && !contentRef.current?.contains(active);
            const target = returnFocusRef.current;
            if (!moved && target && document.contains(target)) target.focus();
          }}
          className="fixed inset-y-0 right-0 z-50 flex w-full flex-col bg-white shadow-2xl ring-1 ring-zinc-950/5 outline-none data-[state=closed]:animate-sheet-out data-[state=open]:animate-sheet-in sm:max-w-md"
        >
          <PickerBody
            excludeIds={excludeIds}
            onAttach={onAttach}
            onClose={() => onOpenChange(false)}
            maxAttached={maxAttached}
          />
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function PickerBody({
  excludeIds,
  onAttach,
  onClose,
  maxAttached,
}: {
  excludeIds: ReadonlySet<string>;
  onAttach: (tickets: TicketSummary[]) => Promise<void>;
  onClose: () => void;
  maxAttached: number;
}) {
  const [query, setQuery] = useState("");
  const [status, setStatus] = useState<TicketStatus | "all">("all");
  const [selected, setSelected] = useState<Map<string, TicketSummary>>(() => new Map());
  const [activeIndex, setActiveIndex] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const optionRefs = useRef<Array<HTMLLIElement | null>>([]);

  const debouncedQuery = useDebouncedValue(query.trim(), 250);
  // While new words are looked up, the last results stay (no flash of the skeleton).
  const results = useQuery({
    ...ticketSearchQuery({ q: debouncedQuery, status, limit: PICKER_RESULTS }),
    placeholderData: keepPreviousData,
  });
  const hits = useMemo(() => (results.data ?? []).filter((t) => !excludeIds.has(t.id)), [results.data, excludeIds]);
  const active = Math.min(activeIndex, Math.max(0, hits.length - 1));
  const room = Math.max(0, maxAttached - excludeIds.size);

  function toggle(ticket: TicketSummary) {
    setSelected((prev) => {
      const next = new Map(prev);
      if (next.has(ticket.id)) next.delete(ticket.id);
      else next.set(ticket.id, ticket);
      return next;
    });
  }

  function focusOption(index: number) {
    if (hits.length === 0) return;
    const clamped = Math.max(0, Math.min(index, hits.length - 1));
    setActiveIndex(clamped);
    optionRefs.current[clamped]?.focus();
  }

  function onSearchKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      focusOption(0);
    } else if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) {
      event.preventDefault();
      void attach();
    }
  }

  function onOptionKeyDown(event: KeyboardEvent<HTMLLIElement>, index: number, ticket: TicketSummary) {
    const keys: Record<string, () => void> = {
      ArrowDown: () => focusOption(index + 1),
      ArrowUp: () => (index === 0 ? searchRef.current?.focus() : focusOption(index - 1)),
      Home: () => focusOption(0),
      End: () => focusOption(hits.length - 1),
      " ": () => toggle(ticket),
      Enter: () => (event.metaKey || event.ctrlKey ? void attach() : toggle(ticket)),
    };
    const handler = keys[event.key];
    if (handler) {
      event.preventDefault();
      handler();
    }
  }

  async function attach() {
    if (selected.size === 0 || busy) return;
    setBusy(true);
    setError(null);
    try {
      await onAttach([...selected.values()]);
      onClose();
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  }

  const count = selected.size;
  const overLimit = count > room;

  return (
    <>
      <div className="flex items-start justify-between gap-3 border-b border-zinc-100 px-5 pt-5 pb-4">
        <div>
          <Dialog.Title className="text-base font-semibold text-zinc-900">Attach tickets</Dialog.Title>
          <Dialog.Description id="ticket-picker-description" className="mt-0.5 text-sm text-zinc-500">
            The assistant will use them as context in this chat.
          </Dialog.Description>
        </div>
        <Dialog.Close asChild>
          <Button variant="ghost" size="icon-sm" aria-label="Close" data-testid="ticket-picker-close">
            <X aria-hidden="true" className="size-4" />
          </Button>
        </Dialog.Close>
      </div>

      <div className="space-y-3 border-b border-zinc-100 px-5 py-3">
        <div className="relative">
          <Search
            aria-hidden="true"
            className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-zinc-500"
          />
          <Input
            ref={searchRef}
            type="search"
            value={query}
            onChange={(e) => {
              setQuery(e.target.value);
              setActiveIndex(0);
            }}
            onKeyDown={onSearchKeyDown}
            placeholder="Search by words or #number"
            aria-label="Search tickets"
            aria-controls="ticket-picker-list"
            maxLength={200}
            data-testid="ticket-picker-search"
            className="pl-9"
          />
        </div>
        <div role="radiogroup" aria-label="Status" className="flex flex-wrap gap-1.5" data-testid="ticket-picker-status">
          {STATUS_FILTERS.map((f) => (
            <button
              key={f.value}
              type="button"
              role="radio"
              aria-checked={status === f.value}
              data-value={f.value}
              onClick={() => {
                setStatus(f.value);
                setActiveIndex(0);
              }}
              className={cn(
                "inline-flex h-7 items-center gap-1.5 rounded-full px-2.5 text-xs font-medium ring-1 ring-inset transition-colors",
                status === f.value
                  ? "bg-zinc-900 text-white ring-zinc-900"
                  : "bg-white text-zinc-600 ring-zinc-200 hover:bg-zinc-50",
              )}
            >
              {f.value !== "all" ? <StatusDot status={f.value} /> : null}
              {f.label}
            </button>
          ))}
        </div>
      </div>

      <div className="min-h-0 flex-1 overflow-y-auto">
        {results.isPending ? (
          <div className="space-y-1 p-3" aria-busy="true" aria-label="Searching">
            {Array.from({ length: 6 }, (_, i) => (
              <div key={i} className="flex items-center gap-3 rounded-lg px-2 py-3">
                <Skeleton className="size-4 rounded" />
                <div className="flex-1 space-y-1.5">
                  <Skeleton className="h-3.5 w-3/4" />
                  <Skeleton className="h-3 w-1/2" />
                </div>
              </div>
            ))}
          </div>
        ) : results.error ? (
          <div role="alert" className="p-5 text-sm text-red-700">
            {errorMessage(results.error)}{" "}
            <button type="button" className="font-medium underline" onClick={() => void results.refetch()}>
              Retry
            </button>
          </div>
        ) : hits.length === 0 ? (
          <p className="p-8 text-center text-sm text-zinc-500" data-testid="ticket-picker-empty">
            {debouncedQuery ? `No tickets match “${debouncedQuery}”.` : "No tickets to attach."}
          </p>
        ) : (
          <ul
            id="ticket-picker-list"
            role="listbox"
            aria-multiselectable="true"
            aria-label="Tickets"
            className="space-y-0.5 p-2"
          >
            {hits.map((ticket, index) => {
              const isSelected = selected.has(ticket.id);
              return (
                <li
                  key={ticket.id}
                  ref={(el) => {
                    optionRefs.current[index] = el;
                  }}
                  role="option"
                  aria-selected={isSelected}
                  tabIndex={index === active ? 0 : -1}
                  data-testid="ticket-picker-item"
                  data-ticket-number={ticket.number}
                  data-selected={isSelected}
                  onClick={() => {
                    setActiveIndex(index);
                    toggle(ticket);
                  }}
                  onFocus={() => setActiveIndex(index)}
                  onKeyDown={(e) => onOptionKeyDown(e, index, ticket)}
                  className={cn(
                    "flex cursor-pointer items-start gap-3 rounded-lg px-3 py-2.5 outline-none select-none focus-visible:ring-2 focus-visible:ring-accent-500",
                    isSelected ? "bg-accent-50" : "hover:bg-zinc-50",
                  )}
                >
                  <span
                    aria-hidden="true"
                    className={cn(
                      "mt-0.5 grid size-4 shrink-0 place-items-center rounded border",
                      isSelected ? "border-accent-600 bg-accent-600 text-white" : "border-zinc-300 bg-white",
                    )}
                  >
                    {isSelected ? <Check className="size-3" strokeWidth={3} /> : null}
                  </span>
                  <span className="min-w-0 flex-1">
                    <span className="flex items-center gap-2">
                      <span className="font-mono text-xs font-medium text-zinc-500">#{ticket.number}</span>
                      <span className="truncate text-sm font-medium text-zinc-900">{ticket.title}</span>
                    </span>
                    {ticket.snippet && debouncedQuery ? (
                      <Snippet text={ticket.snippet} className="mt-0.5 line-clamp-1 text-xs text-zinc-500" />
                    ) : null}
                    <span className="mt-1 flex items-center gap-2 text-xs text-zinc-500">
                      <span className="inline-flex items-center gap-1">
                        <StatusDot status={ticket.status} />
                        {STATUS_META[ticket.status]?.label}
                      </span>
                      <PriorityBadge priority={ticket.priority} />
                    </span>
                  </span>
                </li>
              );
            })}
          </ul>
        )}
      </div>

      <div className="border-t border-zinc-100 px-5 py-3 pb-[max(0.75rem,env(safe-area-inset-bottom))]">
        {error || overLimit ? (
          <p role="alert" className="mb-2 text-xs text-red-600">
            {error ?? `A chat can have at most ${maxAttached} tickets attached (${room} more).`}
          </p>
        ) : null}
        <div className="flex items-center justify-between gap-3">
          <span className="text-sm text-zinc-500" aria-live="polite">
            {count === 0 ? "Select tickets" : `${count} selected`}
          </span>
          <div className="flex gap-2">
            <Dialog.Close asChild>
              <Button disabled={busy}>Cancel</Button>
            </Dialog.Close>
            <Button
              variant="primary"
              onClick={() => void attach()}
              disabled={count === 0 || busy || overLimit}
              data-testid="ticket-picker-attach"
            >
              {busy ? "Attaching…" : count > 0 ? `Attach ${count}` : "Attach"}
            </Button>
          </div>
        </div>
      </div>
    </>
  );
}
