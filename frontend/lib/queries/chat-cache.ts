/**
 * Changes to the chat data in the query cache, as pure functions of the cached value:
 * messages arriving from a turn, a reply replacing the failed ones, a chat moving to the
 * top of the list. No I/O, no React.
 */
import type { InfiniteData } from "@tanstack/react-query";
import type {
  ChatMessage,
  ChatMessagesPage,
  ChatSession,
  ChatSessionSummary,
  ChatSessionsPage,
  Proposal,
  TicketSummary,
} from "../api-types";

export type MessagePages = InfiniteData<ChatMessagesPage, string | null>;
export type SessionPages = InfiniteData<ChatSessionsPage, string | null>;

/** A chat with no messages (just created). */
export const noMessages = (): MessagePages => ({ pages: [{ items: [], has_more: false }], pageParams: [null] });

/** The first page of a chat as the server sent it with the chat. */
export const firstPage = (page: ChatMessagesPage): MessagePages => ({ pages: [page], pageParams: [null] });

/** All messages, oldest first (pages are kept newest page first). */
export function flattenMessages(data: { pages: ChatMessagesPage[] } | undefined): ChatMessage[] {
  if (!data) return [];
  return [...data.pages].reverse().flatMap((page) => page.items);
}

/** Stored messages replace the copy with their id, or come last. */
export function upsertMessages(data: MessagePages | undefined, messages: ChatMessage[]): MessagePages | undefined {
  if (!data || messages.length === 0) return data;
  let pages = data.pages;
  for (const message of messages) {
    const index = pages.findIndex((page) => page.items.some((m) => m.id === message.id));
    if (index >= 0) {
      pages = pages.map((page, i) =>
        i === index ? { ...page, items: page.items.map((m) => (m.id === message.id ? message : m)) } : page,
      );
    } else {
      const [newest, ...older] = pages as [ChatMessagesPage, ...ChatMessagesPage[]];
      pages = [{ ...newest, items: [...newest.items, message] }, ...older];
    }
  }
  return { ...data, pages };
}

/** A proposal as decided, undone or refreshed: on its message (card and tool call line). */
export function updateProposal(data: MessagePages | undefined, proposal: Proposal): MessagePages | undefined {
  if (!data) return data;
  const owner = flattenMessages(data).find((m) => m.proposals?.some((p) => p.id === proposal.id));
  if (!owner) return data;
  const { state } = proposal;
  return upsertMessages(data, [
    {
      ...owner,
      proposals: (owner.proposals ?? []).map((p) => (p.id === proposal.id ? proposal : p)),
      tool_calls:
        owner.tool_calls?.map((c) =>
          c.proposal_id === proposal.id && state !== "pending" && c.status === "proposed"
            ? { ...c, status: state, summary: proposal.summary ?? c.summary }
            : c,
        ) ?? null,
    },
  ]);
}

/**
 * Edit-and-resend or regenerate: the user message `fromId` and the user and assistant
 * messages after it are superseded on the server (kept, shown as "Replaced").
 */
export function supersedeFrom(data: MessagePages | undefined, fromId: string): MessagePages | undefined {
  if (!data) return data;
  const all = flattenMessages(data);
  const at = all.findIndex((m) => m.id === fromId);
  if (at < 0) return data;
  const replaced = new Set(all.slice(at).filter((m) => m.role !== "system" && !m.superseded).map((m) => m.id));
  if (replaced.size === 0) return data;
  return {
    ...data,
    pages: data.pages.map((page) => ({
      ...page,
      items: page.items.map((m) => (replaced.has(m.id) ? { ...m, superseded: true } : m)),
    })),
  };
}

/** A retried message's new reply: the failed replies after it are gone on the server too. */
export function replaceFailedReplies(data: MessagePages | undefined, userMessageId: string): MessagePages | undefined {
  if (!data) return data;
  const doomed = new Set<string>();
  const all = flattenMessages(data);
  const at = all.findIndex((m) => m.id === userMessageId);
  for (let i = at + 1; at >= 0 && i < all.length; i++) {
    const m = all[i] as ChatMessage;
    if (m.role !== "assistant" || m.status !== "failed") break;
    doomed.add(m.id);
  }
  if (doomed.size === 0) return data;
  return { ...data, pages: data.pages.map((page) => ({ ...page, items: page.items.filter((m) => !doomed.has(m.id)) })) };
}

/** Fresh ticket data (a tool changed a status) for the chips of the attached tickets. */
export function refreshAttached(session: ChatSession | undefined, tickets: TicketSummary[]): ChatSession | undefined {
  if (!session || tickets.length === 0) return session;
  const byId = new Map(tickets.map((t) => [t.id, t]));
  if (!session.attached_tickets.some((t) => byId.has(t.id))) return session;
  return { ...session, attached_tickets: session.attached_tickets.map((t) => byId.get(t.id) ?? t) };
}

function blankSummary(id: string, now: string): ChatSessionSummary {
  return { id, title: null, created_at: now, updated_at: now, attached_ticket_count: 0, last_message_preview: null };
}

/**
 * Insert or update a chat in the list; `touch` makes it the most recent (moved to the top).
 * Without `touch` a chat not in the list is left out (it is on a page not loaded yet).
 */
export function upsertSession(
  data: SessionPages | undefined,
  patch: Partial<ChatSessionSummary> & { id: string },
  touch: boolean,
  now: string,
): SessionPages | undefined {
  if (!data) return data;
  const existing = data.pages.flatMap((p) => p.items).find((s) => s.id === patch.id);
  if (!existing && !touch) return data;
  const merged: ChatSessionSummary = { ...(existing ?? blankSummary(patch.id, now)), ...patch };
  if (touch) merged.updated_at = patch.updated_at ?? now;
  if (!touch) {
    return {
      ...data,
      pages: data.pages.map((p) => ({ ...p, items: p.items.map((s) => (s.id === patch.id ? merged : s)) })),
    };
  }
  const pages = data.pages.map((p) => ({ ...p, items: p.items.filter((s) => s.id !== patch.id) }));
  const [first, ...rest] = pages as [ChatSessionsPage, ...ChatSessionsPage[]];
  return { ...data, pages: [{ ...first, items: [merged, ...first.items] }, ...rest] };
}

export function removeSession(data: SessionPages | undefined, id: string): SessionPages | undefined {
  if (!data) return data;
  return { ...data, pages: data.pages.map((p) => ({ ...p, items: p.items.filter((s) => s.id !== id) })) };
}
