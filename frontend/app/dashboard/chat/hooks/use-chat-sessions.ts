"use client";

import { useCallback, useState } from "react";
import { useQuery } from "@/hooks/use-query";
import { deleteChatSession, errorMessage, listChatSessions, renameChatSession } from "@/lib/api";
import type { ChatSessionSummary } from "@/lib/types";

const PAGE_SIZE = 30;

interface SessionsPage {
  items: ChatSessionSummary[];
  next_cursor: string | null;
}

export interface ChatSessionsApi {
  items: ChatSessionSummary[] | null;
  error: string | null;
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => Promise<void>;
  reload: () => void;
  /** Insert or update a session; `touch` moves it to the top as the most recent. */
  upsert: (session: Partial<ChatSessionSummary> & { id: string }, touch?: boolean) => void;
  rename: (id: string, title: string) => Promise<string | null>;
  remove: (id: string) => Promise<void>;
  forget: (id: string) => void;
}

function blankSummary(id: string): ChatSessionSummary {
  const now = new Date().toISOString();
  return { id, title: null, created_at: now, updated_at: now, attached_ticket_count: 0, last_message_preview: null };
}

export function useChatSessions(): ChatSessionsApi {
  const query = useQuery<SessionsPage>("sessions", (signal) => listChatSessions({ limit: PAGE_SIZE }, signal));
  const { setData } = query;
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);
  const nextCursor = query.data?.next_cursor ?? null;

  const loadMore = useCallback(async () => {
    if (!nextCursor) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await listChatSessions({ limit: PAGE_SIZE, cursor: nextCursor });
      setData((prev) => {
        const seen = new Set(prev?.items.map((s) => s.id));
        return { items: [...(prev?.items ?? []), ...page.items.filter((s) => !seen.has(s.id))], next_cursor: page.next_cursor };
      });
    } catch (e) {
      setMoreError(errorMessage(e));
    } finally {
      setLoadingMore(false);
    }
  }, [nextCursor, setData]);

  const upsert = useCallback(
    (patch: Partial<ChatSessionSummary> & { id: string }, touch = false) => {
      setData((prev) => {
        if (!prev) return prev;
        const existing = prev.items.find((s) => s.id === patch.id);
        if (!existing && !touch) return prev;
        const merged: ChatSessionSummary = { ...(existing ?? blankSummary(patch.id)), ...patch };
        if (touch) merged.updated_at = patch.updated_at ?? new Date().toISOString();
        if (!existing || touch) {
          return { ...prev, items: [merged, ...prev.items.filter((s) => s.id !== patch.id)] };
        }
        return { ...prev, items: prev.items.map((s) => (s.id === patch.id ? merged : s)) };
      });
    },
    [setData],
  );

  const forget = useCallback(
    (id: string) => setData((prev) => (prev ? { ...prev, items: prev.items.filter((s) => s.id !== id) } : prev)),
    [setData],
  );

  const rename = useCallback(
    async (id: string, title: string) => {
      const session = await renameChatSession(id, title);
      upsert({ id, title: session.title });
      return session.title;
    },
    [upsert],
  );

  const remove = useCallback(
    async (id: string) => {
      await deleteChatSession(id);
      forget(id);
    },
    [forget],
  );

  return {
    items: query.data?.items ?? null,
    error: query.error ? errorMessage(query.error) : moreError,
    hasMore: Boolean(nextCursor),
    loadingMore,
    loadMore,
    reload: query.reload,
    upsert,
    rename,
    remove,
    forget,
  };
}
