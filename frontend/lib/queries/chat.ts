/** Chats: the configuration, the list of chats, one chat and its messages, and the writes to them. */
import {
  infiniteQueryOptions,
  mutationOptions,
  queryOptions,
  useMutation,
  useQueryClient,
  type QueryClient,
} from "@tanstack/react-query";
import {
  attachTicketsToSession,
  createChatSession,
  deleteChatSession,
  detachTicketsFromSession,
  ErrorCode,
  getChatConfig,
  getChatSession,
  hasErrorCode,
  listChatMessages,
  listChatSessions,
  renameChatSession,
} from "../api";
import type { ChatMessage, ChatSession, ChatSessionSummary, Proposal, TicketSummary } from "../api-types";
import {
  firstPage,
  noMessages,
  refreshAttached,
  removeSession,
  replaceFailedReplies,
  supersedeFrom,
  updateProposal,
  upsertMessages,
  upsertSession,
  type MessagePages,
  type SessionPages,
} from "./chat-cache";
import { queryKeys } from "./keys";
import { invalidateTicketViews } from "./tickets";

const SESSIONS_PAGE = 30;
const OLDER_PAGE = 50;

export const chatConfigQuery = () =>
  queryOptions({
    queryKey: queryKeys.chat.config(),
    queryFn: ({ signal }) => getChatConfig(signal),
    staleTime: Infinity,
  });

export const chatSessionsQuery = () =>
  infiniteQueryOptions({
    queryKey: queryKeys.chat.sessions(),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => listChatSessions({ limit: SESSIONS_PAGE, cursor: pageParam }, signal),
    getNextPageParam: (last) => last.next_cursor,
  });

const SEARCH_RESULTS = 50;

export const chatSessionSearchQuery = (q: string) =>
  queryOptions({
    queryKey: queryKeys.chat.sessionSearch(q),
    queryFn: ({ signal }) => listChatSessions({ limit: SEARCH_RESULTS, q }, signal),
  });

/**
 * One chat's title and attached tickets. The server sends the latest page of messages
 * with them: it becomes the messages' first page when none is cached (one request, not two).
 */
export const chatSessionQuery = (queryClient: QueryClient, id: string) =>
  queryOptions({
    queryKey: queryKeys.chat.session(id),
    queryFn: async ({ signal }): Promise<ChatSession> => {
      const { messages, has_more, ...session } = await getChatSession(id, signal);
      queryClient.setQueryData<MessagePages>(
        queryKeys.chat.messages(id),
        (cached) => cached ?? firstPage({ items: messages, has_more }),
      );
      return session;
    },
  });

/**
 * One chat's messages, newest page first; the next page is the one before the oldest
 * message loaded. They change only through this page's turns, which write them here, so
 * they are asked again only when invalidated (a turn that failed, a ticket edited).
 */
export const chatMessagesQuery = (id: string) =>
  infiniteQueryOptions({
    queryKey: queryKeys.chat.messages(id),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => listChatMessages(id, { before: pageParam ?? undefined, limit: OLDER_PAGE }, signal),
    getNextPageParam: (last) => (last.has_more ? (last.items[0]?.id ?? null) : null),
    staleTime: Infinity,
  });

// ---------------------------------------------------------------- writes

const now = () => new Date().toISOString();

/** Rename a chat: its header and its line in the list show the saved title. */
export function useRenameSession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, title }: { id: string; title: string }) => renameChatSession(id, title),
    onSuccess: (session) => {
      queryClient.setQueryData<ChatSession>(queryKeys.chat.session(session.id), (cached) =>
        cached ? { ...cached, title: session.title } : cached,
      );
      queryClient.setQueryData<SessionPages>(queryKeys.chat.sessions(), (data) =>
        upsertSession(data, { id: session.id, title: session.title }, false, now()),
      );
    },
  });
}

/**
 * Delete a chat. It leaves the list at once; the chat being shown keeps its data until the
 * page has moved on (then it is asked again, if ever shown), any other is dropped.
 */
export function useDeleteSession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id }: { id: string; shown: boolean }) => deleteChatSession(id),
    onSuccess: (_void, { id, shown }) => {
      queryClient.setQueryData<SessionPages>(queryKeys.chat.sessions(), (data) => removeSession(data, id));
      if (shown) void queryClient.invalidateQueries({ queryKey: queryKeys.chat.session(id), refetchType: "none" });
      else queryClient.removeQueries({ queryKey: queryKeys.chat.session(id) });
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.chat.sessions() }),
  });
}

/** A chat found to be gone: out of the list. */
export function forgetSession(queryClient: QueryClient, id: string): void {
  queryClient.setQueryData<SessionPages>(queryKeys.chat.sessions(), (data) => removeSession(data, id));
}

// ---------------------------------------------------------------- a chat's writes

function chatCache(queryClient: QueryClient, id: string) {
  return {
    session: (update: (s: ChatSession | undefined) => ChatSession | undefined) =>
      queryClient.setQueryData<ChatSession>(queryKeys.chat.session(id), update),
    messages: (update: (m: MessagePages | undefined) => MessagePages | undefined) =>
      queryClient.setQueryData<MessagePages>(queryKeys.chat.messages(id), update),
    listed: (patch: Partial<ChatSessionSummary>, touch = false) =>
      queryClient.setQueryData<SessionPages>(queryKeys.chat.sessions(), (data) =>
        upsertSession(data, { ...patch, id }, touch, now()),
      ),
  };
}

