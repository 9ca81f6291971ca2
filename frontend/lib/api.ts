/**
 * The Deskpilot API client: the only module that calls `fetch`.
 *
 * - Same-origin `/api` by default (the backend serves the static app); set
 *   NEXT_PUBLIC_API_BASE at build time to point elsewhere.
 * - Every request sends `X-Deskpilot-Channel: ui`; every unsafe request sends
 *   `X-CSRF-Token` with the value of the `deskpilot_csrf` cookie.
 * - Every non-2xx answer becomes one `ApiError` carrying the server's error
 *   shape; a 401 also sends the browser to `/login/?next=<here>`.
 */

import { ApiError, isAbortError } from "./api-error";
import { fillPath, type Method, type Operation, type PathWith, type RequestOptions, type Success } from "./api-request";
import type {
  ApprovalSettings,
  Call,
  CallCreate,
  ContactCreate,
  ContactDetail,
  ContactListParams,
  Contact,
  ContactsPage,
  ContactUpdate,
  SimilarTicket,
  SimilarTicketsParams,
  ChatConfig,
  ChatMessage,
  ChatMessagesPage,
  ChatSession,
  ChatSessionAttachResult,
  ChatSessionDetail,
  ChatSessionsPage,
  Note,
  Proposal,
  SearchHit,
  Ticket,
  TicketCreate,
  TicketDetail,
  TicketListParams,
  TicketRef,
  TicketsPage,
  TicketStatus,
  TicketUpdate,
  UsageParams,
  UsageReport,
  User,
  AuthState,
} from "./api-types";
import { readSSE } from "./sse";
import type { ChatStreamEventName, ChatStreamEvents } from "./types";

export { ApiError, ErrorCode, errorMessage, hasErrorCode, isAbortError } from "./api-error";

const API_BASE = (process.env.NEXT_PUBLIC_API_BASE ?? "").replace(/\/+$/, "");
export const CSRF_COOKIE = "deskpilot_csrf";
const UNSAFE_METHODS = new Set<Method>(["post", "put", "patch", "delete"]);

// ---------------------------------------------------------------- plumbing

let csrfFromBody: string | null = null;

export function readCookie(name: string): string | null {
  if (typeof document === "undefined") return null;
  for (const part of document.cookie.split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

function csrfToken(): string | null {
  return readCookie(CSRF_COOKIE) ?? csrfFromBody;
}

export type UnauthorizedHandler = () => void;

/** Default: go to the sign-in page, remembering where we were. */
let onUnauthorized: UnauthorizedHandler = () => {
  if (typeof window === "undefined") return;
  const here = window.location.pathname + window.location.search;
  if (window.location.pathname.startsWith("/login")) return;
  window.location.assign(new URL(`/login/?next=${encodeURIComponent(here)}`, window.location.origin).href);
};

export function setUnauthorizedHandler(handler: UnauthorizedHandler): void {
  onUnauthorized = handler;
}

type QueryValue = string | number | boolean | null | undefined;

function buildUrl(path: string, query?: object): string {
  let url = `${API_BASE}${path}`;
  if (query) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query) as Array<[string, QueryValue]>) {
      if (value === undefined || value === null || value === "") continue;
      params.set(key, String(value));
    }
    const qs = params.toString();
    if (qs) url += `?${qs}`;
  }
  return url;
}

