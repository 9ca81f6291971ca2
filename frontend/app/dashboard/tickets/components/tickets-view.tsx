"use client";

import { useLoadMore } from "@/hooks/use-load-more";
import { useInfiniteQuery } from "@tanstack/react-query";
import { Inbox, Plus, Search, X } from "lucide-react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { useDebouncedValue } from "@/hooks/use-debounced-value";
import { errorMessage } from "@/lib/api";
import type { TicketListFilters } from "@/lib/queries/keys";
import { TICKET_SEARCH_LIMIT, ticketListQuery, type TicketListPage } from "@/lib/queries/tickets";
import { PRIORITY_META, SOURCE_META, STATUS_META, TICKET_PRIORITIES, TICKET_SOURCES, TICKET_STATUSES } from "@/lib/ticket-meta";
import { useListPlace } from "../hooks/use-list-place";
import { NewTicketDialog } from "./new-ticket-dialog";
import { TicketList, TicketRowsSkeleton } from "./ticket-list";

type Filters = TicketListFilters;

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | "" {
  return value && (allowed as readonly string[]).includes(value) ? (value as T) : "";
}

/**
 * The tickets list. Its filters live in the URL, so the list with them is one query in the
 * cache: opening a ticket and coming back shows it at once, scrolled where it was.
 */
export function TicketsView() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const q = params.get("q") ?? "";
  const status = oneOf(params.get("status"), TICKET_STATUSES);
  const priority = oneOf(params.get("priority"), TICKET_PRIORITIES);
  const source = oneOf(params.get("source"), TICKET_SOURCES);
  const filters = useMemo<Filters>(() => ({ q, status, priority, source }), [q, status, priority, source]);

  const [query, setQuery] = useState(q);
  const debouncedQuery = useDebouncedValue(query, 300);
  const [newOpen, setNewOpen] = useState(false);
  // `?new=1&description=…` (from the chat when the assistant could not answer): the dialog
  // opens with the agent's text, and the URL goes back to the list's own.
  const [prefill, setPrefill] = useState("");
  const asked = params.get("new") === "1";
  if (asked && !newOpen) {
    setNewOpen(true);
    setPrefill(params.get("description") ?? "");
  }
  useEffect(() => {
    if (!asked) return;
    const next = new URLSearchParams(window.location.search);
    next.delete("new");
    next.delete("description");
    router.replace(next.size ? `${pathname}?${next}` : pathname, { scroll: false });
  }, [asked, pathname, router]);

  const setFilters = useCallback(
    (patch: Partial<Filters>) => {
      // Read the URL now, not from the last render: quick successive changes must all stick.
      const next = new URLSearchParams(window.location.search);
      for (const [key, value] of Object.entries(patch)) {
        if (value) next.set(key, value);
        else next.delete(key);
      }
      const qs = next.toString();
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [pathname, router],
  );

  // The search box drives `q` in the URL once typing pauses.
  useEffect(() => {
    if (debouncedQuery.trim() !== q) setFilters({ q: debouncedQuery.trim() });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the debounced text changes
  }, [debouncedQuery]);

  const list = useInfiniteQuery(ticketListQuery(filters));
  const { data, hasNextPage, isFetchingNextPage, fetchNextPage, refetch } = list;
  const items = useMemo(() => (data ? data.pages.flatMap((page) => page.items) : null), [data]);
  const error = list.isError ? errorMessage(list.error) : null;
  const remember = useListPlace(items !== null, params.toString());

  const loadMore = useLoadMore(items, { hasNextPage, isFetchingNextPage, fetchNextPage }, '[data-testid="ticket-row"]');

  const filtered = Boolean(q || status || priority || source);

  return (
    <div className="mx-auto w-full max-w-6xl px-4 py-6 sm:px-6">
      <div className="mb-5 flex items-center justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold tracking-tight text-zinc-900">Tickets</h1>
          <p className="mt-0.5 text-sm text-zinc-500">From calls and from the AI chat, newest first.</p>
        </div>
        <Button variant="primary" onClick={() => setNewOpen(true)} data-testid="new-ticket">
          <Plus aria-hidden="true" className="size-4" />
          <span className="hidden sm:inline">New ticket</span>
          <span className="sm:hidden">New</span>
        </Button>
      </div>

      <div className="mb-4 flex flex-col gap-2 sm:flex-row sm:items-center" role="search">
        <div className="relative flex-1">
          <Search aria-hidden="true" className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-zinc-500" />
          <Input
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            placeholder="Search tickets by words or #number"
            aria-label="Search tickets"
            data-testid="ticket-search"
            maxLength={200}
            className="pl-9"
          />
        </div>
        <div className="grid grid-cols-3 gap-2 sm:flex">
          <Select
            aria-label="Status"
            value={status}
            onChange={(e) => setFilters({ status: e.target.value as Filters["status"] })}
            data-testid="filter-status"
            className="sm:w-36"
          >
            <option value="">Status</option>
            {TICKET_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_META[s].label}
              </option>
            ))}
          </Select>
          <Select
            aria-label="Priority"
            value={priority}
            onChange={(e) => setFilters({ priority: e.target.value as Filters["priority"] })}
            data-testid="filter-priority"
            className="sm:w-36"
          >
            <option value="">Priority</option>
            {TICKET_PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {PRIORITY_META[p].label}
              </option>
            ))}
          </Select>
          <Select
            aria-label="Source"
            value={source}
            onChange={(e) => setFilters({ source: e.target.value as Filters["source"] })}
            data-testid="filter-source"
            className="sm:w-32"
          >
            <option value="">Source</option>
            {TICKET_SOURCES.map((s) => (
              <option key={s} value={s}>
                {SOURCE_META[s].label}
              </option>
            ))}
          </Select>
        </div>
        {filtered ? (
          <Button
            variant="ghost"
            size="sm"
            onClick={() => {
              setQuery("");
              setFilters({ q: "", status: "", priority: "", source: "" });
            }}
            data-testid="clear-filters"
          >
            <X aria-hidden="true" className="size-4" />
            Clear
          </Button>
        ) : null}
      </div>

      {error ? (
        <div role="alert" className="mb-4 flex items-center justify-between gap-3 rounded-lg bg-red-50 px-4 py-3 text-sm text-red-700">
          <span>{error}</span>
          <Button size="sm" variant="secondary" onClick={() => (list.isFetchNextPageError ? loadMore() : void refetch())}>
            Retry
          </Button>
        </div>
      ) : null}

      {items === null && !error ? (
        <TicketRowsSkeleton />
      ) : items && items.length === 0 ? (
        <EmptyTickets filtered={filtered} onNew={() => setNewOpen(true)} />
      ) : items ? (
        <>
          <TicketList tickets={items} onOpen={remember} />
          <div className="mt-4 flex items-center justify-between text-sm text-zinc-500">
            <span data-testid="ticket-count">{countLabel(items.length, data?.pages[0], Boolean(q))}</span>
            {hasNextPage ? (
              <Button onClick={loadMore} disabled={isFetchingNextPage} data-testid="load-more">
                {isFetchingNextPage ? <Spinner /> : null}
                Load more
              </Button>
            ) : null}
          </div>
        </>
      ) : null}

      <NewTicketDialog open={newOpen} onOpenChange={setNewOpen} initialDescription={prefill} />
    </div>
  );
}

