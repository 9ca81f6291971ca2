/**
 * The I/O of one chat page: sending a message and reading the streamed reply, creating the
 * chat, attaching tickets. The live turn goes through the store's reducer (chat-state.ts);
 * what the server has stored goes into the query cache (lib/queries), where the list of
 * chats, the header and the messages read it. No React: hooks/use-chat.ts binds it to a page.
 */
import type { QueryClient } from "@tanstack/react-query";
import {
  ApiError,
  changeSessionTickets,
  createChatSession,
  ErrorCode,
  errorMessage,
  hasErrorCode,
  isAbortError,
  streamChatMessage,
} from "@/lib/api";
import type { ChatError, ChatMessage, ChatSession, TicketSummary } from "@/lib/api-types";
import { newClientMessageId } from "@/lib/ids";
import { forgetSession } from "@/lib/queries/chat";
import {
  noMessages,
  refreshAttached,
  replaceFailedReplies,
  upsertMessages,
  upsertSession,
  type MessagePages,
  type SessionPages,
} from "@/lib/queries/chat-cache";
import { queryKeys } from "@/lib/queries/keys";
import { invalidateTicketViews } from "@/lib/queries/tickets";
import type { ChatAction, UiMessage } from "./chat-state";
import { createChatStore, type ChatStore } from "./chat-store";

export interface ChatCallbacks {
  /** A session was created here (first message or first attachment of a new chat). */
  onSessionCreated?: (session: ChatSession) => void;
}

export interface ChatActions {
  send: (content: string) => Promise<void>;
  retry: (message: UiMessage) => Promise<void>;
  stop: () => void;
  attach: (tickets: TicketSummary[]) => Promise<void>;
  detach: (tickets: TicketSummary[]) => Promise<void>;
  /** The current session id, creating the session first when needed. */
  ensureSession: () => Promise<string>;
  /** Start a fresh session now (used by "New chat"). */
  createSession: () => Promise<ChatSession>;
}

export interface ChatController extends ChatActions {
  store: ChatStore;
  setCallbacks: (callbacks: ChatCallbacks) => void;
  /** Show the session in the URL (null: a new chat). */
  open: (sessionId: string | null) => void;
}

/** The session itself is gone: its own error code, never a guess from the message. */
const sessionGone = (e: unknown) => hasErrorCode(e, ErrorCode.sessionNotFound);

const now = () => new Date().toISOString();