/** One request to the API; a non-2xx answer is thrown as ApiError. */
async function send<M extends Method, P extends PathWith<M>>(
  method: M,
  path: P,
  options: RequestOptions<Operation<P, M>>,
): Promise<Response> {
  const headers: Record<string, string> = {
    Accept: options.accept ?? "application/json",
    "X-Deskpilot-Channel": "ui",
  };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (options.ifMatch) headers["If-Match"] = `"${options.ifMatch}"`;
  if (UNSAFE_METHODS.has(method)) {
    const token = csrfToken();
    if (token) headers["X-CSRF-Token"] = token;
  }
  const url = buildUrl(fillPath(path, options.path as Record<string, string> | undefined), options.query);

  let response: Response;
  try {
    response = await fetch(url, {
      method: method.toUpperCase(),
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: "same-origin",
      cache: "no-store",
      signal: options.signal,
    });
  } catch (error) {
    if (isAbortError(error)) throw error;
    throw new ApiError({
      status: 0,
      code: "network_error",
      message: "Can't reach the Deskpilot server. Check your connection and try again.",
    });
  }

  if (!response.ok) {
    const error = await ApiError.fromResponse(response);
    if (error.status === 401 && error.code !== "invalid_credentials" && options.redirectOn401 !== false) {
      onUnauthorized();
    }
    throw error;
  }
  return response;
}

/** A request whose answer is the operation's JSON body (nothing for 204). */
async function call<M extends Method, P extends PathWith<M>>(
  method: M,
  path: P,
  options: RequestOptions<Operation<P, M>>,
): Promise<Success<Operation<P, M>>> {
  const response = await send(method, path, options);
  if (response.status === 204) return undefined as Success<Operation<P, M>>;
  return (await response.json()) as Success<Operation<P, M>>;
}

// ---------------------------------------------------------------- auth

export async function login(email: string, password: string): Promise<AuthState> {
  const res = await call("post", "/api/auth/login", { body: { email, password }, redirectOn401: false });
  csrfFromBody = res.csrf_token;
  return res;
}

export async function logout(): Promise<void> {
  try {
    await call("post", "/api/auth/logout", { redirectOn401: false });
  } finally {
    csrfFromBody = null;
  }
}

export async function me(options: { redirectOn401?: boolean; signal?: AbortSignal } = {}): Promise<User> {
  const res = await call("get", "/api/auth/me", options);
  csrfFromBody = res.csrf_token;
  return res.user;
}

/** The desk's active people, for the assignee picker. */
export function listUsers(signal?: AbortSignal): Promise<User[]> {
  return call("get", "/api/users", { signal });
}

// ---------------------------------------------------------------- tickets

export function listTickets(params: TicketListParams = {}, signal?: AbortSignal): Promise<TicketsPage> {
  return call("get", "/api/tickets", { query: params, signal });
}

/** Full-text search; empty `query` lists the most recently updated tickets. */
export async function searchTickets(
  query: string,
  status: TicketStatus | "all" = "all",
  options: { limit?: number; signal?: AbortSignal } = {},
): Promise<SearchHit[]> {
  const res = await call("get", "/api/tickets/search", {
    query: { q: query, status, limit: options.limit },
    signal: options.signal,
  });
  return res.items;
}

export function getTicket(ref: TicketRef, signal?: AbortSignal): Promise<TicketDetail> {
  return call("get", "/api/tickets/{ref}", { path: { ref: String(ref) }, signal });
}

export function createTicket(input: TicketCreate): Promise<Ticket> {
  return call("post", "/api/tickets", { body: input });
}

/** `seen`: the ticket's updated_at as shown; a change since is 409 `stale` (ApiError.body.ticket). */
export function updateTicket(ref: TicketRef, patch: TicketUpdate, seen?: string): Promise<TicketDetail> {
  return call("patch", "/api/tickets/{ref}", { path: { ref: String(ref) }, body: patch, ifMatch: seen });
}

export function addNote(ref: TicketRef, body: string, seen?: string): Promise<Note> {
  return call("post", "/api/tickets/{ref}/notes", { path: { ref: String(ref) }, body: { body }, ifMatch: seen });
}

/** Undo the change an audit trail event records (an AI write as a whole). */
export function undoTicketEvent(ref: TicketRef, eventId: string): Promise<TicketDetail> {
  return call("post", "/api/tickets/{ref}/events/{event_id}/undo", { path: { ref: String(ref), event_id: eventId } });
}

