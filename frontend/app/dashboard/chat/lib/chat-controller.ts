/**
 * The I/O of one chat: loading a session, sending a message and reading the
 * streamed reply, attachments, older pages. Every change goes through the
 * store's reducer and every decision reads the store, so what the code sees
 * is what the page shows. No React: hooks/use-chat.ts binds it to a page.
 */
import {
  ApiError,
  approveAllProposals,
  attachTicketsToSession,
  type ChatStreamHandlers,
  type ChatStreamOutcome,
  createChatSession,
  decideProposal,
  detachTicketsFromSession,
  ErrorCode,
  errorMessage,
  getChatSession,
  hasErrorCode,
  isAbortError,
  listChatMessages,
  type ProposalDecision,
  streamChatMessage,
  undoProposal,
} from "@/lib/api";
import { newClientMessageId } from "@/lib/ids";
import type { ChatError, ChatSession, Proposal, TicketRef } from "@/lib/types";
import type { ChatAction, UiMessage } from "./chat-state";
import { createChatStore, type ChatStore } from "./chat-store";

export interface ChatCallbacks {
  /** A session was created here (first message or first attachment of a new chat). */
  onSessionCreated?: (session: ChatSession) => void;
  /** Something happened in the session (message sent, tickets changed, a change decided). */
  onActivity?: (sessionId: string, patch: { preview?: string; pendingProposals?: number }) => void;
  onTitle?: (sessionId: string, title: string) => void;
}

export interface ChatActions {
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
  /**
   * Approve (maybe edited) or reject a proposal; the reply goes on, streamed into it.
   * Rejects with the ApiError (a stale approval's card shows the fresh diff first).
   */
  decide: (proposal: Proposal, decision: ProposalDecision) => Promise<void>;
  /** Approve every pending proposal of a reply, in order. */
  approveAll: (messageId: string) => Promise<void>;
  /** Undo an executed write (409 names who changed a field since). */
  undo: (proposal: Proposal) => Promise<void>;
}

export interface ChatController extends ChatActions {
  store: ChatStore;
  setCallbacks: (callbacks: ChatCallbacks) => void;
  /** Show the session in the URL (null: a new chat). Returns a cleanup that cancels its load. */
  open: (sessionId: string | null) => (() => void) | undefined;
}

const OLDER_PAGE = 50;

/** The session itself is gone: its own error code, never a guess from the message. */
const sessionGone = (e: unknown) => hasErrorCode(e, ErrorCode.sessionNotFound);

