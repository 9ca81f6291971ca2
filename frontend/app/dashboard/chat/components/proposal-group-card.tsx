"use client";

import { AlertCircle, Ban, Check, CircleDashed, CircleSlash, ListChecks, Undo2, type LucideIcon } from "lucide-react";
import Link from "next/link";
import { useContext, useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import type { ProposalDecision } from "@/lib/api";
import type { Proposal, ProposalState } from "@/lib/api-types";
import { cn } from "@/lib/cn";
import { contactHandle } from "@/lib/contacts";
import { routes } from "@/lib/urls";
import { groupHead, groupState } from "../lib/proposal-groups";
import { ProposalActionsContext, useCardAction } from "./proposal-actions";
import { ProposalDiff } from "./proposal-diff";
import { CardError } from "./proposal-error";
import { RejectForm } from "./proposal-forms";
import { doneText, TOOL_ICONS } from "./proposal-text";

const STEP_STATES: Record<ProposalState, { label: string; icon: LucideIcon; tone: string }> = {
  pending: { label: "Waiting", icon: CircleDashed, tone: "text-amber-800" },
  executed: { label: "Done", icon: Check, tone: "text-emerald-700" },
  rejected: { label: "Rejected", icon: Ban, tone: "text-zinc-600" },
  superseded: { label: "Not done", icon: CircleSlash, tone: "text-zinc-600" },
  failed: { label: "Failed", icon: AlertCircle, tone: "text-amber-800" },
};

const GROUP_HEADLINES: Record<ProposalState, string> = {
  pending: "Take the call in",
  executed: "Call taken in",
  rejected: "Call intake rejected",
  superseded: "Call intake not done (you moved on)",
  failed: "Call intake stopped",
};

/**
 * The dependent writes of one intake on ONE card: its steps in order (create the contact →
 * the new ticket or the note → log the call), each with its own state, and one Approve and
 * one Reject, sent for the first step (the server runs or drops the whole group, filling a
 * later step's caller or ticket from the earlier step's result).
 */
export function ProposalGroupCard({ groupId, steps }: { groupId: string; steps: Proposal[] }) {
  const headingId = useId();
  const actions = useContext(ProposalActionsContext);
  const head = groupHead(steps);
  const state = groupState(steps);
  const pending = state === "pending";
  const [mode, setMode] = useState<"view" | "reject">("view");
  const { working, error, run } = useCardAction<"approve" | "reject" | "undo">();
  const disabled = working !== null || !actions || actions.busy;

  async function decide(kind: "approve" | "reject", decision: ProposalDecision) {
    if (!actions) return;
    await run(kind, () => actions.decide(head, decision));
    setMode("view");
  }

  // The server undoes every executed step of the group, the last first (the call, then the
  // ticket or note, then the contact), or none of them.
  const undoable = steps.filter((s) => s.state === "executed" && s.undone_at === null);
  async function undoAll() {
    if (!actions) return;
    await run("undo", () => actions.undo(undoable[0] ?? head));
  }

  return (
    <section
      aria-labelledby={headingId}
      data-testid="proposal-group"
      data-group-id={groupId}
      data-state={state}
      className={cn("rounded-xl bg-white p-3.5 text-sm shadow-xs ring-1", pending ? "ring-amber-300" : "ring-zinc-950/10")}
    >
      <h3 id={headingId} className="flex items-center gap-2 font-semibold text-zinc-900">
        <span className="grid size-6 shrink-0 place-items-center rounded-md bg-amber-50 text-amber-700">
          <ListChecks aria-hidden="true" className="size-3.5" />
        </span>
        <span data-testid="proposal-group-headline">
          {GROUP_HEADLINES[state]}: {steps.length} steps
        </span>
        {pending ? <span className="sr-only">(waiting for your approval)</span> : null}
      </h3>

      <ol className="mt-2.5 space-y-2.5 pl-1">
        {steps.map((step, index) => (
          <Step key={step.id} step={step} index={index} showDetails={pending} />
        ))}
      </ol>

      {pending ? (
        mode === "reject" ? (
          <RejectForm
            disabled={disabled}
            onCancel={() => setMode("view")}
            onReject={(reason) => void decide("reject", { action: "reject", reason })}
          />
        ) : (
          <div className="mt-3 flex flex-wrap items-center gap-2">
            <Button
              size="sm"
              variant="primary"
              onClick={() => void decide("approve", { action: "approve" })}
              disabled={disabled}
              data-testid="proposal-group-approve"
            >
              {working === "approve" ? <Spinner className="size-3.5 text-white" /> : <Check aria-hidden="true" className="size-3.5" />}
              Approve {steps.length === 2 ? "both steps" : `all ${steps.length} steps`}
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setMode("reject")} disabled={disabled} data-testid="proposal-group-reject">
              <Ban aria-hidden="true" className="size-3.5" />
              Reject
            </Button>
          </div>
        )
      ) : undoable.length > 0 ? (
        <div className="mt-3">
          <Button size="sm" variant="ghost" onClick={() => void undoAll()} disabled={disabled} data-testid="proposal-group-undo">
            {working === "undo" ? <Spinner className="size-3.5" /> : <Undo2 aria-hidden="true" className="size-3.5" />}
            Undo {undoable.length === steps.length ? "all steps" : "the steps done"}
          </Button>
        </div>
      ) : null}
      {error ? <CardError>{error}</CardError> : null}
    </section>
  );
}

function Step({ step, index, showDetails }: { step: Proposal; index: number; showDetails: boolean }) {
  const meta = STEP_STATES[step.state];
  const Icon = TOOL_ICONS[step.tool] ?? ListChecks;
  const StateIcon = meta.icon;
  const what = step.headline.replace(/\?$/, "");
  const text =
    step.state === "executed"
      ? doneText(step)
      : step.state === "failed"
        ? `${what}: ${step.summary ?? step.reason ?? "it failed"}`
        : what;
  const undone = step.undone_at !== null;
  return (
    <li className="flex gap-2.5" data-testid="proposal-step" data-state={step.state} data-tool={step.tool} data-proposal-id={step.id}>
      <span aria-hidden="true" className="mt-px grid size-5 shrink-0 place-items-center rounded-full bg-zinc-100 text-[11px] font-semibold text-zinc-600">
        {index + 1}
      </span>
      <div className="min-w-0 flex-1">
        <p className="flex flex-wrap items-center gap-x-2 gap-y-0.5">
          <Icon aria-hidden="true" className="size-3.5 shrink-0 text-zinc-500" />
          <span className={cn("font-medium text-zinc-900", undone && "line-through decoration-zinc-400")} data-testid="proposal-step-text">
            {text}
          </span>
          <span className={cn("inline-flex items-center gap-1 text-xs font-medium", meta.tone)} data-testid="proposal-step-state">
            <StateIcon aria-hidden="true" className="size-3.5" />
            {undone ? "Undone" : meta.label}
          </span>
          {step.state === "executed" && step.tool === "create_contact" && step.contact ? (
            <Link href={routes.contact(step.contact.number)} className="rounded text-xs text-accent-700 hover:underline" data-testid="proposal-step-contact">
              Open {contactHandle(step.contact.number)}
            </Link>
          ) : null}
          {step.state === "executed" && step.ticket ? (
            <Link href={routes.ticket(step.ticket.number)} className="rounded text-xs text-accent-700 hover:underline">
              Open #{step.ticket.number}
            </Link>
          ) : null}
        </p>
        {showDetails ? <ProposalDiff proposal={step} className="mt-1.5" /> : null}
      </div>
    </li>
  );
}
