/**
 * Wire types of the Deskpilot HTTP API, hand-written from docs/api.md.
 *
 * lib/api-contract.ts checks them at compile time against lib/api-schema.d.ts,
 * which `npm run gen:api` generates from the backend's OpenAPI schema
 * (`uv run deskpilot openapi` writes ../openapi.json): a drift between the
 * backend and these types fails `npm run typecheck`. Any interface below can
 * become an alias of the generated one, e.g.
 *
 *   export type TicketSummary = components["schemas"]["TicketSummary"];
 *
 * without changing the modules that import from here. (Request bodies stay
 * hand-written: the generated ones mark fields with server defaults required.)
 */

/** ISO 8601 timestamp with time zone. */
export type IsoDateTime = string;
/** UUID string. */
export type Uuid = string;

// ---------------------------------------------------------------- errors

export interface ErrorDetail {
  field?: string | null;
  message: string;
}

export interface ErrorBody {
  error: {
    code: string;
    message: string;
    details?: ErrorDetail[] | null;
  };
}

// ---------------------------------------------------------------- auth

export type UserRole = "agent" | "admin";

export interface User {
  id: Uuid;
  email: string;
  name: string;
  role: UserRole;
}

export interface UserRef {
  id: Uuid;
  name: string;
  email: string;
}

export interface AuthResponse {
  user: User;
  csrf_token: string;
}

// ---------------------------------------------------------------- tickets

export const TICKET_STATUSES = ["open", "in_progress", "resolved", "closed"] as const;
export const TICKET_PRIORITIES = ["low", "medium", "high", "urgent"] as const;
export const TICKET_SOURCES = ["call", "chat"] as const;

export type TicketStatus = (typeof TICKET_STATUSES)[number];
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];
export type TicketSource = (typeof TICKET_SOURCES)[number];

export interface TicketSummary {
  id: Uuid;
  number: number;
  title: string;
  status: TicketStatus;
  priority: TicketPriority;
  category: string | null;
  source: TicketSource;
  /** Optional in the OpenAPI schema (null when unassigned). */
  assignee?: UserRef | null;
  created_at: IsoDateTime;
  updated_at: IsoDateTime;
}

export interface Ticket extends TicketSummary {
  description: string;
  created_by?: UserRef | null;
  chat_session_id: Uuid | null;
}

export interface Note {
  id: Uuid;
  body: string;
  author?: UserRef | null;
  created_at: IsoDateTime;
  /** An undone AI note: kept, shown struck through. */
  retracted_at?: IsoDateTime | null;
  retracted_by?: UserRef | null;
}

export type TicketEventAction = "created" | "updated" | "note_added" | "reverted";
export type Channel = "ui" | "chat" | "api";

export interface TicketEvent {
  id: Uuid;
  action: TicketEventAction;
  field: string | null;
  old_value?: unknown;
  new_value?: unknown;
  actor?: UserRef | null;
  channel: Channel;
  chat_session_id: Uuid | null;
  created_at: IsoDateTime;
  /** The AI write (proposal id) it belongs to: undone together. */
  write_id?: Uuid | null;
  /** Who approved that AI write. */
  approved_by?: UserRef | null;
  /** `reverted`: the event it undoes. */
  reverts_id?: Uuid | null;
  /** Undone since. */
  reverted?: boolean;
  /** The viewer may undo it now. */
  can_undo?: boolean;
}

export interface TicketDetail extends Ticket {
  notes: Note[];
  events: TicketEvent[];
}

export interface TicketsPage {
  items: TicketSummary[];
  next_cursor: string | null;
}

export interface SearchHit extends TicketSummary {
  /** Plain text in which matched words are wrapped in `<mark>`…`</mark>`. */
  snippet: string;
  rank: number;
}

export interface SearchResults {
  items: SearchHit[];
}

export interface TicketListParams {
  status?: TicketStatus;
  priority?: TicketPriority;
  source?: TicketSource;
  category?: string;
  /** A user id, `me` or `none`. */
  assignee?: string;
  limit?: number;
  cursor?: string;
}

export interface TicketCreate {
  title: string;
  description: string;
  priority?: TicketPriority;
  category?: string | null;
  status?: TicketStatus;
  assignee_id?: Uuid | null;
  source?: TicketSource;
}

export interface TicketUpdate {
  status?: TicketStatus;
  priority?: TicketPriority;
  category?: string | null;
  title?: string;
  description?: string;
  assignee_id?: Uuid | null;
  /** Appends a note. */
  notes?: string;
}

/** A ticket reference accepted by the API: a UUID or a ticket number. */
export type TicketRef = string | number;

// ---------------------------------------------------------------- chat

export type ChatRole = "user" | "assistant" | "system";
/**
 * `pending`: a reply still being generated; `awaiting_approval`: paused on proposed
 * writes the agent decides (its `proposals`).
 */