/** Open and in-progress tickets like a new one (the duplicate check), most alike first. */
export async function similarTickets(params: SimilarTicketsParams, signal?: AbortSignal): Promise<SimilarTicket[]> {
  const res = await call("get", "/api/tickets/similar", { query: params, signal });
  return res.items;
}

// ---------------------------------------------------------------- contacts and calls

/** Contacts by name (no `q`), or matching `q`: name, organisation, e-mail, phone in any format. */
export function listContacts(params: ContactListParams = {}, signal?: AbortSignal): Promise<ContactsPage> {
  return call("get", "/api/contacts", { query: params, signal });
}

/** A contact by its number (C-12 → 12) or id, with their tickets and calls. */
export function getContact(ref: string | number, signal?: AbortSignal): Promise<ContactDetail> {
  return call("get", "/api/contacts/{ref}", { path: { ref: String(ref) }, signal });
}

/** A phone or e-mail another contact has is 409 naming the field. */
export function createContact(input: ContactCreate): Promise<Contact> {
  return call("post", "/api/contacts", { body: input });
}

export function updateContact(ref: string | number, patch: ContactUpdate): Promise<Contact> {
  return call("patch", "/api/contacts/{ref}", { path: { ref: String(ref) }, body: patch });
}

/** Admins: `duplicateId`'s tickets and calls move to `ref`, and the duplicate is deleted. */
export function mergeContacts(ref: string | number, duplicateId: string): Promise<ContactDetail> {
  return call("post", "/api/contacts/{ref}/merge", { path: { ref: String(ref) }, body: { duplicate_id: duplicateId } });
}

export function logCall(input: CallCreate): Promise<Call> {
  return call("post", "/api/calls", { body: input });
}

// ---------------------------------------------------------------- chat sessions

export function createChatSession(title?: string): Promise<ChatSession> {
  return call("post", "/api/chat/sessions", { body: title ? { title } : {} });
}

export function getChatSession(id: string, signal?: AbortSignal): Promise<ChatSessionDetail> {
  return call("get", "/api/chat/sessions/{session_id}", { path: { session_id: id }, signal });
}

export function listChatSessions(
  params: { limit?: number; cursor?: string | null; q?: string } = {},
  signal?: AbortSignal,
): Promise<ChatSessionsPage> {
  return call("get", "/api/chat/sessions", {
    query: { limit: params.limit, cursor: params.cursor, q: params.q || undefined },
    signal,
  });
}

export function renameChatSession(id: string, title: string): Promise<ChatSession> {
  return call("patch", "/api/chat/sessions/{session_id}", { path: { session_id: id }, body: { title } });
}

export function deleteChatSession(id: string): Promise<void> {
  return call("delete", "/api/chat/sessions/{session_id}", { path: { session_id: id } });
}

function changeSessionTickets(
  sessionId: string,
  change: { attach: TicketRef[]; detach: TicketRef[] },
): Promise<ChatSessionAttachResult> {
  return call("patch", "/api/chat/sessions/{session_id}/tickets", { path: { session_id: sessionId }, body: change });
}

/** Attach tickets; the answer is the chat with a system message saying what changed. */
export function attachTicketsToSession(sessionId: string, ticketIds: TicketRef[]): Promise<ChatSessionAttachResult> {
  return changeSessionTickets(sessionId, { attach: ticketIds, detach: [] });
}

export function detachTicketsFromSession(sessionId: string, ticketIds: TicketRef[]): Promise<ChatSessionAttachResult> {
  return changeSessionTickets(sessionId, { attach: [], detach: ticketIds });
}

/** The page of messages just before `before` (oldest first); without it, the latest page. */
export function listChatMessages(
  sessionId: string,
  params: { before?: string; limit?: number } = {},
  signal?: AbortSignal,
): Promise<ChatMessagesPage> {
  return call("get", "/api/chat/sessions/{session_id}/messages", {
    path: { session_id: sessionId },
    query: { before: params.before, limit: params.limit },
    signal,
  });
}

