import { Bot, Phone } from "lucide-react";
import { cn } from "@/lib/cn";
import { PRIORITY_META, SOURCE_META, STATUS_META } from "@/lib/ticket-meta";
import type { TicketPriority, TicketSource, TicketStatus } from "@/lib/api-types";

const BASE = "inline-flex items-center gap-1 rounded-md px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset whitespace-nowrap";

export function StatusDot({ status, className }: { status: TicketStatus; className?: string }) {
  return (
    <span
      aria-hidden="true"
      className={cn("inline-block size-2 shrink-0 rounded-full", STATUS_META[status]?.dot ?? "bg-zinc-400", className)}
    />
  );
}

export function StatusBadge({ status }: { status: TicketStatus }) {
  const meta = STATUS_META[status];
  return (
    <span data-testid="status-badge" data-status={status} className={cn(BASE, meta?.badge)}>
      <StatusDot status={status} />
      {meta?.label ?? status}
    </span>
  );
}

export function PriorityBadge({ priority }: { priority: TicketPriority }) {
  const meta = PRIORITY_META[priority];
  return (
    <span data-testid="priority-badge" data-priority={priority} className={cn(BASE, meta?.badge)}>
      {meta?.label ?? priority}
    </span>
  );
}

const SOURCE_ICONS = { call: Phone, chat: Bot } as const;

export function SourceBadge({ source }: { source: TicketSource }) {
  const meta = SOURCE_META[source];
  const Icon = SOURCE_ICONS[source] ?? Phone;
  return (
    <span data-testid="source-badge" data-source={source} className={cn(BASE, meta?.badge)}>
      <Icon aria-hidden="true" className="size-3" />
      {meta?.label ?? source}
    </span>
  );
}
