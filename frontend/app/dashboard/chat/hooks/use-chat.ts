"use client";

import { useEffect, useState, useSyncExternalStore } from "react";
import { createChatController, type ChatActions, type ChatCallbacks } from "../lib/chat-controller";
import type { ChatState } from "../lib/chat-state";

export type { ChatCallbacks } from "../lib/chat-controller";

export interface ChatController extends ChatActions {
  state: ChatState;
  streaming: boolean;
}

/**
 * One chat session bound to the page: the session in the URL (`urlSessionId`)
 * is opened, and the state renders from the controller's store (lib/chat-store.ts),
 * the one copy the controller's I/O also reads. The actions are stable.
 */
export function useChat(urlSessionId: string | null, callbacks: ChatCallbacks = {}): ChatController {
  const [chat] = useState(createChatController);
  const { store } = chat;
  const state = useSyncExternalStore(store.subscribe, store.getState, store.getState);

  useEffect(() => {
    chat.setCallbacks(callbacks);
  });

  useEffect(() => chat.open(urlSessionId), [chat, urlSessionId]);

  return {
    state,
    streaming: state.pendingTurn !== null,
    send: chat.send,
    retry: chat.retry,
    stop: chat.stop,
    loadOlder: chat.loadOlder,
    attach: chat.attach,
    detach: chat.detach,
    ensureSession: chat.ensureSession,
    createSession: chat.createSession,
    reload: chat.reload,
    setTitle: chat.setTitle,
    decide: chat.decide,
    approveAll: chat.approveAll,
    undo: chat.undo,
  };
}