export function getChatConfig(signal?: AbortSignal): Promise<ChatConfig> {
  return call("get", "/api/chat/config", { signal });
}

// ---------------------------------------------------------------- chat messages

/** Non-streaming: resolves with the stored assistant reply. */
export function sendChatMessage(sessionId: string, content: string, clientMessageId?: string): Promise<ChatMessage> {
  return call("post", "/api/chat/sessions/{session_id}/messages", {
    path: { session_id: sessionId },
    body: { content, client_message_id: clientMessageId },
  });
}

export interface ChatStreamHandlers {
  onUserMessage?: (message: ChatMessage) => void;
  onTextDelta?: (text: string) => void;
  onToolCallStarted?: (event: ChatStreamEvents["tool_call_started"]) => void;
  onToolCallFinished?: (event: ChatStreamEvents["tool_call_finished"]) => void;
  onAssistantMessage?: (message: ChatMessage) => void;
  /** The reply paused on proposals: the stored reply, with them. */
  onApprovalRequired?: (message: ChatMessage) => void;
  /** A decision, before the reply goes on. */
  onProposalUpdated?: (proposal: Proposal) => void;
  onSessionTitle?: (title: string) => void;
  /** The turn failed (the user message stays stored). */
  onError?: (error: ChatStreamEvents["error"]) => void;
  onDone?: () => void;
}

export type ChatStreamOutcome = "done" | "error";

type EventRouter = { [K in ChatStreamEventName]: (handlers: ChatStreamHandlers, data: ChatStreamEvents[K]) => void };

const streamRouter: EventRouter = {
  user_message: (h, d) => h.onUserMessage?.(d.message),
  text_delta: (h, d) => h.onTextDelta?.(d.text),
  tool_call_started: (h, d) => h.onToolCallStarted?.(d),
  tool_call_finished: (h, d) => h.onToolCallFinished?.(d),
  assistant_message: (h, d) => h.onAssistantMessage?.(d.message),
  approval_required: (h, d) => h.onApprovalRequired?.(d.message),
  proposal_updated: (h, d) => h.onProposalUpdated?.(d.proposal),
  session_title: (h, d) => h.onSessionTitle?.(d.title),
  error: (h, d) => h.onError?.(d),
  done: (h) => h.onDone?.(),
};

function routeEvent(handlers: ChatStreamHandlers, name: string, data: unknown): void {
  if (!(name in streamRouter)) return; // unknown events are ignored (forward compatible)
  const route = streamRouter[name as ChatStreamEventName] as (h: ChatStreamHandlers, d: unknown) => void;
  route(handlers, data);
}

/**
 * Send a message and read the reply as Server-Sent Events, calling
 * `handlers` as events arrive. Resolves with "done" or "error" (after an
 * `error` event); rejects with `ApiError` on an HTTP error or a stream that
 * ends early, and with an AbortError when `signal` aborts (the server then
 * keeps what was generated as an incomplete reply).
 */
export async function streamChatMessage(
  sessionId: string,
  content: string,
  clientMessageId: string,
  handlers: ChatStreamHandlers,
  signal?: AbortSignal,
  /** Edit-and-resend or regenerate: the id of the chat's last user message, replaced by this one. */
  replaces?: string,
): Promise<ChatStreamOutcome> {
  const response = await send("post", "/api/chat/sessions/{session_id}/messages", {
    path: { session_id: sessionId },
    body: { content, client_message_id: clientMessageId, ...(replaces ? { replaces } : {}) },
    accept: "text/event-stream",
    signal,
  });
  return readChatStream(response, handlers, signal);
}

