/**
 * State of one chat session in the browser: a pure reducer over server
 * messages and the events of a streamed turn. No I/O, no React.
 */
import type {
  ChatError,
  ChatMessage,
  ChatMessagesPage,
  ChatMessageStatus,
  ChatRole,
  ChatSession,
  ChatSessionDetail,
  Proposal,
  TicketSummary,
  ToolCallFinishedEvent,
  ToolCallStartedEvent,
  ToolCallStatus,
} from "@/lib/types";

export type UiMessageStatus = ChatMessageStatus | "pending" | "streaming";

export interface ToolActivity {
  id: string;
  name: string;
  /** While running: the server's label ("Searching tickets for …"). */
  label: string;
  status: "running" | ToolCallStatus;
  /** When finished: "Created ticket #61". */
  summary: string | null;
}

export interface UiMessage {
  /** Stable React key (does not change when the server id arrives). */
  key: string;
  id: string | null;
  role: ChatRole;
  content: string;
  tickets: TicketSummary[];
  tools: ToolActivity[];
  status: UiMessageStatus;
  /** User message: why its reply failed (shown under it, with Retry). Assistant: stored failure. */
  error: ChatError | null;
  clientMessageId: string | null;
  createdAt: string;
  /** The writes its tool calls proposed or made (cards). */
  proposals: Proposal[];
  /** A decision carrying this stored reply on: that turn's token (see `decision_start`). */
  turn?: string;
}

export type ChatPhase = "empty" | "loading" | "ready" | "not_found" | "error";

export interface ChatState {
  /** The session this state belongs to (null: a new chat not created yet). */
  sessionId: string | null;
  phase: ChatPhase;
  loadError: string | null;
  session: ChatSession | null;
  messages: UiMessage[];
  hasMore: boolean;
  loadingOlder: boolean;
  olderError: string | null;
  /** client_message_id of the turn being generated, if any. */
  pendingTurn: string | null;
}

export const initialChatState: ChatState = {
  sessionId: null,
  phase: "empty",
  loadError: null,
  session: null,
  messages: [],
  hasMore: false,
  loadingOlder: false,
  olderError: null,
  pendingTurn: null,
};

export type ChatAction =
  | { type: "reset" }
  | { type: "load_start"; sessionId: string }
  | { type: "load_ok"; detail: ChatSessionDetail }
  | { type: "load_error"; sessionId: string; message: string }
  | { type: "not_found"; sessionId: string }
  | { type: "session_created"; session: ChatSession }
  | { type: "session_meta"; session: Pick<ChatSession, "id" | "title" | "attached_tickets"> }
  | { type: "session_updated"; session: ChatSession; systemMessage: ChatMessage | null }
  | { type: "title"; title: string }
  | { type: "older_start" }
  | { type: "older_ok"; page: ChatMessagesPage }
  | { type: "older_error"; message: string }
  | { type: "turn_start"; clientMessageId: string; content: string; now: string }
  | { type: "turn_user_message"; clientMessageId: string; message: ChatMessage }
  | { type: "turn_delta"; clientMessageId: string; text: string }
  | { type: "turn_tool_started"; clientMessageId: string; event: ToolCallStartedEvent }
  | { type: "turn_tool_finished"; clientMessageId: string; event: ToolCallFinishedEvent }
  | { type: "turn_assistant_message"; clientMessageId: string; message: ChatMessage }
  | { type: "turn_error"; clientMessageId: string; error: ChatError }
  | { type: "turn_aborted"; clientMessageId: string }
  | { type: "turn_end"; clientMessageId: string }
  /** A decision on one of the reply's proposals carries it on: the turn's events use `token`. */
  | { type: "decision_start"; messageId: string; token: string }
  | { type: "proposal_updated"; proposal: Proposal };

export const userKey = (clientMessageId: string) => `user:${clientMessageId}`;
export const assistantKey = (clientMessageId: string) => `assistant:${clientMessageId}`;

