/**
 * `composeMessages`: this page's live turns (chat-state.ts) laid over the stored messages
 * (the query cache) without showing anything twice. No I/O, no React.
 */
import type { ChatMessage } from "@/lib/api-types";
import {
  assistantKey,
  FAILED_REPLY,
  fromServer,
  normalizeMessages,
  userKey,
  type ChatState,
  type LiveTurn,
  type UiMessage,
  type UiMessageStatus,
} from "./chat-state";

/**
 * The conversation as shown: the stored messages (oldest first) with this page's turns
 * laid over them. For a turn whose message is stored:
 * - while it runs, its live reply stands in for any stored reply (a refetch may bring a
 *   `pending` one) and for the failed replies a retry replaces;
 * - once over, a stored reply wins (it keeps the live bubble's key), else the live one
 *   (a stopped or failed partial reply) stays;
 * - its error is the turn's, none while it runs.
 * A turn whose message is not stored yet is shown at the end, as typed.
 */
export function composeMessages(stored: ChatMessage[], state: ChatState): UiMessage[] {
  const turns = new Map(state.turns.map((t) => [t.clientMessageId, t]));
  const storedTurns = new Set<string>();
  const out: UiMessage[] = [];

  // Stored messages outside this page's turns are normalized together (a failed reply
  // pairs with the message before it).
  let plain: ChatMessage[] = [];
  const flushPlain = () => {
    out.push(...normalizeMessages(plain));
    plain = [];
  };
  let i = 0;
  while (i < stored.length) {
    const message = stored[i] as ChatMessage;
    const turn = message.role === "user" && message.client_message_id ? turns.get(message.client_message_id) : undefined;
    if (!turn) {
      plain.push(message);
      i++;
      continue;
    }
    flushPlain();
    storedTurns.add(turn.clientMessageId);
    // The messages up to the next user message: its replies (and any system notices).
    let end = i + 1;
    while (end < stored.length && (stored[end] as ChatMessage).role !== "user") end++;
    out.push(...composeTurn(message, stored.slice(i + 1, end), turn));
    i = end;
  }
  flushPlain();

  for (const turn of state.turns) {
    if (storedTurns.has(turn.clientMessageId)) continue;
    out.push({ ...turn.user, error: turn.running ? null : turn.error });
    if (turn.reply) out.push(turn.reply);
  }
  const { decision } = state;
  if (!decision) return out;
  // The reply being carried on stands in for its stored copy (under the copy's key).
  return out.map((m) => (m.id === decision.reply.id ? { ...decision.reply, key: m.key } : m));
}

function composeTurn(userMessage: ChatMessage, following: ChatMessage[], turn: LiveTurn): UiMessage[] {
  const { clientMessageId, running } = turn;
  const replies = following.filter((m) => m.role === "assistant");
  const storedReply = running ? undefined : (replies.find((m) => m.id === turn.replyId) ?? replies[replies.length - 1]);
  const settled = (status: UiMessageStatus): UiMessageStatus => (!running && status === "pending" ? "complete" : status);

  if (storedReply) {
    const [user, ...rest] = normalizeMessages([userMessage, ...following]) as [UiMessage, ...UiMessage[]];
    return [
      { ...user, key: userKey(clientMessageId), status: settled(user.status), error: turn.error ?? user.error },
      ...rest.map((m) => (m.id === storedReply.id ? { ...m, key: assistantKey(clientMessageId) } : m)),
    ];
  }
  const user = fromServer(userMessage, userKey(clientMessageId));
  const shown: UiMessage = {
    ...user,
    status: settled(user.status),
    error: running ? null : (turn.error ?? (user.status === "failed" ? (user.error ?? FAILED_REPLY) : null)),
  };
  return [shown, ...normalizeMessages(following.filter((m) => m.role !== "assistant")), ...(turn.reply ? [turn.reply] : [])];
}
