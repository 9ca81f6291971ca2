"use client";

import { useCallback, useEffect, useReducer, useRef } from "react";
import {
  ApiError,
  attachTicketsToSession,
  createChatSession,
  detachTicketsFromSession,
  errorMessage,
  getChatSession,
  isAbortError,
  listChatMessages,
  streamChatMessage,
} from "@/lib/api";
import { chatReducer, initialChatState, type ChatAction, type ChatState, type UiMessage } from "@/lib/chat-state";
import { newClientMessageId } from "@/lib/ids";
import type { ChatSession, TicketRef } from "@/lib/types";

export interface ChatCallbacks {
  /** A session was created here (first message or first attachment of a new chat). */
  onSessionCreated?: (session: ChatSession) => void;
  /** Something happened in the session (message sent, tickets changed). */
  onActivity?: (sessionId: string, patch: { preview?: string }) => void;
  onTitle?: (sessionId: string, title: string) => void;
}

export interface ChatController {
  state: ChatState;
  streaming: boolean;
  send: (content: string) => Promise<void>;
  retry: (message: UiMessage) => Promise<void>;
  stop: () => void;
  loadOlder: () => Promise<void>;
  attach: (refs: TicketRef[]) => Promise<void>;
  detach: (refs: TicketRef[]) => Promise<void>;
  /** The current session id, creating the session first when needed. */
  ensureSession: () => Promise<string>;
  /** Start a fresh session now (used by "New chat"). */
  createSession: () => Promise<ChatSession>;
  reload: () => void;
  /** The session was renamed elsewhere (the sidebar). */
  setTitle: (sessionId: string, title: string) => void;
}

const OLDER_PAGE = 50;

/**
 * One chat session: loading it (from `urlSessionId`), sending messages and
 * reading the streamed reply, attachments, older pages. State lives in a
 * pure reducer (lib/chat-state.ts); this hook does the I/O.
 */
