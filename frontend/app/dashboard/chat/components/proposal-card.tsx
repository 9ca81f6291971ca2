"use client";

import { AlertCircle, Ban, Check, CircleSlash, PencilLine, RotateCcw, Undo2, Wrench, type LucideIcon } from "lucide-react";
import Link from "next/link";
import { useContext, useId, useRef, useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import type { ProposalDecision } from "@/lib/api";
import { cn } from "@/lib/cn";
import type { Proposal } from "@/lib/api-types";
import { routes } from "@/lib/urls";
import { ProposalActionsContext, useCardAction } from "./proposal-actions";
import { ProposalDiff } from "./proposal-diff";
import { CardError } from "./proposal-error";
import { ProposalEditForm, RejectForm } from "./proposal-forms";
import { doneText, EDITABLE_TOOLS, TOOL_ICONS } from "./proposal-text";

/** One proposal on its own: waiting (approve, edit, reject) or decided (its outcome, undo). */
export function ProposalCard({ proposal }: { proposal: Proposal }) {
  const headingId = useId();
  const Icon = TOOL_ICONS[proposal.tool] ?? Wrench;
  const pending = proposal.state === "pending";
  return (
    <section
      aria-labelledby={headingId}
      data-testid="proposal-card"
      data-state={proposal.state}
      data-undone={proposal.undone_at ? "true" : undefined}
      data-proposal-id={proposal.id}
      className={cn(
        "rounded-xl bg-white p-3.5 text-sm shadow-xs ring-1",
        pending ? "ring-amber-300" : "ring-zinc-950/10",
      )}
    >
      {pending ? (
        <PendingProposal proposal={proposal} icon={Icon} headingId={headingId} />
      ) : (
        <DecidedProposal proposal={proposal} headingId={headingId} />
      )}
    </section>
  );
}

// ---------------------------------------------------------------- waiting for the agent

type Mode = "view" | "edit" | "reject";

function PendingProposal({ proposal, icon: Icon, headingId }: { proposal: Proposal; icon: LucideIcon; headingId: string }) {
  const actions = useContext(ProposalActionsContext);
  const [mode, setMode] = useState<Mode>("view");
  const { working, error, run: runAction } = useCardAction<"approve" | "reject">();
  const editRef = useRef<HTMLButtonElement>(null);

  async function run(kind: "approve" | "reject", decision: ProposalDecision) {
    if (!actions) return;
    if (!(await runAction(kind, () => actions.decide(proposal, decision)))) setMode("view");
  }

  const disabled = working !== null || !actions || actions.busy;
  const cancel = () => {
    setMode("view");
    requestAnimationFrame(() => editRef.current?.focus());
  };

  return (
    <>
      <h3 id={headingId} className="flex items-center gap-2 font-semibold text-zinc-900">
        <span className="grid size-6 shrink-0 place-items-center rounded-md bg-amber-50 text-amber-700">
          <Icon aria-hidden="true" className="size-3.5" />
        </span>
        <span data-testid="proposal-headline">{proposal.headline}</span>
        <span className="sr-only">(waiting for your approval)</span>
      </h3>
      {proposal.ticket ? (
        <p className="mt-1 truncate pl-8 text-xs text-zinc-500">
          <Link href={routes.ticket(proposal.ticket.number)} className="rounded hover:underline">
            #{proposal.ticket.number} {proposal.ticket.title}
          </Link>
        </p>
      ) : null}

      {mode === "edit" ? (
        <ProposalEditForm
          proposal={proposal}
          disabled={disabled}
          onCancel={cancel}
          onApprove={(args) => void run("approve", { action: "approve", arguments: args })}
        />
      ) : (
        <>
          <ProposalDiff proposal={proposal} />
          {mode === "reject" ? (
            <RejectForm disabled={disabled} onCancel={cancel} onReject={(reason) => void run("reject", { action: "reject", reason })} />
          ) : (
            <div className="mt-3 flex flex-wrap items-center gap-2">
              <Button
                size="sm"
                variant="primary"
                onClick={() => void run("approve", { action: "approve" })}
                disabled={disabled}
                data-testid="proposal-approve"
              >
                {working === "approve" ? <Spinner className="size-3.5 text-white" /> : <Check aria-hidden="true" className="size-3.5" />}
                Approve
              </Button>
              {EDITABLE_TOOLS.has(proposal.tool) ? (
                <Button
                  ref={editRef}
                  size="sm"
                  variant="secondary"
                  onClick={() => setMode("edit")}
                  disabled={disabled}
                  data-testid="proposal-edit"
                >
                  <PencilLine aria-hidden="true" className="size-3.5" />
                  Edit
                </Button>
              ) : null}
              <Button size="sm" variant="ghost" onClick={() => setMode("reject")} disabled={disabled} data-testid="proposal-reject">
                {working === "reject" ? <Spinner className="size-3.5" /> : <Ban aria-hidden="true" className="size-3.5" />}
                Reject
              </Button>
            </div>
          )}
        </>
      )}
      {error ? <CardError>{error}</CardError> : null}
    </>
  );
}

// ---------------------------------------------------------------- decided

function DecidedProposal({ proposal, headingId }: { proposal: Proposal; headingId: string }) {
  const actions = useContext(ProposalActionsContext);
  const { working, error, run } = useCardAction<"undo">();

  async function undo() {
    if (!actions) return;
    await run("undo", () => actions.undo(proposal));
  }

  const what = proposal.headline.replace(/\?$/, "");
  const lines: Record<Proposal["state"], { icon: LucideIcon; text: ReactNode; tone: string }> = {
    pending: { icon: Check, text: what, tone: "text-zinc-700" },
    executed: { icon: Check, text: doneText(proposal), tone: "text-emerald-700" },
    rejected: {
      icon: Ban,
      text: `Rejected: ${what}${proposal.reason ? ` (${proposal.reason})` : ""}`,
      tone: "text-zinc-600",
    },
    superseded: { icon: CircleSlash, text: `Not done: ${what} (you moved on)`, tone: "text-zinc-500" },
    failed: {
      icon: AlertCircle,
      text: `Couldn't ${what.charAt(0).toLowerCase()}${what.slice(1)}: ${proposal.summary ?? "it failed"}`,
      tone: "text-amber-800",
    },
  };
  const line = lines[proposal.state];
  const Icon = line.icon;
  const undone = proposal.undone_at !== null;
  return (
    <>
      <h3 id={headingId} className={cn("flex flex-wrap items-center gap-x-1.5 gap-y-1 font-medium", line.tone)}>
        <Icon aria-hidden="true" className="size-4 shrink-0" />
        <span className={cn(undone && "line-through decoration-zinc-400")} data-testid="proposal-outcome">
          {line.text}
        </span>
        {proposal.state === "executed" && proposal.ticket ? (
          <Link href={routes.ticket(proposal.ticket.number)} className="sr-only">
            Open #{proposal.ticket.number}
          </Link>
        ) : null}
        {proposal.state === "executed" ? (
          undone ? (
            <span className="text-xs font-normal text-zinc-500" data-testid="proposal-undone">
              · Undone{proposal.undone_by ? ` by ${proposal.undone_by.name}` : ""}
            </span>
          ) : (
            <>
              <span aria-hidden="true" className="text-zinc-500">·</span>
              <button
                type="button"
                onClick={() => void undo()}
                disabled={working !== null || !actions}
                className="inline-flex items-center gap-1 rounded text-sm font-medium text-accent-700 hover:underline focus-visible:outline-2 focus-visible:outline-accent-500 disabled:text-zinc-400"
                data-testid="proposal-undo"
              >
                {working !== null ? <Spinner className="size-3.5" /> : <Undo2 aria-hidden="true" className="size-3.5" />}
                Undo
              </button>
            </>
          )
        ) : null}
      </h3>
      {proposal.state === "executed" && proposal.edited ? (
        <p className="mt-1 pl-5.5 text-xs text-zinc-500">
          <RotateCcw aria-hidden="true" className="mr-1 inline size-3" />
          Approved with your edits
        </p>
      ) : null}
      {error ? <CardError>{error}</CardError> : null}
    </>
  );
}
