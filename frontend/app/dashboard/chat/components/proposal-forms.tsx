"use client";

import { Check } from "lucide-react";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Input, Textarea } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { Proposal, TicketPriority, TicketStatus } from "@/lib/api-types";
import { PRIORITY_META, STATUS_META, TICKET_PRIORITIES, TICKET_STATUSES } from "@/lib/ticket-meta";

/** The agent edits a ticket proposal before approving it (the new ticket's draft, or a status and note). */
export function ProposalEditForm({
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
