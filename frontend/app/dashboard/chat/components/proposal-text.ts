import { FilePlus2, PencilLine, PhoneCall, UserRoundPlus, type LucideIcon } from "lucide-react";
import type { Proposal } from "@/lib/api-types";
import { contactHandle } from "@/lib/contacts";
import { priorityLabel, statusLabel } from "@/lib/ticket-meta";

/** How a proposal reads to people: its tool's icon, its arguments and changes, what was done. */

export const TOOL_ICONS: Record<string, LucideIcon> = {
  create_ticket: FilePlus2,
  update_ticket: PencilLine,
  create_contact: UserRoundPlus,
  log_call: PhoneCall,
};
/** The tools whose proposals the agent may edit before approving (the form knows their fields). */
export const EDITABLE_TOOLS = new Set(["create_ticket", "update_ticket"]);
/** What a proposal of these tools shows: its arguments, labelled, in this order. */
export const TOOL_ARGUMENTS: Record<string, Array<[string, string]>> = {
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
export const FIELD_LABELS: Record<string, string> = { status: "Status", priority: "Priority", assignee: "Assignee" };

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
export function shownArgument(value: unknown, key = ""): string | null {
  if (value === null || value === undefined || value === "") return null;
  if (key === "ticket_id" && typeof value === "number") return `#${value}`;
  if (key === "contact_id" && typeof value === "number") return contactHandle(value);
  if (key === "direction") return value === "outbound" ? "Outbound" : "Inbound";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

export function shownValue(field: string, value: unknown): string {
  if (value === null || value === undefined || value === "") return field === "assignee" ? "Unassigned" : "none";
  if (field === "status") return statusLabel(value);
  if (field === "priority") return priorityLabel(value);
  return String(value);
}
