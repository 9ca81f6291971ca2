"use client";

import { useLoadMore } from "@/hooks/use-load-more";
import { useInfiniteQuery } from "@tanstack/react-query";
import { Building2, Mail, Phone, Search, UserRoundPlus, UsersRound } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { useDebouncedValue } from "@/hooks/use-debounced-value";
import { errorMessage } from "@/lib/api";
import type { Contact } from "@/lib/api-types";
import { contactHandle } from "@/lib/contacts";
import { contactListQuery } from "@/lib/queries/contacts";
import { routes } from "@/lib/urls";
import { ContactFormDialog } from "./contact-form";

/** The desk's callers: by name, or searched by name, organisation, e-mail or phone (any format). */
export function ContactList() {
  const router = useRouter();
  const pathname = usePathname();
  const q = useSearchParams().get("q") ?? "";
  const [query, setQuery] = useState(q);
  const debounced = useDebouncedValue(query.trim(), 250);
  const [creating, setCreating] = useState(false);

  useEffect(() => {
    if (debounced === q) return;
    router.replace(debounced ? `${pathname}?q=${encodeURIComponent(debounced)}` : pathname, { scroll: false });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the debounced text changes
  }, [debounced]);

  const list = useInfiniteQuery(contactListQuery(q));
  const { data, hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  const items = useMemo(() => (data ? data.pages.flatMap((page) => page.items) : null), [data]);

  const loadMore = useLoadMore(items, { hasNextPage, isFetchingNextPage, fetchNextPage }, '[data-testid="contact-row"]');

  return (
    <div className="mx-auto w-full max-w-6xl px-4 py-6 sm:px-6">
      <div className="mb-5 flex items-center justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold tracking-tight text-zinc-900">Contacts</h1>
          <p className="mt-0.5 text-sm text-zinc-500">The people who call the desk, with their tickets and calls.</p>
        </div>
        <Button variant="primary" onClick={() => setCreating(true)} data-testid="new-contact">
          <UserRoundPlus aria-hidden="true" className="size-4" />
          <span className="hidden sm:inline">New contact</span>
          <span className="sm:hidden">New</span>
        </Button>
      </div>

      <div className="relative mb-4" role="search">
        <Search aria-hidden="true" className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-zinc-500" />
        <Input
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder="Search by name, organisation, e-mail or phone"
          aria-label="Search contacts"
          data-testid="contact-search"
          maxLength={200}
          className="pl-9"
        />
      </div>

      {list.isError ? (
        <div role="alert" className="mb-4 flex items-center justify-between gap-3 rounded-lg bg-red-50 px-4 py-3 text-sm text-red-700">
          <span>{errorMessage(list.error)}</span>
          <Button size="sm" variant="secondary" onClick={() => void list.refetch()}>
            Retry
          </Button>
        </div>
      ) : null}

      {items === null && !list.isError ? (
        <ContactRowsSkeleton />
      ) : items && items.length === 0 ? (
        <div className="flex flex-col items-center rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-14 text-center" data-testid="contacts-empty">
          <UsersRound aria-hidden="true" className="size-8 text-zinc-400" />
          <p className="mt-3 text-sm font-medium text-zinc-900">{q ? "No contacts match" : "No contacts yet"}</p>
          <p className="mt-1 text-sm text-zinc-500">
            {q ? "Try part of the name, or the last four digits of the phone." : "Add the people who call, or let the chat take a call in."}
          </p>
        </div>
      ) : items ? (
        <>
          <ul role="list" className="divide-y divide-zinc-100 overflow-hidden rounded-xl bg-white shadow-xs ring-1 ring-zinc-950/5" data-testid="contact-list">
            {items.map((contact) => (
              <li key={contact.id}>
                <ContactRow contact={contact} />
              </li>
            ))}
          </ul>
          <div className="mt-4 flex items-center justify-between text-sm text-zinc-500">
            <span data-testid="contact-count">
              {items.length} {items.length === 1 ? "contact" : "contacts"}
              {hasNextPage ? " shown" : ""}
            </span>
            {hasNextPage ? (
              <Button onClick={loadMore} disabled={isFetchingNextPage} data-testid="contacts-load-more">
                {isFetchingNextPage ? <Spinner /> : null}
                Load more
              </Button>
            ) : null}
          </div>
        </>
      ) : null}

      <ContactFormDialog
        open={creating}
        onOpenChange={setCreating}
        onSaved={(contact) => router.push(routes.contact(contact.number))}
      />
    </div>
  );
}

function ContactRow({ contact }: { contact: Contact }) {
  return (
    <Link
      href={routes.contact(contact.number)}
      data-testid="contact-row"
      data-contact-number={contact.number}
      className="grid gap-x-4 gap-y-1 px-4 py-3 transition-colors hover:bg-zinc-50 focus-visible:bg-zinc-50 focus-visible:outline-offset-[-2px] sm:grid-cols-[minmax(10rem,1.2fr)_minmax(8rem,1fr)_auto]"
    >
      <span className="min-w-0">
        <span className="block truncate text-sm font-medium text-zinc-900" data-testid="contact-row-name">
          {contact.name}
        </span>
        <span className="flex min-w-0 items-center gap-1.5 text-xs text-zinc-500">
          <span className="font-mono">{contactHandle(contact.number)}</span>
          {contact.organization ? (
            <span className="inline-flex min-w-0 items-center gap-1 truncate">
              <Building2 aria-hidden="true" className="size-3 shrink-0" />
              {contact.organization.name}
            </span>
          ) : null}
        </span>
      </span>
      <span className="min-w-0 text-xs text-zinc-600 sm:text-sm">
        {contact.phone_display ?? contact.phone ? (
          <span className="flex items-center gap-1.5 truncate">
            <Phone aria-hidden="true" className="size-3.5 shrink-0 text-zinc-500" />
            {contact.phone_display ?? contact.phone}
          </span>
        ) : null}
        {contact.email ? (
          <span className="flex items-center gap-1.5 truncate">
            <Mail aria-hidden="true" className="size-3.5 shrink-0 text-zinc-500" />
            {contact.email}
          </span>
        ) : null}
      </span>
      <span className="self-center text-xs text-zinc-600 sm:text-right" data-testid="contact-row-open">
        {contact.open_tickets > 0 ? (
          <span className="rounded-md bg-blue-50 px-1.5 py-0.5 font-medium text-blue-700 ring-1 ring-blue-600/20 ring-inset">
            {contact.open_tickets} open
          </span>
        ) : (
          "No open tickets"
        )}
      </span>
    </Link>
  );
}

function ContactRowsSkeleton() {
  return (
    <div className="divide-y divide-zinc-100 overflow-hidden rounded-xl bg-white shadow-xs ring-1 ring-zinc-950/5" aria-busy="true">
      {Array.from({ length: 8 }, (_, i) => (
        <div key={i} className="flex items-center gap-4 px-4 py-3.5">
          <Skeleton className="h-4 w-40" />
          <Skeleton className="h-4 flex-1" />
          <Skeleton className="h-4 w-16" />
        </div>
      ))}
    </div>
  );
}
