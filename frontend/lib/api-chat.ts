/** Chat sessions, their tickets and messages, and a reply's event stream. */

import { call, send } from "./api-client";
import { ApiError } from "./api-error";
import { readSSE } from "./sse";
import type { ChatStreamEventName, ChatStreamEvents } from "./types";
import type { ChatConfig, ChatMessage, ChatMessagesPage, ChatSession, ChatSessionAttachResult, ChatSessionDetail, ChatSessionsPage, Proposal, TicketRef } from "./api-types";

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
export async function readChatStream(
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
