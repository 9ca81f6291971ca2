/** Chats: the configuration, the list of chats, one chat and its messages, and the writes to them. */
import {
  infiniteQueryOptions,
  queryOptions,
  useMutation,
  useQueryClient,
  type QueryClient,
} from "@tanstack/react-query";
import { deleteChatSession, getChatConfig, getChatSession, listChatMessages, listChatSessions, renameChatSession } from "../api";
import type { ChatSession } from "../api-types";
import { firstPage, removeSession, upsertSession, type MessagePages, type SessionPages } from "./chat-cache";
import { queryKeys } from "./keys";

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