export function createChatController(store: ChatStore = createChatStore()): ChatController {
  const { dispatch, getState } = store;
  let callbacks: ChatCallbacks = {};
  /** The reply being streamed, to stop it (an I/O handle, not state). */
  let turn: { controller: AbortController; sessionId: string } | null = null;
  /** A session being created, so concurrent first actions share it. */
  let creating: Promise<ChatSession> | null = null;

  // ---------------------------------------------------------------- loading

  const load = (sessionId: string, signal?: AbortSignal) => {
    dispatch({ type: "load_start", sessionId });
    getChatSession(sessionId, signal).then(
      (detail) => dispatch({ type: "load_ok", detail }),
      (e: unknown) => {
        if (signal?.aborted) return;
        // A malformed id in the URL cannot name a chat either.
        if (hasErrorCode(e, ErrorCode.sessionNotFound, ErrorCode.validation)) dispatch({ type: "not_found", sessionId });
        else dispatch({ type: "load_error", sessionId, message: errorMessage(e) });
      },
    );
  };

  const open = (sessionId: string | null) => {
    // Leaving a session stops its reply (the server keeps what was generated).
    if (turn && turn.sessionId !== sessionId) turn.controller.abort();

    const current = getState();
    // Already showing (or just created) this session. A load still in flight is
    // started again: the previous run's cleanup aborted it (Strict Mode runs effects twice).
    if (sessionId === current.sessionId && current.phase !== "loading") return undefined;
    if (sessionId === null) {
      dispatch({ type: "reset" });
      return undefined;
    }
    const controller = new AbortController();
    load(sessionId, controller.signal);
    return () => controller.abort();
  };

  const reload = () => {
    const { sessionId } = getState();
    if (sessionId) load(sessionId);
  };

  // ---------------------------------------------------------------- session

  const createSession = async (): Promise<ChatSession> => {
    const session = await createChatSession();
    dispatch({ type: "session_created", session });
    callbacks.onSessionCreated?.(session);
    return session;
  };

  const ensureSession = async (): Promise<string> => {
    const existing = getState().sessionId;
    if (existing) return existing;
    if (!creating) {
      creating = createSession().finally(() => {
        creating = null;
      });
    }
    return (await creating).id;
  };

  // ---------------------------------------------------------------- turns

  const runTurn = async (content: string, clientMessageId: string) => {
    if (getState().pendingTurn) return;
    dispatch({ type: "turn_start", clientMessageId, content, now: new Date().toISOString() });

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
    const { handlers, flush, ranTools } = streamHandlers(clientMessageId, sessionId);

    try {
      await streamChatMessage(sessionId, content, clientMessageId, handlers, controller.signal);
    } catch (e) {
      flush();
      if (controller.signal.aborted || isAbortError(e)) {
        dispatch({ type: "turn_aborted", clientMessageId });
      } else if (sessionGone(e)) {
        dispatch({ type: "not_found", sessionId });
      } else {
        dispatch({ type: "turn_error", clientMessageId, error: toChatError(e) });
      }
    } finally {
      flush();
      dispatch({ type: "turn_end", clientMessageId });
      if (turn?.controller === controller) turn = null;
      callbacks.onActivity?.(sessionId, { preview: content, pendingProposals: pendingProposals() });
    }

    // Tools may have attached, created or changed tickets, and the server may have
    // titled the chat: refresh the header.
    if (ranTools() || !getState().session?.title) refreshHeader(sessionId);
  };

  const refreshHeader = (sessionId: string) => {
    getChatSession(sessionId).then(
      (detail) => dispatch({ type: "session_meta", session: detail }),
      () => undefined,
    );
  };

  /** Proposals waiting in the loaded messages (only the latest reply can have any). */
  const pendingProposals = () =>
    getState().messages.reduce((n, m) => n + m.proposals.filter((p) => p.state === "pending").length, 0);

  /** The handlers of a streamed turn whose events carry `clientMessageId` (a token, for a decision). */
  const streamHandlers = (clientMessageId: string, sessionId: string) => {
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
    const handlers: ChatStreamHandlers = {
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
      onApprovalRequired: (message) => send({ type: "turn_assistant_message", clientMessageId, message }),
      onProposalUpdated: (proposal) => send({ type: "proposal_updated", proposal }),
      onSessionTitle: (title) => {
        send({ type: "title", title });
        callbacks.onTitle?.(sessionId, title);
      },
      onError: (error) => send({ type: "turn_error", clientMessageId, error }),
    };
    return { handlers, flush, ranTools: () => ranTools };
  };

  // ---------------------------------------------------------------- proposals

  /** A decision's streamed continuation of the stored reply `messageId`. */
  const runDecision = async (
    messageId: string,
    call: (sessionId: string, handlers: ChatStreamHandlers, signal: AbortSignal) => Promise<ChatStreamOutcome>,
  ) => {
    const { sessionId, pendingTurn } = getState();
    if (!sessionId || pendingTurn) return;
    const token = `decision:${newClientMessageId()}`;
    dispatch({ type: "decision_start", messageId, token });
    const controller = new AbortController();
    turn = { controller, sessionId };
    const { handlers, flush } = streamHandlers(token, sessionId);
    try {
      await call(sessionId, handlers, controller.signal);
    } catch (e) {
      flush();
      if (controller.signal.aborted || isAbortError(e)) {
        dispatch({ type: "turn_aborted", clientMessageId: token });
      } else {
        // Refused before the reply went on (stale, not found, bad edit): the card says why.
        const fresh = e instanceof ApiError ? (e.body.proposal as Proposal | undefined) : undefined;
        if (fresh) dispatch({ type: "proposal_updated", proposal: fresh });
        throw e;
      }
    } finally {
      flush();
      dispatch({ type: "turn_end", clientMessageId: token });
      if (turn?.controller === controller) turn = null;
      callbacks.onActivity?.(sessionId, { pendingProposals: pendingProposals() });
      refreshHeader(sessionId);
    }
  };

  const decide = (proposal: Proposal, decision: ProposalDecision) =>
    runDecision(proposal.message_id ?? "", (sessionId, handlers, signal) =>
      decideProposal(sessionId, proposal.id, decision, handlers, signal),
    );

  const approveAll = (messageId: string) =>
    runDecision(messageId, (sessionId, handlers, signal) => approveAllProposals(sessionId, messageId, handlers, signal));

  const undo = async (proposal: Proposal) => {
    const { sessionId } = getState();
    if (!sessionId) return;
    dispatch({ type: "proposal_updated", proposal: await undoProposal(sessionId, proposal.id) });
    refreshHeader(sessionId);
  };

  const send = (content: string) => runTurn(content, newClientMessageId());

  const retry = (message: UiMessage) => runTurn(message.content, message.clientMessageId ?? newClientMessageId());

  const stop = () => turn?.controller.abort();

  // ---------------------------------------------------------------- history

  const loadOlder = async () => {
    const s = getState();
    if (!s.sessionId || !s.hasMore || s.loadingOlder) return;
    const oldest = s.messages.find((m) => m.id)?.id;
    if (!oldest) return;
    dispatch({ type: "older_start" });
    try {
      const page = await listChatMessages(s.sessionId, { before: oldest, limit: OLDER_PAGE });
      dispatch({ type: "older_ok", page });
    } catch (e) {
      dispatch({ type: "older_error", message: errorMessage(e) });
    }
  };

  // ---------------------------------------------------------------- attachments

  const changeTickets = async (refs: TicketRef[], mode: "attach" | "detach") => {
    if (refs.length === 0) return;
    const sessionId = await ensureSession();
    const call = mode === "attach" ? attachTicketsToSession : detachTicketsFromSession;
    try {
      const { system_message, ...session } = await call(sessionId, refs);
      dispatch({ type: "session_updated", session, systemMessage: system_message });
    } catch (e) {
      if (sessionGone(e)) dispatch({ type: "not_found", sessionId });
      throw e;
    }
  };

  const attach = (refs: TicketRef[]) => changeTickets(refs, "attach");
  const detach = (refs: TicketRef[]) => changeTickets(refs, "detach");

  const setTitle = (sessionId: string, title: string) => {
    if (getState().sessionId === sessionId) dispatch({ type: "title", title });
  };

  return {
    store,
    setCallbacks: (next) => {
      callbacks = next;
    },
    open,
    send,
    retry,
    stop,
    loadOlder,
    attach,
    detach,
    ensureSession,
    createSession,
    reload,
    setTitle,
    decide,
    approveAll,
    undo,
  };
}

function toChatError(e: unknown): ChatError {
  if (e instanceof ApiError) return { code: e.code, message: e.message };
  return { code: "error", message: errorMessage(e) };
}
