/**
 * What a chat shows that the server has not stored yet: the turns typed and streamed in
 * this page (a pure reducer); compose-messages.ts lays them over the stored messages (the
 * query cache) without showing anything twice. No I/O, no React.
 *
 * A turn stays here while the page shows its session, so the bubbles it drew keep their
 * React keys when the stored versions arrive; its stored messages are the query cache's.
 */
import type {
  ChatCaller,
  ChatError,
  ChatMessage,
  ChatRole,
  ChatMessageStatus,
  Proposal,
  TicketSummary,
  ToolCallStatus,
} from "@/lib/api-types";
import type { ToolCallFinishedEvent, ToolCallStartedEvent } from "@/lib/types";

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
  /** Stable React key (does not change when the stored message arrives). */
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
  /** The callers the turn found, created or logged a call for (caller cards). */
  callers: ChatCaller[];
  /** Replaced by an edited message or a regenerated reply: shown folded, as "Replaced". */
  superseded: boolean;
}

/** One message sent from this page and its reply. */
export interface LiveTurn {
  clientMessageId: string;
  /** The message as typed; shown until the stored one is in the cache. */
  user: UiMessage;
  /** The reply while it streams; a partial one stays when the turn failed or was stopped. */
  reply: UiMessage | null;
  /** The stored reply's id, once the server sent it. */
  replyId: string | null;
  /** Why the turn failed: shown under its message, with Retry. */
  error: ChatError | null;
  running: boolean;
}

/**
 * A decision on a stored reply's proposal, carrying that reply on: the reply as it streams
 * stands in for the stored one (the turn's events name it by `token`) until the stored
 * version, in the query cache, has caught up.
 */
export interface LiveDecision {
  token: string;
  reply: UiMessage;
}

export interface ChatState {
  /** The session shown (null: a new chat, not created yet). */
  sessionId: string | null;
  /** The chat was deleted elsewhere (told by a turn or an attachment change). */
  gone: boolean;
  /** Turns sent from this page in this session, oldest first. */
  turns: LiveTurn[];
  /** client_message_id of the turn being generated, if any. */
  pendingTurn: string | null;
  /** Tickets whose attachment or detachment the server has not confirmed yet. */
  savingTickets: string[];
  /** The decision being carried on, if any (its token is `pendingTurn` meanwhile). */
  decision: LiveDecision | null;
}

export const initialChatState: ChatState = {
  sessionId: null,
  gone: false,
  turns: [],
  pendingTurn: null,
  savingTickets: [],
  decision: null,
};

export type ChatAction =
  | { type: "open"; sessionId: string | null }
  | { type: "session_created"; sessionId: string }
  | { type: "gone"; sessionId: string }
  | { type: "tickets_saving"; ids: string[]; saving: boolean }
  | { type: "turn_start"; clientMessageId: string; content: string; now: string }
  | { type: "turn_delta"; clientMessageId: string; text: string }
  | { type: "turn_tool_started"; clientMessageId: string; event: ToolCallStartedEvent }
  | { type: "turn_tool_finished"; clientMessageId: string; event: ToolCallFinishedEvent }
  | { type: "turn_reply"; clientMessageId: string; message: ChatMessage }
  | { type: "turn_error"; clientMessageId: string; error: ChatError }
  | { type: "turn_aborted"; clientMessageId: string }
  | { type: "turn_end"; clientMessageId: string }
  /** A decision carries the stored reply `reply` on; the turn events that follow name `token`. */
  | { type: "decision_start"; token: string; reply: UiMessage }
  /** A proposal as decided, undone or refreshed (stale). */
  | { type: "proposal_updated"; proposal: Proposal };

export const userKey = (clientMessageId: string) => `user:${clientMessageId}`;
export const assistantKey = (clientMessageId: string) => `assistant:${clientMessageId}`;

export const FAILED_REPLY: ChatError = { code: "failed", message: "The assistant could not answer." };

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
    callers: message.callers ?? [],
    superseded: message.superseded ?? false,
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
      prev.error = ui.error ?? FAILED_REPLY;
      if (!ui.content && ui.tools.length === 0) continue;
    }
    if (ui.role === "user" && ui.status === "failed" && !ui.error) ui.error = FAILED_REPLY;
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

function updateTurn(state: ChatState, clientMessageId: string, update: (turn: LiveTurn) => LiveTurn): ChatState {
  const index = state.turns.findIndex((t) => t.clientMessageId === clientMessageId);
  if (index === -1) return state;
  const turns = state.turns.slice();
  turns[index] = update(turns[index] as LiveTurn);
  return { ...state, turns };
}

function updateReply(state: ChatState, clientMessageId: string, update: (reply: UiMessage) => UiMessage | null): ChatState {
  const { decision } = state;
  if (decision?.token === clientMessageId) {
    return { ...state, decision: { ...decision, reply: update(decision.reply) ?? decision.reply } };
  }
  return updateTurn(state, clientMessageId, (turn) => (turn.reply ? { ...turn, reply: update(turn.reply) } : turn));
}