/** A new chat: cached at once (empty, at the top of the list), so showing it asks nothing. */
export const createSessionMutation = (queryClient: QueryClient) =>
  mutationOptions({
    mutationFn: () => createChatSession(),
    onSuccess: (session: ChatSession) => {
      const cache = chatCache(queryClient, session.id);
      cache.session(() => session);
      cache.messages(() => noMessages());
      cache.listed(
        {
          title: session.title,
          created_at: session.created_at,
          updated_at: session.updated_at,
          attached_ticket_count: session.attached_tickets.length,
        },
        true,
      );
    },
  });

export interface TicketsChange {
  mode: "attach" | "detach";
  tickets: TicketSummary[];
}

/**
 * Attach or detach tickets. Optimistic: the chips change at once and change back if the
 * server says no; its answer (the chat, and a notice saying what changed) then stands.
 */
export const changeTicketsMutation = (queryClient: QueryClient, id: string) => {
  const key = queryKeys.chat.session(id);
  const cache = chatCache(queryClient, id);
  return mutationOptions({
    mutationFn: ({ mode, tickets }: TicketsChange) =>
      (mode === "attach" ? attachTicketsToSession : detachTicketsFromSession)(
        id,
        tickets.map((t) => t.id),
      ),
    onMutate: async ({ mode, tickets }: TicketsChange) => {
      await queryClient.cancelQueries({ queryKey: key, exact: true });
      const before = queryClient.getQueryData<ChatSession>(key);
      const ids = new Set(tickets.map((t) => t.id));
      cache.session((s) => {
        if (!s) return s;
        const others = s.attached_tickets.filter((t) => !ids.has(t.id));
        return { ...s, attached_tickets: mode === "attach" ? [...others, ...tickets] : others };
      });
      return { before };
    },
    onError: (error, _change, context) => {
      cache.session(() => context?.before);
      if (hasErrorCode(error, ErrorCode.sessionNotFound)) forgetSession(queryClient, id);
      else void queryClient.invalidateQueries({ queryKey: key, exact: true });
    },
    onSuccess: ({ system_message, ...session }) => {
      cache.session(() => session);
      if (system_message) cache.messages((data) => upsertMessages(data, [system_message]));
      cache.listed({ attached_ticket_count: session.attached_tickets.length });
    },
  });
};

/**
 * What a streamed turn tells the cache: each message the server stored, tickets a tool
 * changed, the chat's new title, and the turn's end (a stream is not a query: the reply
 * being written stays in the chat's reducer).
 */
export function turnCache(queryClient: QueryClient, id: string) {
  const cache = chatCache(queryClient, id);
  return {
    /** `answering`: the stored message this reply answers; its failed replies are replaced. */
    stored: (message: ChatMessage, answering?: string) =>
      cache.messages((data) => upsertMessages(answering ? replaceFailedReplies(data, answering) : data, [message])),
    /** The message `fromId` and those after it were replaced (edit-and-resend, regenerate). */
    superseded: (fromId: string) => cache.messages((data) => supersedeFrom(data, fromId)),
    ticketsChanged: (tickets: TicketSummary[]) => cache.session((s) => refreshAttached(s, tickets)),
    /** A proposal decided, undone or refreshed (a stale approval's fresh diff). */
    proposal: (proposal: Proposal) => cache.messages((data) => updateProposal(data, proposal)),
    /**
     * A decision is over: the list's marks of changes to approve, the header and the ticket
     * pages ask again; so do the messages if the reply was not stored whole (stopped, failed).
     */
    decided: ({ finished }: { finished: boolean }) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.chat.sessions() });
      void queryClient.invalidateQueries({ queryKey: queryKeys.chat.session(id), exact: true });
      if (!finished) void queryClient.invalidateQueries({ queryKey: queryKeys.chat.messages(id) });
      void invalidateTicketViews(queryClient);
      // An approved intake may have created a contact or logged a call.
      void queryClient.invalidateQueries({ queryKey: queryKeys.contacts.all });
    },
    titled: (title: string) => {
      cache.session((s) => (s ? { ...s, title } : s));
      cache.listed({ title });
    },
    ended: ({ preview, finished, ranTools }: { preview: string; finished: boolean; ranTools: boolean }) => {
      cache.listed({ last_message_preview: preview }, true);
      void queryClient.invalidateQueries({ queryKey: queryKeys.chat.sessions() });
      // What the server stored of a reply that failed or was stopped is read when the chat is
      // next opened (the page keeps showing the live turn).
      if (!finished) void queryClient.invalidateQueries({ queryKey: queryKeys.chat.messages(id), refetchType: "none" });
      // Tools may have attached, created or changed tickets, and the server may have titled
      // the chat: the header asks again, and so do the ticket pages.
      const session = queryClient.getQueryData<ChatSession>(queryKeys.chat.session(id));
      if (ranTools || !session?.title) void queryClient.invalidateQueries({ queryKey: queryKeys.chat.session(id), exact: true });
      if (ranTools) void invalidateTicketViews(queryClient);
    },
  };
}
