/** Labels and colours for ticket enums, shared by badges, chips and selects, and their order. */
import type { TicketPriority, TicketSource, TicketStatus } from "./api-types";

/**
 * Every value of the API's enum `T`, in the order given: a value missing (the API gained
 * one) or unknown (it lost one) fails to compile.
 */
const allOf =
  <T extends string>() =>
  <const A extends readonly T[]>(values: A & ([T] extends [A[number]] ? unknown : never)): A =>
    values;

export const TICKET_STATUSES = allOf<TicketStatus>()(["open", "in_progress", "resolved", "closed"]);
export const TICKET_PRIORITIES = allOf<TicketPriority>()(["low", "medium", "high", "urgent"]);
export const TICKET_SOURCES = allOf<TicketSource>()(["call", "chat"]);

interface Meta {
  label: string;
  /** Badge classes (background, text, ring). */
  badge: string;
  /** Dot colour class. */
  dot: string;
}

export const STATUS_META: Record<TicketStatus, Meta> = {
  open: { label: "Open", badge: "bg-blue-50 text-blue-700 ring-blue-600/20", dot: "bg-blue-500" },
  in_progress: { label: "In progress", badge: "bg-amber-50 text-amber-800 ring-amber-600/25", dot: "bg-amber-500" },
  resolved: { label: "Resolved", badge: "bg-emerald-50 text-emerald-700 ring-emerald-600/20", dot: "bg-emerald-500" },
  closed: { label: "Closed", badge: "bg-zinc-100 text-zinc-600 ring-zinc-500/20", dot: "bg-zinc-400" },
};

export const PRIORITY_META: Record<TicketPriority, Meta> = {
  urgent: { label: "Urgent", badge: "bg-red-50 text-red-700 ring-red-600/20", dot: "bg-red-500" },
  high: { label: "High", badge: "bg-orange-50 text-orange-700 ring-orange-600/20", dot: "bg-orange-500" },
  medium: { label: "Medium", badge: "bg-slate-100 text-slate-700 ring-slate-500/20", dot: "bg-slate-500" },
  low: { label: "Low", badge: "bg-zinc-50 text-zinc-500 ring-zinc-400/20", dot: "bg-zinc-300" },
};

export const SOURCE_META: Record<TicketSource, { label: string; badge: string }> = {
  call: { label: "Call", badge: "bg-white text-zinc-600 ring-zinc-300" },
  chat: { label: "Chat", badge: "bg-violet-50 text-violet-700 ring-violet-600/20" },
};

export function statusLabel(value: unknown): string {
  return typeof value === "string" && value in STATUS_META ? STATUS_META[value as TicketStatus].label : String(value ?? "—");
}

export function priorityLabel(value: unknown): string {
  return typeof value === "string" && value in PRIORITY_META
    ? PRIORITY_META[value as TicketPriority].label
    : String(value ?? "—");
}