export function createChatController(queryClient: QueryClient, store: ChatStore = createChatStore()): ChatController {
  const { dispatch, getState } = store;
  let callbacks: ChatCallbacks = {};
  /** The reply being streamed, to stop it (an I/O handle, not state). */
  let turn: { controller: AbortController; sessionId: string } | null = null;
  /** A session being created, so concurrent first actions share it. */
  let creating: Promise<ChatSession> | null = null;

  // ---------------------------------------------------------------- the cache

  const setSession = (id: string, update: (s: ChatSession | undefined) => ChatSession | undefined) =>
    queryClient.setQueryData<ChatSession>(queryKeys.chat.session(id), update);
  const setMessages = (id: string, update: (m: MessagePages | undefined) => MessagePages | undefined) =>
    queryClient.setQueryData<MessagePages>(queryKeys.chat.messages(id), update);
  const setListed = (patch: Parameters<typeof upsertSession>[1], touch = false) =>
    queryClient.setQueryData<SessionPages>(queryKeys.chat.sessions(), (data) => upsertSession(data, patch, touch, now()));

  const markGone = (sessionId: string) => {
    dispatch({ type: "gone", sessionId });
    forgetSession(queryClient, sessionId);
  };

  // ---------------------------------------------------------------- session

  const open = (sessionId: string | null) => {
    // Leaving a session stops its reply (the server keeps what was generated).
    if (turn && turn.sessionId !== sessionId) turn.controller.abort();
    dispatch({ type: "open", sessionId });
  };

  const createSession = async (): Promise<ChatSession> => {
    const session = await createChatSession();
    setSession(session.id, () => session);
    setMessages(session.id, () => noMessages());
    setListed(
      {
        id: session.id,
        title: session.title,
        created_at: session.created_at,
        updated_at: session.updated_at,
        attached_ticket_count: session.attached_tickets.length,
      },
      true,
    );
    dispatch({ type: "session_created", sessionId: session.id });
    callbacks.onSessionCreated?.(session);
    return session;
  };

  const ensureSession = async (): Promise<string> => {
    const existing = getState().sessionId;
    if (existing) return existing;
    creating ??= createSession().finally(() => {
      creating = null;
    });
    return (await creating).id;
  };

  // ---------------------------------------------------------------- turns

  const runTurn = async (content: string, clientMessageId: string) => {
    if (getState().pendingTurn) return;
    dispatch({ type: "turn_start", clientMessageId, content, now: now() });

    let sessionId: string;
    try {
      sessionId = await ensureSession();
    } catch (e) {
      dispatch({ type: "turn_error", clientMessageId, error: toChatError(e) });
      dispatch({ type: "turn_end", clientMessageId });
      return;
    }

    const controller = new AbortController();
    turn = { controller, sessionId };
    let ranTools = false;
    let finished = false;
    let storedUser: ChatMessage | null = null;

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
      const outcome = await streamChatMessage(
        sessionId,
        content,
        clientMessageId,
        {
          onUserMessage: (message) => {
            flush();
            storedUser = message;
            setMessages(sessionId, (data) => upsertMessages(data, [message]));
          },
          onTextDelta: (text) => {
            pendingText += text;
            if (frame === null) frame = requestAnimationFrame(flush);
          },
          onToolCallStarted: (event) => {
            ranTools = true;
            send({ type: "turn_tool_started", clientMessageId, event });
          },
          onToolCallFinished: (event) => {
            send({ type: "turn_tool_finished", clientMessageId, event });
            setSession(sessionId, (s) => refreshAttached(s, event.tickets ?? []));
          },
          onAssistantMessage: (message) => {
            flush();
            const answered = storedUser;
            setMessages(sessionId, (data) =>
              upsertMessages(answered ? replaceFailedReplies(data, answered.id) : data, [message]),
            );
            dispatch({ type: "turn_reply", clientMessageId, message });
          },
          onSessionTitle: (title) => {
            flush();
            setSession(sessionId, (s) => (s ? { ...s, title } : s));
            setListed({ id: sessionId, title });
          },
          onError: (error) => send({ type: "turn_error", clientMessageId, error }),
        },
        controller.signal,
      );
      finished = outcome === "done";
    } catch (e) {
      flush();
      if (controller.signal.aborted || isAbortError(e)) {
        dispatch({ type: "turn_aborted", clientMessageId });
      } else if (sessionGone(e)) {
        markGone(sessionId);
      } else {
        dispatch({ type: "turn_error", clientMessageId, error: toChatError(e) });
      }
    } finally {
      flush();
      dispatch({ type: "turn_end", clientMessageId });
      if (turn?.controller === controller) turn = null;
    }

    if (getState().gone && getState().sessionId === sessionId) return;
    setListed({ id: sessionId, last_message_preview: content }, true);
    void queryClient.invalidateQueries({ queryKey: queryKeys.chat.sessions() });
    // What the server stored of a reply that failed or was stopped is read when the chat is
    // next opened (this page keeps showing the live turn).
    if (!finished) void queryClient.invalidateQueries({ queryKey: queryKeys.chat.messages(sessionId), refetchType: "none" });
    // Tools may have attached, created or changed tickets, and the server may have titled the
    // chat: the header asks again, and so do the ticket pages.
    const session = queryClient.getQueryData<ChatSession>(queryKeys.chat.session(sessionId));
    if (ranTools || !session?.title) {
      void queryClient.invalidateQueries({ queryKey: queryKeys.chat.session(sessionId), exact: true });
    }
    if (ranTools) void invalidateTicketViews(queryClient);
  };

  const send = (content: string) => runTurn(content, newClientMessageId());

  const retry = (message: UiMessage) => runTurn(message.content, message.clientMessageId ?? newClientMessageId());

  const stop = () => turn?.controller.abort();

  // ---------------------------------------------------------------- attachments

  /** Optimistic: the chips change at once, and change back if the server says no. */
  const changeTickets = async (tickets: TicketSummary[], mode: "attach" | "detach") => {
    if (tickets.length === 0) return;
    const sessionId = await ensureSession();
    const key = queryKeys.chat.session(sessionId);
    await queryClient.cancelQueries({ queryKey: key, exact: true });
    const before = queryClient.getQueryData<ChatSession>(key);
    const ids = new Set(tickets.map((t) => t.id));
    dispatch({ type: "tickets_saving", ids: [...ids], saving: true });
    setSession(sessionId, (s) => {
      if (!s) return s;
      const others = s.attached_tickets.filter((t) => !ids.has(t.id));
      return { ...s, attached_tickets: mode === "attach" ? [...others, ...tickets] : others };
    });
    try {
      const { system_message, ...session } = await changeSessionTickets(sessionId, { [mode]: [...ids] });
      setSession(sessionId, () => session);
      if (system_message) setMessages(sessionId, (data) => upsertMessages(data, [system_message]));
      setListed({ id: sessionId, attached_ticket_count: session.attached_tickets.length });
    } catch (e) {
      setSession(sessionId, () => before);
      if (sessionGone(e)) markGone(sessionId);
      else void queryClient.invalidateQueries({ queryKey: key, exact: true });
      throw e;
    } finally {
      dispatch({ type: "tickets_saving", ids: [...ids], saving: false });
    }
  };

  const attach = (tickets: TicketSummary[]) => changeTickets(tickets, "attach");
  const detach = (tickets: TicketSummary[]) => changeTickets(tickets, "detach");

  return {
    store,
    setCallbacks: (next) => {
      callbacks = next;
    },
    open,
    send,
    retry,
    stop,
    attach,
    detach,
    ensureSession,
    createSession,
  };
}

function toChatError(e: unknown): ChatError {
  if (e instanceof ApiError) return { code: e.code, message: e.message };
  return { code: "error", message: errorMessage(e) };
}
