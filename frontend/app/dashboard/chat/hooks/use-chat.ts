"use client";

import { useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from "react";
import { ErrorCode, errorMessage, hasErrorCode } from "@/lib/api";
import type { ChatSession } from "@/lib/api-types";
import { chatMessagesQuery, chatSessionQuery } from "@/lib/queries/chat";
import { flattenMessages } from "@/lib/queries/chat-cache";
import { createChatController, type ChatActions, type ChatCallbacks } from "../lib/chat-controller";
import type { UiMessage } from "../lib/chat-state";
import { composeMessages } from "../lib/compose-messages";

export type { ChatCallbacks } from "../lib/chat-controller";

export type ChatPhase = "empty" | "loading" | "ready" | "not_found" | "error";

export interface ChatView extends ChatActions {
  /** The session shown (null: a new chat, not created yet). */
  sessionId: string | null;
  phase: ChatPhase;
  loadError: string | null;
  session: ChatSession | null;
  messages: UiMessage[];
  hasMore: boolean;
  loadingOlder: boolean;
  olderError: string | null;
  /** A reply is being generated. */
  streaming: boolean;
  /** Tickets whose attachment change the server has not confirmed yet. */
  savingTickets: ReadonlySet<string>;
  loadOlder: () => void;
  reload: () => void;
}

/**
 * One chat bound to the page: the session in the URL (`urlSessionId`) is opened; its title,
 * tickets and stored messages come from the query cache, the turn being written from the
 * controller's store (lib/chat-store.ts). The actions are stable.
 */
export function useChat(urlSessionId: string | null, callbacks: ChatCallbacks = {}): ChatView {
  const queryClient = useQueryClient();
  const [chat] = useState(() => createChatController(queryClient));
  const { store } = chat;
  const state = useSyncExternalStore(store.subscribe, store.getState, store.getState);

  useEffect(() => {
    chat.setCallbacks(callbacks);
  });

  useEffect(() => chat.open(urlSessionId), [chat, urlSessionId]);

  const id = state.sessionId;
  const session = useQuery({ ...chatSessionQuery(queryClient, id ?? ""), enabled: id !== null });
  const pages = useInfiniteQuery({ ...chatMessagesQuery(id ?? ""), enabled: id !== null && session.isSuccess });
  const messages = useMemo(() => composeMessages(flattenMessages(pages.data), state), [pages.data, state]);
  const savingTickets = useMemo(() => new Set(state.savingTickets), [state.savingTickets]);

  const notFound = state.gone || hasErrorCode(session.error, ErrorCode.sessionNotFound, ErrorCode.validation);
  const failed = session.isError && !session.data ? session.error : pages.isError && !pages.data ? pages.error : null;
  const phase: ChatPhase =
    id === null
      ? "empty"
      : notFound
        ? "not_found"
        : failed
          ? "error"
          : session.isPending || pages.isPending
            ? "loading"
            : "ready";

  const { hasNextPage, isFetchingNextPage, fetchNextPage, isFetchNextPageError } = pages;
  const loadOlder = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  const { refetch: refetchSession } = session;
  const { refetch: refetchPages } = pages;
  const reload = useCallback(() => {
    void refetchSession();
    void refetchPages();
  }, [refetchSession, refetchPages]);

  return {
    sessionId: id,
    phase,
    loadError: failed ? errorMessage(failed) : null,
    session: id !== null && !notFound ? (session.data ?? null) : null,
    messages,
    hasMore: hasNextPage,
    loadingOlder: isFetchingNextPage,
    olderError: isFetchNextPageError ? errorMessage(pages.error) : null,
    streaming: state.pendingTurn !== null,
    savingTickets,
    loadOlder,
    reload,
    send: chat.send,
    retry: chat.retry,
    replace: chat.replace,
    stop: chat.stop,
    attach: chat.attach,
    detach: chat.detach,
    ensureSession: chat.ensureSession,
    createSession: chat.createSession,
    decide: chat.decide,
    approveAll: chat.approveAll,
    undo: chat.undo,
  };
}