function EmptyTickets({ filtered, onNew }: { filtered: boolean; onNew: () => void }) {
  return (
    <div className="flex flex-col items-center rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-14 text-center" data-testid="tickets-empty">
      <Inbox aria-hidden="true" className="size-8 text-zinc-300" />
      <p className="mt-3 text-sm font-medium text-zinc-900">{filtered ? "No tickets match" : "No tickets yet"}</p>
      <p className="mt-1 text-sm text-zinc-500">
        {filtered ? "Try other words or clear the filters." : "Log a call as a ticket, or ask the AI chat to create one."}
      </p>
      {!filtered ? (
        <Button variant="primary" className="mt-5" onClick={onNew}>
          <Plus aria-hidden="true" className="size-4" />
          New ticket
        </Button>
      ) : null}
    </div>
  );
}

/** "25 of 1,160 tickets", "10,000+ tickets" (the server counts up to a cap), "12 tickets". */
function countLabel(shown: number, first: TicketListPage | undefined, search: boolean): string {
  const noun = (n: number) => (n === 1 ? "ticket" : "tickets");
  if (search) return `${shown} ${noun(shown)}${shown >= TICKET_SEARCH_LIMIT ? " (top matches)" : ""}`;
  const total = first?.total;
  if (total == null || total === shown) return `${shown} ${noun(shown)}`;
  const all = first?.total_capped ? `${total.toLocaleString("en-US")}+` : total.toLocaleString("en-US");
  return `${shown} of ${all} ${noun(total)}`;
}
