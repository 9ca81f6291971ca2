"use client";

import {
  AlertCircle,
  ArrowRight,
  Ban,
  Check,
  CircleSlash,
  FilePlus2,
  PencilLine,
  PhoneCall,
  RotateCcw,
  Undo2,
  UserRoundPlus,
  Wrench,
  type LucideIcon,
} from "lucide-react";
import Link from "next/link";
import { createContext, useContext, useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Input, Textarea } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { errorMessage, type ProposalDecision } from "@/lib/api";
import { cn } from "@/lib/cn";
import type { Proposal, TicketPriority, TicketStatus } from "@/lib/api-types";
import {
  PRIORITY_META,
  STATUS_META,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  priorityLabel,
  statusLabel,
} from "@/lib/ticket-meta";
import { routes } from "@/lib/urls";
import { contactHandle } from "@/lib/contacts";
import { groupProposals, waitingDecisions } from "../lib/proposal-groups";
import { ProposalGroupCard } from "./proposal-group-card";

/** What a card can do; the chat page provides it (chat-container.tsx). */
export interface ProposalActions {
  decide: (proposal: Proposal, decision: ProposalDecision) => Promise<void>;
  approveAll: (messageId: string) => Promise<void>;
  undo: (proposal: Proposal) => Promise<void>;
  /** A reply is being written: decisions wait. */
  busy: boolean;
}

export const ProposalActionsContext = createContext<ProposalActions | null>(null);

export const TOOL_ICONS: Record<string, LucideIcon> = {
  create_ticket: FilePlus2,
  update_ticket: PencilLine,
  create_contact: UserRoundPlus,
  log_call: PhoneCall,
};
/** The tools whose proposals the agent may edit before approving (the form knows their fields). */
const EDITABLE_TOOLS = new Set(["create_ticket", "update_ticket"]);
/** What a proposal of these tools shows: its arguments, labelled, in this order. */
const TOOL_ARGUMENTS: Record<string, Array<[string, string]>> = {
  create_contact: [
    ["name", "Name"],
    ["organization", "Organisation"],
    ["phone", "Phone"],
    ["email", "E-mail"],
  ],
  log_call: [
    ["summary", "Summary"],
    ["direction", "Direction"],
    ["ticket_id", "Ticket"],
    ["contact_id", "Caller"],
  ],
};
const DONE_VERBS: Record<string, string> = { closed: "Closed", open: "Reopened", in_progress: "Started", resolved: "Resolved" };
const FIELD_LABELS: Record<string, string> = { status: "Status", priority: "Priority", assignee: "Assignee" };

function ticketRef(proposal: Proposal): string {
  return proposal.ticket ? `#${proposal.ticket.number}` : "the ticket";
}

/** "Closed #12", "Added a note to #12", "Created #61". */
export function doneText(proposal: Proposal): string {
  if (proposal.tool === "create_ticket") return `Created ${ticketRef(proposal)}`;
  if (proposal.tool === "create_contact") {
    const name = proposal.contact?.name ?? proposal.arguments.name;
    return typeof name === "string" && name ? `Created the contact ${name}` : "Created the contact";
  }
  if (proposal.tool === "log_call") return proposal.ticket ? `Logged the call on ${ticketRef(proposal)}` : "Logged the call";
  const status = proposal.changes.find((c) => c.field === "status");
  if (status) {
    const verb = DONE_VERBS[String(status.to)] ?? "Updated";
    return `${verb} ${ticketRef(proposal)}${proposal.note ? " with a note" : ""}`;
  }
  return proposal.note ? `Added a note to ${ticketRef(proposal)}` : `Updated ${ticketRef(proposal)}`;
}

