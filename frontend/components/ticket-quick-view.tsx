"use client";

import * as Popover from "@radix-ui/react-popover";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { RelativeTime } from "@/components/relative-time";
import { PriorityBadge, StatusBadge } from "@/components/ui/badges";
import { Skeleton } from "@/components/ui/skeleton";
import { errorMessage } from "@/lib/api";
import { truncate } from "@/lib/format";
import { ticketQuery } from "@/lib/queries/tickets";

/** Long enough that passing the pointer over a link opens nothing. */
const OPEN_DELAY_MS = 350;
const CLOSE_DELAY_MS = 150;

/**
 * A ticket's quick view: on hover or keyboard focus of what it wraps (a chip, a card's title,
 * a `#N` link), a small card with its status, priority, assignee, last activity and the start
 * of its description. Focus stays where it was; Escape closes it. Not portalled, so it stays
 * inside the page's landmarks.
 */
export function TicketQuickView({ number, children }: { number: number; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const timer = useRef<number | null>(null);
  const id = useId();
  const ticket = useQuery({ ...ticketQuery(number), enabled: open });

  const schedule = (next: boolean) => {
    if (timer.current !== null) window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setOpen(next), next ? OPEN_DELAY_MS : CLOSE_DELAY_MS);
  };
  useEffect(() => () => {
    if (timer.current !== null) window.clearTimeout(timer.current);
  }, []);
  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") setOpen(false);
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [open]);

  const data = ticket.data;
  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Anchor asChild>
        <span
          className="inline"
          aria-describedby={open ? id : undefined}
          onPointerEnter={(e) => e.pointerType === "mouse" && schedule(true)}
          onPointerLeave={(e) => e.pointerType === "mouse" && schedule(false)}
          onFocus={() => schedule(true)}
          onBlur={() => schedule(false)}
        >
          {children}
        </span>
      </Popover.Anchor>
      <Popover.Content
        id={id}
        role="tooltip"
        side="bottom"
        align="start"
        sideOffset={6}
        collisionPadding={8}
        onOpenAutoFocus={(e) => e.preventDefault()}
        onCloseAutoFocus={(e) => e.preventDefault()}
        onPointerEnter={() => schedule(true)}
        onPointerLeave={() => schedule(false)}
        data-testid="ticket-quick-view"
        data-ticket-number={number}
        className="z-50 w-72 rounded-lg bg-white p-3 text-sm shadow-lg ring-1 ring-zinc-950/10 data-[state=open]:animate-fade-in"
      >
        {data ? (
          <>
            <p className="font-medium text-zinc-900">
              <span className="font-mono text-xs text-zinc-600">#{data.number}</span> {data.title}
            </p>
            <div className="mt-2 flex flex-wrap items-center gap-1.5">
              <StatusBadge status={data.status} />
              <PriorityBadge priority={data.priority} />
            </div>
            <p className="mt-2 text-xs text-zinc-600">
              {data.assignee ? `Assigned to ${data.assignee.name}` : "Unassigned"} · updated{" "}
              <RelativeTime iso={data.updated_at} />
            </p>
            {data.description ? <p className="mt-2 text-xs text-zinc-700">{truncate(data.description, 180)}</p> : null}
          </>
        ) : ticket.isError ? (
          <p className="text-xs text-zinc-600">{errorMessage(ticket.error)}</p>
        ) : (
          <div className="space-y-2" aria-label="Loading the ticket">
            <Skeleton className="h-4 w-4/5" />
            <Skeleton className="h-3 w-1/2" />
          </div>
        )}
      </Popover.Content>
    </Popover.Root>
  );
}