export function useChat(urlSessionId: string | null, callbacks: ChatCallbacks = {}): ChatController {
  const [state, dispatch] = useReducer(chatReducer, initialChatState);
  const stateRef = useRef(state);
  const callbacksRef = useRef(callbacks);
  const abortRef = useRef<{ controller: AbortController; sessionId: string } | null>(null);
  const creatingRef = useRef<Promise<ChatSession> | null>(null);

  useEffect(() => {
    stateRef.current = state;
    callbacksRef.current = callbacks;
  });

  // ---------------------------------------------------------------- loading

  const load = useCallback((sessionId: string, signal?: AbortSignal) => {
    dispatch({ type: "load_start", sessionId });
    stateRef.current = { ...initialChatState, sessionId, phase: "loading" };
    getChatSession(sessionId, signal).then(
      (detail) => dispatch({ type: "load_ok", detail }),
      (e: unknown) => {
        if (signal?.aborted) return;
        if (e instanceof ApiError && (e.status === 404 || e.status === 422)) dispatch({ type: "not_found", sessionId });
        else dispatch({ type: "load_error", sessionId, message: errorMessage(e) });
      },
    );
  }, []);

  useEffect(() => {
    // Leaving a session stops its reply (the server keeps what was generated).
    const turn = abortRef.current;
    if (turn && turn.sessionId !== urlSessionId) turn.controller.abort();

    const current = stateRef.current;
    // Already showing (or just created) this session. A load still in flight is
    // started again: the previous run's cleanup aborted it (Strict Mode runs effects twice).
    if (urlSessionId === current.sessionId && current.phase !== "loading") return;
    if (urlSessionId === null) {
      dispatch({ type: "reset" });
      stateRef.current = initialChatState;
      return;
    }
    const controller = new AbortController();
    load(urlSessionId, controller.signal);
    return () => controller.abort();
  }, [urlSessionId, load]);

  const reload = useCallback(() => {
    if (stateRef.current.sessionId) load(stateRef.current.sessionId);
  }, [load]);

  // ---------------------------------------------------------------- session

  const createSession = useCallback(async (): Promise<ChatSession> => {
    const session = await createChatSession();
    dispatch({ type: "session_created", session });
    stateRef.current = { ...stateRef.current, sessionId: session.id, phase: "ready", session };
    callbacksRef.current.onSessionCreated?.(session);
    return session;
  }, []);

  const ensureSession = useCallback(async (): Promise<string> => {
    const existing = stateRef.current.sessionId;
    if (existing) return existing;
    if (!creatingRef.current) {
      creatingRef.current = createSession().finally(() => {
        creatingRef.current = null;
      });
    }
    return (await creatingRef.current).id;
  }, [createSession]);

  // ---------------------------------------------------------------- turns

  const runTurn = useCallback(
    async (content: string, clientMessageId: string) => {
      if (stateRef.current.pendingTurn) return;
      dispatch({ type: "turn_start", clientMessageId, content, now: new Date().toISOString() });
      stateRef.current = { ...stateRef.current, pendingTurn: clientMessageId };

      let sessionId: string;
      try {
        sessionId = await ensureSession();
      } catch (e) {
        dispatch({ type: "turn_error", clientMessageId, error: toChatError(e) });
        dispatch({ type: "turn_end", clientMessageId });
        return;
      }

      const controller = new AbortController();
      abortRef.current = { controller, sessionId };
      let ranTools = false;

      // Text deltas are applied at most once per frame; other events flush them first, keeping order.
      let pendingText = "";
      let frame: number | null = null;
      const flush = () => {
        if (frame !== null) cancelAnimationFrame(frame);
        frame = null;
        if (pendingText) {
          const text = pendingText;
          pendingText = "";
          dispatch({ type: "turn_delta", clientMessageId, text });
        }
      };
      const send = (action: ChatAction) => {
        flush();
        dispatch(action);
      };

      try {
        await streamChatMessage(
          sessionId,
          content,
          clientMessageId,
          {
            onUserMessage: (message) => send({ type: "turn_user_message", clientMessageId, message }),
            onTextDelta: (text) => {
              pendingText += text;
              if (frame === null) frame = requestAnimationFrame(flush);
            },
            onToolCallStarted: (event) => {
              ranTools = true;
              send({ type: "turn_tool_started", clientMessageId, event });
            },
            onToolCallFinished: (event) => send({ type: "turn_tool_finished", clientMessageId, event }),
            onAssistantMessage: (message) => send({ type: "turn_assistant_message", clientMessageId, message }),
            onSessionTitle: (title) => {
              send({ type: "title", title });
              callbacksRef.current.onTitle?.(sessionId, title);
            },
            onError: (error) => send({ type: "turn_error", clientMessageId, error }),
          },
          controller.signal,
        );
      } catch (e) {
        flush();
        if (controller.signal.aborted || isAbortError(e)) {
          dispatch({ type: "turn_aborted", clientMessageId });
        } else if (e instanceof ApiError && e.status === 404) {
          dispatch({ type: "not_found", sessionId });
        } else {
          dispatch({ type: "turn_error", clientMessageId, error: toChatError(e) });
        }
      } finally {
        flush();
        dispatch({ type: "turn_end", clientMessageId });
        if (abortRef.current?.controller === controller) abortRef.current = null;
        callbacksRef.current.onActivity?.(sessionId, { preview: content });
      }

      // Tools may have attached, created or changed tickets, and the server may have
      // titled the chat: refresh the header.
      if (ranTools || !stateRef.current.session?.title) {
        getChatSession(sessionId).then(
          (detail) => dispatch({ type: "session_meta", session: detail }),
          () => undefined,
        );
      }
    },
    [ensureSession],
  );

  const send = useCallback((content: string) => runTurn(content, newClientMessageId()), [runTurn]);

  const retry = useCallback(
    (message: UiMessage) => runTurn(message.content, message.clientMessageId ?? newClientMessageId()),
    [runTurn],
  );

  const stop = useCallback(() => abortRef.current?.controller.abort(), []);

  // ---------------------------------------------------------------- history

  const loadOlder = useCallback(async () => {
    const s = stateRef.current;
    if (!s.sessionId || !s.hasMore || s.loadingOlder) return;
    const oldest = s.messages.find((m) => m.id)?.id;
    if (!oldest) return;
    dispatch({ type: "older_start" });
    stateRef.current = { ...s, loadingOlder: true };
    try {
      const page = await listChatMessages(s.sessionId, { before: oldest, limit: OLDER_PAGE });
      dispatch({ type: "older_ok", page });
    } catch (e) {
      dispatch({ type: "older_error", message: errorMessage(e) });
    }
  }, []);

  // ---------------------------------------------------------------- attachments

  const changeTickets = useCallback(
    async (refs: TicketRef[], mode: "attach" | "detach") => {
      if (refs.length === 0) return;
      const sessionId = await ensureSession();
      const call = mode === "attach" ? attachTicketsToSession : detachTicketsFromSession;
      try {
        const res = await call(sessionId, refs);
        const { system_message, ...session } = res;
        dispatch({ type: "session_updated", session, systemMessage: system_message });
      } catch (e) {
        if (e instanceof ApiError && e.status === 404 && e.message.toLowerCase().includes("session")) {
          dispatch({ type: "not_found", sessionId });
        }
        throw e;
      }
    },
    [ensureSession],
  );

  const attach = useCallback((refs: TicketRef[]) => changeTickets(refs, "attach"), [changeTickets]);
  const detach = useCallback((refs: TicketRef[]) => changeTickets(refs, "detach"), [changeTickets]);

  const setTitle = useCallback((sessionId: string, title: string) => {
    if (stateRef.current.sessionId === sessionId) dispatch({ type: "title", title });
  }, []);

  return {
    state,
    setTitle,
    streaming: state.pendingTurn !== null,
    send,
    retry,
    stop,
    loadOlder,
    attach,
    detach,
    ensureSession,
    createSession,
    reload,
  };
}

function toChatError(e: unknown): { code: string; message: string } {
  if (e instanceof ApiError) return { code: e.code, message: e.message };
  return { code: "error", message: errorMessage(e) };
}
