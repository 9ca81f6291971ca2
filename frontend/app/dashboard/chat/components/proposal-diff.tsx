import { ArrowRight } from "lucide-react";
import type { Proposal } from "@/lib/api-types";
import { cn } from "@/lib/cn";
import { PRIORITY_META } from "@/lib/ticket-meta";
import { FIELD_LABELS, shownArgument, shownValue, TOOL_ARGUMENTS } from "./proposal-text";

/** Field by field (Open → Closed), the note to be added, the new ticket's draft, or a new contact or call. */
export function ProposalDiff({ proposal, className = "mt-2.5 pl-8" }: { proposal: Proposal; className?: string }) {
  const draft = proposal.new_ticket;
  const listed = (TOOL_ARGUMENTS[proposal.tool] ?? []).filter(([key]) => shownArgument(proposal.arguments[key]) !== null);
  return (
    <div className={cn("space-y-2", className)}>
      {listed.length > 0 ? (
        <dl className="grid grid-cols-[5.5rem_minmax(0,1fr)] gap-x-2 gap-y-1" data-testid="proposal-arguments">
          {listed.map(([key, label]) => (
            <div key={key} className="contents">
              <dt className="text-xs text-zinc-500">{label}</dt>
              <dd className="line-clamp-4 whitespace-pre-wrap text-zinc-800">{shownArgument(proposal.arguments[key], key)}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {proposal.changes.length > 0 ? (
        <dl className="space-y-1">
          {proposal.changes.map((change) => (
            <div key={change.field} className="flex flex-wrap items-center gap-1.5" data-testid="proposal-change" data-field={change.field}>
              <dt className="w-16 shrink-0 text-xs text-zinc-500">{FIELD_LABELS[change.field] ?? change.field}</dt>
              <dd className="flex items-center gap-1.5">
                <span className="text-zinc-500 line-through decoration-zinc-400">{shownValue(change.field, change.from)}</span>
                <ArrowRight aria-label="to" className="size-3.5 text-zinc-500" />
                <span className="font-medium text-zinc-900">{shownValue(change.field, change.to)}</span>
              </dd>
            </div>
          ))}
        </dl>
      ) : null}
      {proposal.note ? (
        <div data-testid="proposal-note">
          <p className="text-xs text-zinc-500">Note to add</p>
          <blockquote className="mt-0.5 border-l-2 border-zinc-200 pl-2 whitespace-pre-wrap text-zinc-700">{proposal.note}</blockquote>
        </div>
      ) : null}
      {draft ? (
        <dl className="grid grid-cols-[5.5rem_minmax(0,1fr)] gap-x-2 gap-y-1" data-testid="proposal-draft">
          <dt className="text-xs text-zinc-500">Title</dt>
          <dd className="font-medium text-zinc-900">{draft.title}</dd>
          <dt className="text-xs text-zinc-500">Description</dt>
          <dd className="line-clamp-4 whitespace-pre-wrap text-zinc-700">{draft.description || "—"}</dd>
          <dt className="text-xs text-zinc-500">Priority</dt>
          <dd className="text-zinc-700">{PRIORITY_META[draft.priority]?.label ?? draft.priority}</dd>
          <dt className="text-xs text-zinc-500">Category</dt>
          <dd className="text-zinc-700">{draft.category || "—"}</dd>
        </dl>
      ) : null}
    </div>
  );
}