export function fromServer(message: ChatMessage, key: string = message.id): UiMessage {
  return {
    key,
    id: message.id,
    role: message.role,
    content: message.content,
    tickets: message.tickets ?? [],
    tools: (message.tool_calls ?? []).map((call) => ({
      id: call.id,
      name: call.name,
      label: call.summary,
      status: call.status,
      summary: call.summary,
    })),
    status: message.status,
    error: message.error,
    clientMessageId: message.client_message_id,
    createdAt: message.created_at,
    proposals: message.proposals ?? [],
  };
}

/**
 * Server messages → UI messages. A failed reply with nothing in it is shown as
 * an error under the user message that asked for it, where Retry lives.
 */
export function normalizeMessages(messages: ChatMessage[]): UiMessage[] {
  const out: UiMessage[] = [];
  for (const message of messages) {
    const ui = fromServer(message);
    const prev = out[out.length - 1];
    if (ui.role === "assistant" && ui.status === "failed" && prev?.role === "user") {
      prev.error = ui.error ?? { code: "failed", message: "The assistant could not answer." };
      if (!ui.content && ui.tools.length === 0) continue;
    }
    if (ui.role === "user" && ui.status === "failed" && !ui.error) {
      ui.error = { code: "failed", message: "The assistant could not answer." };
    }
    out.push(ui);
  }
  return out;
}

function mergeTickets(existing: TicketSummary[], incoming: TicketSummary[]): TicketSummary[] {
  if (incoming.length === 0) return existing;
  const byId = new Map(existing.map((t) => [t.id, t]));
  for (const t of incoming) byId.set(t.id, t);
  return [...byId.values()];
}

function updateMessage(state: ChatState, key: string, update: (m: UiMessage) => UiMessage | null): ChatState {
  const index = state.messages.findIndex((m) => m.key === key);
  if (index === -1) return state;
  const current = state.messages[index] as UiMessage;
  const next = update(current);
  const messages = state.messages.slice();
  if (next) messages[index] = next;
  else messages.splice(index, 1);
  return { ...state, messages };
}

/** Find the user message of a turn: by key, by client id (loaded from the server), or none. */
function userMessageKey(state: ChatState, clientMessageId: string): string | null {
  const byKey = state.messages.find((m) => m.key === userKey(clientMessageId));
  if (byKey) return byKey.key;
  const byClientId = state.messages.find((m) => m.role === "user" && m.clientMessageId === clientMessageId);
  return byClientId?.key ?? null;
}

/** The reply a turn writes: its placeholder, or the stored reply a decision carries on. */
function replyKey(state: ChatState, clientMessageId: string): string {
  const carried = state.messages.find((m) => m.turn === clientMessageId);
  return carried?.key ?? assistantKey(clientMessageId);
}

/** A proposal as decided (or undone, or refreshed): on its card and its tool line. */
function withProposal(message: UiMessage, proposal: Proposal): UiMessage {
  if (!message.proposals.some((p) => p.id === proposal.id)) return message;
  return {
    ...message,
    proposals: message.proposals.map((p) => (p.id === proposal.id ? proposal : p)),
    tools: message.tools.map((t) =>
      t.id === proposal.tool_call_id && proposal.state !== "pending" && t.status === "proposed"
        ? { ...t, status: proposal.state, summary: proposal.summary ?? t.summary }
        : t,
    ),
  };
}

/** Fresh ticket data (e.g. after a tool changed a status) for the header chips. */
function refreshAttached(session: ChatSession | null, tickets: TicketSummary[]): ChatSession | null {
  if (!session || tickets.length === 0) return session;
  const byId = new Map(tickets.map((t) => [t.id, t]));
  if (!session.attached_tickets.some((t) => byId.has(t.id))) return session;
  return { ...session, attached_tickets: session.attached_tickets.map((t) => byId.get(t.id) ?? t) };
}

