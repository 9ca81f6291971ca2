"use client";

import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useDeferredValue, useMemo } from "react";
import { errorMessage } from "@/lib/api";
import type { ChatSessionSummary } from "@/lib/api-types";
import { chatSessionsQuery, forgetSession, useDeleteSession, useRenameSession } from "@/lib/queries/chat";

export interface ChatSessionsApi {
  items: ChatSessionSummary[] | null;
  error: string | null;
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => void;
  reload: () => void;
  /** The saved title. */
  rename: (id: string, title: string) => Promise<string | null>;
  /** `shown`: the chat on screen (it keeps its data until the page moves on). */
  remove: (id: string, shown: boolean) => Promise<void>;
  /** A chat found to be gone leaves the list. */
  forget: (id: string) => void;
}

/** The signed-in user's chats for the sidebar, from the query cache. */
export function useChatSessions(): ChatSessionsApi {
  const queryClient = useQueryClient();
  const query = useInfiniteQuery(chatSessionsQuery());
  const { mutateAsync: renameSession } = useRenameSession();
  const { mutateAsync: deleteSession } = useDeleteSession();
  const { hasNextPage, isFetchingNextPage, fetchNextPage, refetch } = query;
  // The list renders as a background render (the chat page is still starting when it comes).
  const data = useDeferredValue(query.data);
  const items = useMemo(() => (data ? data.pages.flatMap((page) => page.items) : null), [data]);

  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  const rename = useCallback(async (id: string, title: string) => (await renameSession({ id, title })).title, [renameSession]);
  const remove = useCallback((id: string, shown: boolean) => deleteSession({ id, shown }), [deleteSession]);
  const forget = useCallback((id: string) => forgetSession(queryClient, id), [queryClient]);

  return {
    items,
    error: query.isError ? errorMessage(query.error) : null,
    hasMore: hasNextPage,
    loadingMore: isFetchingNextPage,
    loadMore,
    reload: () => void refetch(),
    rename,
    remove,
    forget,
  };
}
