"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Copy, NotebookPen } from "lucide-react";
import Link from "next/link";
import { CallerName } from "@/components/callers/caller-name";
import { StatusBadge } from "@/components/ui/badges";
import { buttonClasses } from "@/components/ui/button";
import { useDebouncedValue } from "@/hooks/use-debounced-value";
import { worthChecking } from "@/lib/contacts";
import type { SimilarParams } from "@/lib/queries/keys";
import { similarTicketsQuery } from "@/lib/queries/tickets";
import { routes } from "@/lib/urls";

/** How long typing must pause before the check asks again. */
const PAUSE_MS = 350;

/**
 * The new ticket's duplicate check: as the title and description are typed (a pause
 * later), the open tickets most like it, the caller's own counting more. "Looks like #47:
 * add a note there instead?" leads to #47 with the note composer holding the description.
 */
export function DuplicatePanel({
  title,
  description,
  contactId,
  onLeave,
}: {
  title: string;
  description: string;
  contactId: string | null;
  /** Following a link out of the dialog. */
  onLeave?: () => void;
}) {
  const typed: SimilarParams = { title: title.trim(), description: description.trim(), contactId };
  const params = useDebouncedValue(typed, PAUSE_MS);
  const enabled = worthChecking(params.title, params.description);
  const similar = useQuery({ ...similarTicketsQuery(params), enabled, placeholderData: keepPreviousData });
  const items = enabled ? (similar.data ?? []) : [];
  const [best, ...others] = items;

  return (
    // Always there, so that screen readers hear the panel when it appears or changes.
    <div aria-live="polite" data-testid="duplicate-check">
      {best ? (
        <section
          aria-labelledby="duplicate-heading"
          className="rounded-lg bg-amber-50 p-3 text-sm ring-1 ring-amber-600/20 ring-inset"
          data-testid="duplicate-panel"
          data-ticket-number={best.number}
        >
          <h3 id="duplicate-heading" className="flex items-center gap-1.5 font-semibold text-amber-900">
            <Copy aria-hidden="true" className="size-4 shrink-0" />
            Looks like #{best.number}: add a note there instead?
          </h3>
          <ul className="mt-2 space-y-2">
            {[best, ...others].map((ticket) => (
              <li key={ticket.id} className="min-w-0" data-testid="duplicate-item" data-ticket-number={ticket.number}>
                <div className="flex min-w-0 flex-wrap items-center gap-x-2 gap-y-1">
                  <Link
                    href={routes.ticket(ticket.number)}
                    onClick={onLeave}
                    className="min-w-0 truncate rounded font-medium text-zinc-900 hover:underline"
                  >
                    <span className="font-mono text-xs text-zinc-600">#{ticket.number}</span> {ticket.title}
                  </Link>
                  <StatusBadge status={ticket.status} />
                </div>
                <div className="mt-0.5 flex min-w-0 flex-wrap items-center gap-x-2 text-xs text-zinc-700">
                  {ticket.contact ? <CallerName contact={ticket.contact} plain testId="duplicate-caller" /> : null}
                  {ticket.matched_words.length > 0 ? (
                    <span className="truncate">Matched: {ticket.matched_words.slice(0, 6).join(", ")}</span>
                  ) : null}
                </div>
                <Link
                  href={routes.ticketNote(ticket.number, description.trim())}
                  onClick={onLeave}
                  className={buttonClasses("secondary", "sm", "mt-1.5 h-7")}
                  data-testid="duplicate-add-note"
                >
                  <NotebookPen aria-hidden="true" className="size-3.5" />
                  Add a note to #{ticket.number}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