const turnHandlers: {
  [K in ChatAction["type"]]: (state: ChatState, action: Extract<ChatAction, { type: K }>) => ChatState;
} = {
  reset: () => initialChatState,

  load_start: (_state, { sessionId }) => ({ ...initialChatState, sessionId, phase: "loading" }),

  load_ok: (state, { detail }) => {
    if (state.sessionId !== detail.id) return state;
    const { messages, has_more, ...session } = detail;
    return {
      ...state,
      phase: "ready",
      loadError: null,
      session,
      messages: normalizeMessages(messages),
      hasMore: has_more,
    };
  },

  load_error: (state, { sessionId, message }) =>
    state.sessionId === sessionId ? { ...state, phase: "error", loadError: message } : state,

  not_found: (state, { sessionId }) =>
    state.sessionId === sessionId ? { ...state, phase: "not_found", pendingTurn: null } : state,

  session_created: (state, { session }) => ({
    ...state,
    sessionId: session.id,
    phase: "ready",
    session,
    // A chat started from the empty page keeps what is already on screen.
    messages: state.sessionId === null ? state.messages : [],
    hasMore: false,
  }),

  session_meta: (state, { session }) =>
    state.session && state.session.id === session.id
      ? { ...state, session: { ...state.session, title: session.title, attached_tickets: session.attached_tickets } }
      : state,

  session_updated: (state, { session, systemMessage }) => {
    if (state.sessionId !== session.id) return state;
    const messages =
      systemMessage && !state.messages.some((m) => m.id === systemMessage.id)
        ? [...state.messages, fromServer(systemMessage)]
        : state.messages;
    return { ...state, session: { ...(state.session ?? session), ...session }, messages };
  },

  title: (state, { title }) => (state.session ? { ...state, session: { ...state.session, title } } : state),

  older_start: (state) => ({ ...state, loadingOlder: true, olderError: null }),

  older_ok: (state, { page }) => {
    const known = new Set(state.messages.map((m) => m.id).filter(Boolean));
    const older = normalizeMessages(page.items.filter((m) => !known.has(m.id)));
    return { ...state, loadingOlder: false, hasMore: page.has_more, messages: [...older, ...state.messages] };
  },

  older_error: (state, { message }) => ({ ...state, loadingOlder: false, olderError: message }),

  turn_start: (state, { clientMessageId, content, now }) => {
    const placeholder: UiMessage = {
      key: assistantKey(clientMessageId),
      id: null,
      role: "assistant",
      content: "",
      tickets: [],
      tools: [],
      status: "pending",
      error: null,
      clientMessageId: null,
      createdAt: now,
      proposals: [],
    };
    const existingKey = userMessageKey(state, clientMessageId);
    if (existingKey) {
      // Retry: clear the error and any failed reply, then wait for the new one.
      const index = state.messages.findIndex((m) => m.key === existingKey);
      const messages = state.messages.slice();
      const user = messages[index] as UiMessage;
      messages[index] = { ...user, error: null, status: user.id ? user.status : "pending" };
      let end = index + 1;
      while (end < messages.length) {
        const m = messages[end] as UiMessage;
        if (m.role !== "assistant" || (m.status !== "failed" && m.key !== placeholder.key)) break;
        end++;
      }
      messages.splice(index + 1, end - index - 1, placeholder);
      return { ...state, messages, pendingTurn: clientMessageId };
    }
    const user: UiMessage = {
      key: userKey(clientMessageId),
      id: null,
      role: "user",
      content,
      tickets: [],
      tools: [],
      status: "pending",
      error: null,
      clientMessageId,
      createdAt: now,
      proposals: [],
    };
    return { ...state, messages: [...state.messages, user, placeholder], pendingTurn: clientMessageId };
  },

  turn_user_message: (state, { clientMessageId, message }) => {
    const key = userMessageKey(state, clientMessageId);
    if (!key) return state;
    return updateMessage(state, key, (m) => ({ ...fromServer(message, m.key), error: null }));
  },

  turn_delta: (state, { clientMessageId, text }) =>
    updateMessage(state, replyKey(state, clientMessageId), (m) => ({
      ...m,
      content: m.content + text,
      status: "streaming",
    })),

  turn_tool_started: (state, { clientMessageId, event }) =>
    updateMessage(state, replyKey(state, clientMessageId), (m) => ({
      ...m,
      status: "streaming",
      tools: [
        ...m.tools.filter((t) => t.id !== event.id),
        { id: event.id, name: event.name, label: event.label, status: "running", summary: null },
      ],
    })),

  turn_tool_finished: (state, { clientMessageId, event }) => {
    const next = updateMessage(state, replyKey(state, clientMessageId), (m) => {
      const known = m.tools.some((t) => t.id === event.id);
      const finished: ToolActivity = {
        id: event.id,
        name: event.name,
        label: m.tools.find((t) => t.id === event.id)?.label ?? event.summary,
        status: event.status,
        summary: event.summary,
      };
      return {
        ...m,
        tools: known ? m.tools.map((t) => (t.id === event.id ? finished : t)) : [...m.tools, finished],
        tickets: mergeTickets(m.tickets, event.tickets ?? []),
      };
    });
    return { ...next, session: refreshAttached(next.session, event.tickets ?? []) };
  },

  turn_assistant_message: (state, { clientMessageId, message }) => {
    const key = replyKey(state, clientMessageId);
    const placeholder = state.messages.find((m) => m.key === key);
    const stored = fromServer(message, key);
    if (!placeholder) {
      if (state.messages.some((m) => m.id === message.id)) return state;
      return { ...state, messages: [...state.messages, stored] };
    }
    return updateMessage(state, key, (m) => ({
      ...stored,
      // Keep the live tool lines when the stored message has no records of them.
      tools: stored.tools.length > 0 ? stored.tools : m.tools,
      tickets: stored.tickets.length > 0 ? stored.tickets : m.tickets,
    }));
  },

  turn_error: (state, { clientMessageId, error }) => {
    let next = state;
    const uKey = userMessageKey(state, clientMessageId);
    if (uKey) next = updateMessage(next, uKey, (m) => ({ ...m, error, status: m.id ? m.status : "failed" }));
    return updateMessage(next, replyKey(next, clientMessageId), (m) =>
      m.content || m.tools.length > 0 ? { ...m, status: "incomplete", turn: undefined } : null,
    );
  },

  turn_aborted: (state, { clientMessageId }) => {
    let next = state;
    const uKey = userMessageKey(state, clientMessageId);
    if (uKey) next = updateMessage(next, uKey, (m) => (m.status === "pending" ? { ...m, status: "complete" } : m));
    return updateMessage(next, replyKey(next, clientMessageId), (m) =>
      m.status === "pending" || m.status === "streaming"
        ? {
            ...m,
            turn: undefined,
            status: "incomplete",
            tools: m.tools.map((t) => (t.status === "running" ? { ...t, status: "error", summary: "Stopped" } : t)),
          }
        : m,
    );
  },

  turn_end: (state, { clientMessageId }) => {
    const next = updateMessage(state, replyKey(state, clientMessageId), (m) =>
      m.status === "pending" || m.status === "streaming"
        ? m.content || m.tools.length > 0
          ? { ...m, status: "complete", turn: undefined }
          : null
        : m.turn
          ? { ...m, turn: undefined }
          : m,
    );
    return next.pendingTurn === clientMessageId ? { ...next, pendingTurn: null } : next;
  },

  decision_start: (state, { messageId, token }) => {
    const target = state.messages.find((m) => m.id === messageId);
    if (!target) return state;
    return { ...updateMessage(state, target.key, (m) => ({ ...m, turn: token })), pendingTurn: token };
  },

  proposal_updated: (state, { proposal }) => {
    const messages = state.messages.map((m) => withProposal(m, proposal));
    return messages.some((m, i) => m !== state.messages[i]) ? { ...state, messages } : state;
  },
};

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  const handler = turnHandlers[action.type] as (s: ChatState, a: ChatAction) => ChatState;
  return handler(state, action);
}
