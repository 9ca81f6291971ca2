"use client";

import { StatusDot } from "@/components/ui/badges";
import { Spinner } from "@/components/ui/spinner";
import { cn } from "@/lib/cn";
import { STATUS_META } from "@/lib/ticket-meta";
import type { SearchHit } from "@/lib/api-types";

interface MentionPopoverProps {
  id: string;
  query: string;
  results: SearchHit[] | undefined;
  loading: boolean;
  activeIndex: number;
  onHover: (index: number) => void;
  onChoose: (ticket: SearchHit) => void;
}

export const mentionOptionId = (listId: string, index: number) => `${listId}-opt-${index}`;

/** Tickets matching the `#…` being typed; keyboard handled by the textarea. */
export function MentionPopover({ id, query, results, loading, activeIndex, onHover, onChoose }: MentionPopoverProps) {
  return (
    <div
      className="absolute right-0 bottom-full left-0 z-20 mb-2 overflow-hidden rounded-xl bg-white shadow-lg ring-1 ring-zinc-950/10 sm:right-auto sm:w-96"
      data-testid="mention-popover"
    >
      <div className="flex items-center justify-between border-b border-zinc-100 px-3 py-1.5 text-xs text-zinc-500">
        <span>
          Tickets matching <span className="font-medium text-zinc-700">#{query}</span> · choosing one also attaches it
        </span>
        {loading ? <Spinner className="size-3.5" /> : null}
      </div>
      {results && results.length === 0 && !loading ? (
        <p className="px-3 py-3 text-sm text-zinc-500">No matching tickets.</p>
      ) : (
        <ul id={id} role="listbox" aria-label="Mention a ticket" className="max-h-64 overflow-y-auto py-1">
          {(results ?? []).map((ticket, index) => (
            <li
              key={ticket.id}
              id={mentionOptionId(id, index)}
              role="option"
              aria-selected={index === activeIndex}
              data-testid="mention-option"
              data-ticket-number={ticket.number}
              onMouseEnter={() => onHover(index)}
              onMouseDown={(e) => {
                // Keep focus in the textarea.
                e.preventDefault();
                onChoose(ticket);
              }}
              className={cn(
                "flex cursor-pointer items-center gap-2 px-3 py-2 text-sm",
                index === activeIndex ? "bg-accent-50 text-zinc-900" : "text-zinc-700",
              )}
            >
              <StatusDot status={ticket.status} />
              <span className="font-mono text-xs font-medium text-zinc-500">#{ticket.number}</span>
              <span className="min-w-0 flex-1 truncate">{ticket.title}</span>
              <span className="hidden text-xs text-zinc-500 sm:inline">{STATUS_META[ticket.status]?.label}</span>
            </li>
          ))}
        </ul>
      )}
      <p className="border-t border-zinc-100 px-3 py-1.5 text-[11px] text-zinc-500">
        ↑↓ to choose · Enter to mention and attach · Esc to dismiss
      </p>
    </div>
  );
}
