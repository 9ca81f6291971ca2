"use client";

import { useQuery } from "@tanstack/react-query";
import { ArrowLeft, FileQuestion } from "lucide-react";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState, useSyncExternalStore } from "react";
import { PriorityBadge, SourceBadge, StatusBadge } from "@/components/ui/badges";
import { Button, buttonClasses } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { ErrorCode, errorMessage, hasErrorCode } from "@/lib/api";
import { ticketQuery } from "@/lib/queries/tickets";
import { routes } from "@/lib/urls";
import { listHref } from "../../lib/list-place";
import { AuditTrail } from "./audit-trail";
import { NotesSection } from "./notes-section";
import { TicketSidePanel } from "./ticket-side-panel";
import { TicketTitle } from "./ticket-title";

export function TicketDetailView() {
  const params = useSearchParams();
  const router = useRouter();
  const ref = params.get("ref")?.trim() ?? "";
  // `&compose=1&note=…`: opened to add a note (kept once read; the URL goes back to the ticket's).
  const [compose] = useState(() => ({ open: params.get("compose") === "1", draft: params.get("note") ?? "" }));
  const composing = params.get("compose") === "1";
  const query = useQuery({ ...ticketQuery(ref), enabled: ref !== "" });
  const loaded = query.data;
  // Back to the list as it was left: its filters (and, there, its scroll position).
  const backHref = useSyncExternalStore(noSubscription, listHref, routes.tickets);

  useEffect(() => {
    if (loaded && composing) router.replace(routes.ticket(ref), { scroll: false });
  }, [loaded, composing, ref, router]);

  useEffect(() => {
    if (loaded) document.title = `#${loaded.number} ${loaded.title} · Deskpilot`;
  }, [loaded]);

  // A ticket that is not there, or a reference that cannot name one.
  const notFound = !ref || hasErrorCode(query.error, ErrorCode.notFound, ErrorCode.validation);
  const state = notFound
    ? ({ kind: "not_found" } as const)
    : query.isError && !loaded
      ? ({ kind: "error", message: errorMessage(query.error) } as const)
      : loaded
        ? ({ kind: "ready", ticket: loaded } as const)
        : ({ kind: "loading" } as const);

  if (state.kind === "loading") return <TicketDetailSkeleton />;
  if (state.kind === "not_found") {
    return (
      <div className="mx-auto grid w-full max-w-lg place-items-center px-6 py-20 text-center" data-testid="ticket-not-found">
        <FileQuestion aria-hidden="true" className="size-10 text-zinc-300" />
        <h1 className="mt-3 text-lg font-semibold text-zinc-900">Ticket not found</h1>
        <p className="mt-1 text-sm text-zinc-500">{ref ? `There is no ticket “${ref}”.` : "No ticket was given."}</p>
        <Link href={backHref} scroll={false} className={buttonClasses("secondary", "md", "mt-5")}>
          Back to tickets
        </Link>
      </div>
    );
  }
  if (state.kind === "error") {
    return (
      <div className="mx-auto max-w-lg px-6 py-20 text-center" role="alert">
        <p className="text-sm text-red-700">{state.message}</p>
        <Button className="mt-4" onClick={() => void query.refetch()}>
          Retry
        </Button>
      </div>
    );
  }

  const { ticket } = state;
  return (
    <div className="mx-auto w-full max-w-6xl px-4 py-5 sm:px-6 sm:py-6" data-testid="ticket-detail" data-ticket-number={ticket.number}>
      <Link
        href={backHref}
        scroll={false}
        className="inline-flex items-center gap-1 rounded-md text-sm text-zinc-500 hover:text-zinc-900"
        data-testid="back-to-tickets"
      >
        <ArrowLeft aria-hidden="true" className="size-4" />
        Tickets
      </Link>

      <header className="mt-3 mb-6">
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <span className="font-mono text-zinc-500">#{ticket.number}</span>
          <StatusBadge status={ticket.status} />
          <PriorityBadge priority={ticket.priority} />
          <SourceBadge source={ticket.source} />
        </div>
        <TicketTitle ticket={ticket} />
      </header>

      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="order-2 min-w-0 space-y-6 lg:order-1">
          <section aria-labelledby="description-heading" className="rounded-xl bg-white p-5 shadow-xs ring-1 ring-zinc-950/5">
            <h2 id="description-heading" className="text-sm font-semibold text-zinc-900">
              Description
            </h2>
            <p className="mt-2 text-sm leading-relaxed whitespace-pre-wrap text-zinc-700" data-testid="ticket-description">
              {ticket.description || <span className="text-zinc-500">No description.</span>}
            </p>
          </section>
          <NotesSection ticket={ticket} compose={compose.open} draft={compose.draft} />
          <AuditTrail events={ticket.events} ticketNumber={ticket.number} />
        </div>
        <div className="order-1 lg:order-2">
          <TicketSidePanel ticket={ticket} />
        </div>
      </div>
    </div>
  );
}

const noSubscription = () => () => {};

export function TicketDetailSkeleton() {
  return (
    <div className="mx-auto w-full max-w-6xl px-4 py-6 sm:px-6" role="status" aria-busy="true" aria-label="Loading ticket">
      <Skeleton className="h-4 w-20" />
      <div className="mt-4 flex gap-2">
        <Skeleton className="h-5 w-10" />
        <Skeleton className="h-5 w-20" />
        <Skeleton className="h-5 w-16" />
      </div>
      <Skeleton className="mt-3 h-7 w-2/3" />
      <div className="mt-6 grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="space-y-6">
          <Skeleton className="h-32 w-full rounded-xl" />
          <Skeleton className="h-48 w-full rounded-xl" />
        </div>
        <Skeleton className="h-72 w-full rounded-xl" />
      </div>
    </div>
  );
}