/** A streamed chat answer (a message's reply, or a decision's continuation), read to its end. */
async function readChatStream(
  response: Response,
  handlers: ChatStreamHandlers,
  signal?: AbortSignal,
): Promise<ChatStreamOutcome> {
  const contentType = response.headers.get("Content-Type") ?? "";
  if (!contentType.includes("text/event-stream")) {
    // A server that answered with plain JSON: the assistant message.
    const message = (await response.json()) as ChatMessage;
    if (message.status === "awaiting_approval") handlers.onApprovalRequired?.(message);
    else handlers.onAssistantMessage?.(message);
    handlers.onDone?.();
    return "done";
  }
  if (!response.body) {
    throw new ApiError({ status: 0, code: "stream_interrupted", message: "The reply stream could not be read." });
  }

  let outcome: ChatStreamOutcome | null = null;
  let sawError = false;
  for await (const event of readSSE(response.body)) {
    let data: unknown;
    try {
      data = event.data ? JSON.parse(event.data) : {};
    } catch {
      continue; // a malformed event is skipped, not fatal
    }
    if (event.event === "error") sawError = true;
    routeEvent(handlers, event.event, data);
    if (event.event === "done") {
      outcome = sawError ? "error" : "done";
      break;
    }
  }
  if (outcome) return outcome;
  if (sawError) return "error";
  if (signal?.aborted) throw signal.reason ?? new DOMException("Aborted", "AbortError");
  throw new ApiError({
    status: 0,
    code: "stream_interrupted",
    message: "The connection was interrupted before the reply finished.",
  });
}

// ---------------------------------------------------------------- proposals

export type ProposalDecision =
  | { action: "approve"; arguments?: Record<string, unknown> }
  | { action: "reject"; reason?: string };

/**
 * Approve (optionally with edited arguments) or reject a proposal; the reply then goes on,
 * streamed like a message's. A stale approval rejects with ApiError `stale` whose
 * `body.proposal` is the fresh proposal to show.
 */
export async function decideProposal(
  sessionId: string,
  proposalId: string,
  decision: ProposalDecision,
  handlers: ChatStreamHandlers,
  signal?: AbortSignal,
): Promise<ChatStreamOutcome> {
  const path = { session_id: sessionId, proposal_id: proposalId };
  const response =
    decision.action === "approve"
      ? await send("post", "/api/chat/sessions/{session_id}/proposals/{proposal_id}/approve", {
          path,
          body: decision.arguments ? { arguments: decision.arguments } : {},
          accept: "text/event-stream",
          signal,
        })
      : await send("post", "/api/chat/sessions/{session_id}/proposals/{proposal_id}/reject", {
          path,
          body: decision.reason ? { reason: decision.reason } : {},
          accept: "text/event-stream",
          signal,
        });
  return readChatStream(response, handlers, signal);
}

/** Approve a reply's pending proposals in order; streamed like decideProposal. */
export async function approveAllProposals(
  sessionId: string,
  messageId: string,
  handlers: ChatStreamHandlers,
  signal?: AbortSignal,
): Promise<ChatStreamOutcome> {
  const response = await send("post", "/api/chat/sessions/{session_id}/messages/{message_id}/approve-all", {
    path: { session_id: sessionId, message_id: messageId },
    accept: "text/event-stream",
    signal,
  });
  return readChatStream(response, handlers, signal);
}

/** Undo an executed write of the copilot: the proposal as it is then. */
export function undoProposal(sessionId: string, proposalId: string): Promise<Proposal> {
  return call("post", "/api/chat/sessions/{session_id}/proposals/{proposal_id}/undo", {
    path: { session_id: sessionId, proposal_id: proposalId },
  });
}

/** The user's "Ask before changing tickets" (when the setting lets them choose). */
export function setApprovalPreference(askBeforeChanges: boolean): Promise<ApprovalSettings> {
  return call("put", "/api/chat/preferences", { body: { ask_before_changes: askBeforeChanges } });
}

// ---------------------------------------------------------------- admin

/** Token use per day, user and model over UTC days (default: the last 30). Admins only. */
export function getUsage(params: UsageParams = {}, signal?: AbortSignal): Promise<UsageReport> {
  return call("get", "/api/admin/usage", { query: params, signal });
}