/** A proposal as it now is: on its card and its tool line. */
export function withProposal(message: UiMessage, proposal: Proposal): UiMessage {
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

const placeholder = (clientMessageId: string, now: string): UiMessage => ({
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
  callers: [],
  superseded: false,
});

const fresh = (sessionId: string | null): ChatState => ({ ...initialChatState, sessionId });

const handlers: {
  [K in ChatAction["type"]]: (state: ChatState, action: Extract<ChatAction, { type: K }>) => ChatState;
} = {
  open: (state, { sessionId }) => (state.sessionId === sessionId ? state : fresh(sessionId)),

  // A chat started from the empty page keeps what is already on screen.
  session_created: (state, { sessionId }) =>
    state.sessionId === null ? { ...state, sessionId } : fresh(sessionId),

  gone: (state, { sessionId }) =>
    state.sessionId === sessionId ? { ...state, gone: true, pendingTurn: null } : state,

  tickets_saving: (state, { ids, saving }) => {
    const rest = state.savingTickets.filter((id) => !ids.includes(id));
    return { ...state, savingTickets: saving ? [...rest, ...ids] : rest };
  },

  turn_start: (state, { clientMessageId, content, now }) => {
    const existing = state.turns.find((t) => t.clientMessageId === clientMessageId);
    const user: UiMessage = existing
      ? { ...existing.user, error: null, status: "pending" }
      : {
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
          callers: [],
          superseded: false,
        };
    const turn: LiveTurn = {
      clientMessageId,
      user,
      reply: placeholder(clientMessageId, now),
      replyId: null,
      error: null,
      running: true,
    };
    const turns = existing
      ? state.turns.map((t) => (t.clientMessageId === clientMessageId ? turn : t))
      : [...state.turns, turn];
    return { ...state, turns, pendingTurn: clientMessageId };
  },

  turn_delta: (state, { clientMessageId, text }) =>
    updateReply(state, clientMessageId, (m) => ({ ...m, content: m.content + text, status: "streaming" })),

  turn_tool_started: (state, { clientMessageId, event }) =>
    updateReply(state, clientMessageId, (m) => ({
      ...m,
      status: "streaming",
      tools: [
        ...m.tools.filter((t) => t.id !== event.id),
        { id: event.id, name: event.name, label: event.label, status: "running", summary: null },
      ],
    })),

  turn_tool_finished: (state, { clientMessageId, event }) =>
    updateReply(state, clientMessageId, (m) => {
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
    }),

  turn_reply: (state, { clientMessageId, message }) =>
    state.decision?.token === clientMessageId
      ? updateReply(state, clientMessageId, (m) => fromServer(message, m.key))
      : updateTurn(state, clientMessageId, (turn) => ({
      ...turn,
      reply: fromServer(message, assistantKey(clientMessageId)),
      replyId: message.id,
    })),

  turn_error: (state, { clientMessageId, error }) =>
    state.decision?.token === clientMessageId
      ? updateReply(state, clientMessageId, (m) => ({ ...m, status: "incomplete", error }))
      : updateTurn(state, clientMessageId, (turn) => ({
      ...turn,
      error,
      user: { ...turn.user, status: "failed" },
      reply: turn.reply && (turn.reply.content || turn.reply.tools.length > 0) ? { ...turn.reply, status: "incomplete" } : null,
    })),

  turn_aborted: (state, { clientMessageId }) =>
    state.decision?.token === clientMessageId
      ? updateReply(state, clientMessageId, (m) =>
          m.status === "streaming" ? { ...m, status: "incomplete" } : m,
        )
      : updateTurn(state, clientMessageId, (turn) => ({
      ...turn,
      user: turn.user.status === "pending" ? { ...turn.user, status: "complete" } : turn.user,
      reply:
        turn.reply && (turn.reply.status === "pending" || turn.reply.status === "streaming")
          ? {
              ...turn.reply,
              status: "incomplete",
              tools: turn.reply.tools.map((t) => (t.status === "running" ? { ...t, status: "error", summary: "Stopped" } : t)),
            }
          : turn.reply,
    })),

  turn_end: (state, { clientMessageId }) => {
    if (state.decision?.token === clientMessageId) {
      // The stored reply (in the cache, or asked again) is shown from here on.
      return { ...state, decision: null, pendingTurn: state.pendingTurn === clientMessageId ? null : state.pendingTurn };
    }
    const next = updateTurn(state, clientMessageId, (turn) => {
      const reply = turn.reply;
      const streaming = reply && (reply.status === "pending" || reply.status === "streaming");
      return {
        ...turn,
        running: false,
        user: turn.user.status === "pending" ? { ...turn.user, status: "complete" } : turn.user,
        reply: streaming ? (reply.content || reply.tools.length > 0 ? { ...reply, status: "complete" } : null) : reply,
      };
    });
    return next.pendingTurn === clientMessageId ? { ...next, pendingTurn: null } : next;
  },

  decision_start: (state, { token, reply }) =>
    state.pendingTurn ? state : { ...state, decision: { token, reply }, pendingTurn: token },

  proposal_updated: (state, { proposal }) => {
    const { decision } = state;
    const turns = state.turns.map((t) => (t.reply ? { ...t, reply: withProposal(t.reply, proposal) } : t));
    return {
      ...state,
      turns: turns.some((t, i) => t.reply !== state.turns[i]?.reply) ? turns : state.turns,
      decision: decision ? { ...decision, reply: withProposal(decision.reply, proposal) } : decision,
    };
  },
};

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  const handler = handlers[action.type] as (s: ChatState, a: ChatAction) => ChatState;
  return handler(state, action);
}