export type ChatMessageStatus = "complete" | "incomplete" | "failed" | "pending" | "awaiting_approval";
export type ToolCallStatus =
  | "ok"
  | "error"
  | "refused"
  | "proposed"
  | "executed"
  | "rejected"
  | "superseded"
  | "failed";

export interface ToolCallRecord {
  id: string;
  name: string;
  arguments: unknown;
  status: ToolCallStatus;
  summary: string;
  duration_ms: number;
  ticket_ids: Uuid[];
  /** A write: its proposal, in the message's `proposals`. */
  proposal_id?: Uuid | null;
}

// ---------------------------------------------------------------- proposals

export type ProposalState = "pending" | "executed" | "rejected" | "superseded" | "failed";

export interface ProposalChange {
  field: string;
  from?: unknown;
  to?: unknown;
}

export interface NewTicketDraft {
  title: string;
  description: string;
  priority: TicketPriority;
  category: string | null;
}

/** A write the copilot proposed (or made at once, `automatic`). */
export interface Proposal {
  id: Uuid;
  message_id: Uuid | null;
  tool_call_id: string;
  tool: string;
  state: ProposalState;
  /** "Close #12?" */
  headline: string;
  ticket: TicketSummary | null;
  changes: ProposalChange[];
  note: string | null;
  new_ticket: NewTicketDraft | null;
  arguments: Record<string, unknown>;
  edited: boolean;
  reason: string | null;
  summary: string | null;
  automatic: boolean;
  decided_by: UserRef | null;
  decided_at: IsoDateTime | null;
  undone_at: IsoDateTime | null;
  undone_by: UserRef | null;
  created_at: IsoDateTime;
}

export type ApprovalPolicy = "writes" | "optional" | "never";

export interface ApprovalSettings {
  policy: ApprovalPolicy;
  ask_before_changes: boolean;
  can_change: boolean;
}

export interface ChatError {
  code: string;
  message: string;
}

export interface ChatMessage {
  id: Uuid;
  session_id: Uuid;
  role: ChatRole;
  content: string;
  ticket_refs: Uuid[];
  /** `ticket_refs` resolved, for inline cards. */
  tickets: TicketSummary[];
  tool_calls: ToolCallRecord[] | null;
  status: ChatMessageStatus;
  error: ChatError | null;
  client_message_id: string | null;
  created_at: IsoDateTime;
  /** The writes its tool calls proposed or made, in call order. */
  proposals?: Proposal[];
}

export interface ChatSessionSummary {
  id: Uuid;
  title: string | null;
  created_at: IsoDateTime;
  updated_at: IsoDateTime;
  attached_ticket_count: number;
  last_message_preview: string | null;
  /** Changes waiting for the agent's approval. */
  pending_proposals?: number;
}

export interface ChatSessionsPage {
  items: ChatSessionSummary[];
  next_cursor: string | null;
}

export interface ChatSession {
  id: Uuid;
  title: string | null;
  created_at: IsoDateTime;
  updated_at: IsoDateTime;
  attached_tickets: TicketSummary[];
}

export interface ChatSessionDetail extends ChatSession {
  /** The latest page, oldest first. */
  messages: ChatMessage[];
  has_more: boolean;
}

export interface ChatMessagesPage {
  items: ChatMessage[];
  has_more: boolean;
}

export interface ChatSessionTicketsResponse extends ChatSession {
  system_message: ChatMessage | null;
}

export interface ChatTicketCreate {
  session_id: Uuid;
  title: string;
  description: string;
  priority?: TicketPriority;
  category?: string | null;
}

/** A ticket created from chat: attached unless the chat was at its cap. */
export interface ChatTicket extends Ticket {
  attached: boolean;
  system_message: ChatMessage | null;
}

export type ChatProvider = "offline" | "openai" | "anthropic";

export interface ChatConfig {
  provider: ChatProvider;
  model: string;
  offline: boolean;
  max_message_chars: number;
  max_attached_tickets: number;
  approval: ApprovalSettings;
}

// ---------------------------------------------------------------- chat stream events

export interface ToolCallStartedEvent {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
  label: string;
}

export interface ToolCallFinishedEvent {
  id: string;
  name: string;
  status: ToolCallStatus;
  summary: string;
  duration_ms: number;
  tickets: TicketSummary[];
}

/** Map from SSE event name to its JSON payload. */
export interface ChatStreamEvents {
  user_message: { message: ChatMessage };
  text_delta: { text: string };
  tool_call_started: ToolCallStartedEvent;
  tool_call_finished: ToolCallFinishedEvent;
  assistant_message: { message: ChatMessage };
  /** The reply paused on proposals (its final event). */
  approval_required: { proposal: Proposal | null; proposals: Proposal[]; message: ChatMessage };
  /** A decision, before the reply goes on. */
  proposal_updated: { proposal: Proposal };
  session_title: { title: string };
  error: ChatError;
  done: Record<string, never>;
}

export type ChatStreamEventName = keyof ChatStreamEvents;