/** An argument as a person reads it: ticket 47 as #47, a caller 12 as C-12; null when empty. */
function shownArgument(value: unknown, key = ""): string | null {
  if (value === null || value === undefined || value === "") return null;
  if (key === "ticket_id" && typeof value === "number") return `#${value}`;
  if (key === "contact_id" && typeof value === "number") return contactHandle(value);
  if (key === "direction") return value === "outbound" ? "Outbound" : "Inbound";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

function shown(field: string, value: unknown): string {
  if (value === null || value === undefined || value === "") return field === "assignee" ? "Unassigned" : "none";
  if (field === "status") return statusLabel(value);
  if (field === "priority") return priorityLabel(value);
  return String(value);
}

/**
 * The cards of a reply's proposals, with "Approve all" when several decisions wait. The steps
 * of one intake (one `group_id`) are one card, decided as a whole.
 */
export function ProposalList({ proposals, messageId }: { proposals: Proposal[]; messageId: string | null }) {
  const actions = useContext(ProposalActionsContext);
  const [error, setError] = useState<string | null>(null);
  const [working, setWorking] = useState(false);
  if (proposals.length === 0) return null;
  const units = groupProposals(proposals);
  const waiting = waitingDecisions(units);

  async function approveAll() {
    if (!actions || !messageId) return;
    setWorking(true);
    setError(null);
    try {
      await actions.approveAll(messageId);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setWorking(false);
    }
  }

  return (
    <div className="mt-2 space-y-2" data-testid="proposals">
      {units.map((unit) =>
        unit.kind === "group" ? (
          <ProposalGroupCard key={unit.id} groupId={unit.id} steps={unit.steps} />
        ) : (
          <ProposalCard key={unit.proposal.id} proposal={unit.proposal} />
        ),
      )}
      {waiting > 1 && actions ? (
        <div className="flex items-center gap-2">
          <Button
            size="sm"
            variant="primary"
            onClick={() => void approveAll()}
            disabled={working || actions.busy}
            data-testid="approve-all"
          >
            {working ? <Spinner className="size-3.5 text-white" /> : <Check aria-hidden="true" className="size-3.5" />}
            Approve all {waiting}
          </Button>
          {error ? (
            <span role="alert" className="text-xs text-red-600">
              {error}
            </span>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

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
  const [working, setWorking] = useState<"approve" | "reject" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const editRef = useRef<HTMLButtonElement>(null);

  async function run(kind: "approve" | "reject", decision: ProposalDecision) {
    if (!actions) return;
    setWorking(kind);
    setError(null);
    try {
      await actions.decide(proposal, decision);
    } catch (e) {
      setError(errorMessage(e));
      setMode("view");
    } finally {
      setWorking(null);
    }
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
        <EditForm
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
                <span className="text-zinc-500 line-through decoration-zinc-400">{shown(change.field, change.from)}</span>
                <ArrowRight aria-label="to" className="size-3.5 text-zinc-500" />
                <span className="font-medium text-zinc-900">{shown(change.field, change.to)}</span>
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

function EditForm({
  proposal,
  disabled,
  onCancel,
  onApprove,
}: {
  proposal: Proposal;
  disabled: boolean;
  onCancel: () => void;
  onApprove: (args: Record<string, unknown>) => void;
}) {
  const id = useId();
  const draft = proposal.new_ticket;
  const args = proposal.arguments;
  const [title, setTitle] = useState(draft?.title ?? "");
  const [description, setDescription] = useState(draft?.description ?? "");
  const [priority, setPriority] = useState<TicketPriority>(draft?.priority ?? "medium");
  const [category, setCategory] = useState(draft?.category ?? "");
  const [status, setStatus] = useState<TicketStatus | "">((args.status as TicketStatus | undefined) ?? "");
  const [note, setNote] = useState(String(args.notes ?? ""));
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => formRef.current?.querySelector<HTMLElement>("input, select, textarea")?.focus(), []);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (draft) {
      onApprove({ title: title.trim(), description: description.trim(), priority, ...(category.trim() ? { category: category.trim() } : {}) });
      return;
    }
    onApprove({
      ticket_id: args.ticket_id,
      ...(status ? { status } : {}),
      ...(note.trim() ? { notes: note.trim() } : {}),
    });
  }

  const label = "mb-1 block text-xs font-medium text-zinc-500";
  const empty = draft ? !title.trim() : !status && !note.trim();
  return (
    <form
      ref={formRef}
      onSubmit={submit}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          onCancel();
        }
      }}
      className="mt-3 space-y-2.5 pl-8"
      data-testid="proposal-edit-form"
      aria-label="Edit the change"
    >
      {draft ? (
        <>
          <div>
            <label htmlFor={`${id}-title`} className={label}>Title</label>
            <Input id={`${id}-title`} value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} data-testid="draft-title" />
          </div>
          <div>
            <label htmlFor={`${id}-description`} className={label}>Description</label>
            <Textarea
              id={`${id}-description`}
              rows={3}
              value={description}
              maxLength={20000}
              onChange={(e) => setDescription(e.target.value)}
              data-testid="draft-description"
            />
          </div>
          <div className="grid grid-cols-2 gap-2">
            <div>
              <label htmlFor={`${id}-priority`} className={label}>Priority</label>
              <Select
                id={`${id}-priority`}
                value={priority}
                onChange={(e) => setPriority(e.target.value as TicketPriority)}
                className="w-full"
                data-testid="draft-priority"
              >
                {TICKET_PRIORITIES.map((p) => (
                  <option key={p} value={p}>{PRIORITY_META[p].label}</option>
                ))}
              </Select>
            </div>
            <div>
              <label htmlFor={`${id}-category`} className={label}>Category</label>
              <Input
                id={`${id}-category`}
                value={category}
                maxLength={64}
                onChange={(e) => setCategory(e.target.value)}
                data-testid="draft-category"
              />
            </div>
          </div>
        </>
      ) : (
        <>
          <div>
            <label htmlFor={`${id}-status`} className={label}>Status</label>
            <Select
              id={`${id}-status`}
              value={status}
              onChange={(e) => setStatus(e.target.value as TicketStatus | "")}
              className="w-full"
              data-testid="edit-status"
            >
              <option value="">Leave as it is</option>
              {TICKET_STATUSES.map((s) => (
                <option key={s} value={s}>{STATUS_META[s].label}</option>
              ))}
            </Select>
          </div>
          <div>
            <label htmlFor={`${id}-note`} className={label}>Note</label>
            <Textarea id={`${id}-note`} rows={2} value={note} maxLength={10000} onChange={(e) => setNote(e.target.value)} data-testid="edit-note" />
          </div>
        </>
      )}
      <div className="flex items-center gap-2">
        <Button type="submit" size="sm" variant="primary" disabled={disabled || empty} data-testid="proposal-approve-edited">
          <Check aria-hidden="true" className="size-3.5" />
          Approve changes
        </Button>
        <Button size="sm" variant="ghost" onClick={onCancel} disabled={disabled}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

export function RejectForm({
  disabled,
  onCancel,
  onReject,
}: {
  disabled: boolean;
  onCancel: () => void;
  onReject: (reason: string | undefined) => void;
}) {
  const id = useId();
  const [reason, setReason] = useState("");
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <form
      className="mt-3 flex flex-wrap items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        onReject(reason.trim() || undefined);
      }}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          onCancel();
        }
      }}
    >
      <div className="min-w-48 flex-1">
        <label htmlFor={id} className="mb-1 block text-xs font-medium text-zinc-500">
          Reason (optional, the assistant reads it)
        </label>
        <Input ref={ref} id={id} value={reason} maxLength={1000} onChange={(e) => setReason(e.target.value)} data-testid="proposal-reject-reason" />
      </div>
      <Button type="submit" size="sm" variant="danger" disabled={disabled} data-testid="proposal-reject-confirm">
        Reject
      </Button>
      <Button size="sm" variant="ghost" onClick={onCancel} disabled={disabled}>
        Cancel
      </Button>
    </form>
  );
}

// ---------------------------------------------------------------- decided

function DecidedProposal({ proposal, headingId }: { proposal: Proposal; headingId: string }) {
  const actions = useContext(ProposalActionsContext);
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function undo() {
    if (!actions) return;
    setWorking(true);
    setError(null);
    try {
      await actions.undo(proposal);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setWorking(false);
    }
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
                disabled={working || !actions}
                className="inline-flex items-center gap-1 rounded text-sm font-medium text-accent-700 hover:underline focus-visible:outline-2 focus-visible:outline-accent-500 disabled:text-zinc-400"
                data-testid="proposal-undo"
              >
                {working ? <Spinner className="size-3.5" /> : <Undo2 aria-hidden="true" className="size-3.5" />}
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

export function CardError({ children }: { children: ReactNode }) {
  return (
    <p role="alert" className="mt-2 flex items-start gap-1.5 rounded-md bg-red-50 px-2.5 py-1.5 text-xs text-red-700" data-testid="proposal-error">
      <AlertCircle aria-hidden="true" className="mt-px size-3.5 shrink-0" />
      <span>{children}</span>
    </p>
  );
}
