/**
 * The I/O of one chat page: sending a message and reading the streamed reply, creating the
 * chat, attaching tickets. The live turn goes through the store's reducer (chat-state.ts);
 * the writes and what the server has stored go through the query layer (lib/queries/chat.ts),
 * whose cache the list of chats, the header and the messages read. No React: hooks/use-chat.ts
 * binds it to a page.
 */
import { MutationObserver, type QueryClient } from "@tanstack/react-query";
import {
  ApiError,
  approveAllProposals,
  type ChatStreamHandlers,
  type ChatStreamOutcome,
  decideProposal,
  ErrorCode,
  errorMessage,
  hasErrorCode,
  isAbortError,
  type ProposalDecision,
  streamChatMessage,
  undoProposal,
} from "@/lib/api";
import type { ChatError, ChatMessage, ChatSession, Proposal, TicketSummary } from "@/lib/api-types";
import { newClientMessageId } from "@/lib/ids";
import { changeTicketsMutation, createSessionMutation, forgetSession, turnCache, type TicketsChange } from "@/lib/queries/chat";
import { flattenMessages, type MessagePages } from "@/lib/queries/chat-cache";
import { queryKeys } from "@/lib/queries/keys";
import { fromServer, type ChatAction, type UiMessage } from "./chat-state";
import { createChatStore, type ChatStore } from "./chat-store";

export interface ChatCallbacks {
  /** A session was created here (first message or first attachment of a new chat). */
  onSessionCreated?: (session: ChatSession) => void;
  /** The server stored the user's message: it is no longer only a draft. */
  onUserMessageStored?: (sessionId: string, content: string) => void;
}

export interface ChatActions {
  send: (content: string) => Promise<void>;
  retry: (message: UiMessage) => Promise<void>;
  /**
   * Edit-and-resend (new `content`) or regenerate (the same) the chat's last user message
   * `message`: the server supersedes it and what follows, and answers `content` in its place.
   */
  replace: (message: UiMessage, content: string) => Promise<void>;
  stop: () => void;
  attach: (tickets: TicketSummary[]) => Promise<void>;
  detach: (tickets: TicketSummary[]) => Promise<void>;
  /** The current session id, creating the session first when needed. */
  ensureSession: () => Promise<string>;
  /** Start a fresh session now (used by "New chat"). */
  createSession: () => Promise<ChatSession>;
  /**
   * Approve (maybe edited) or reject a proposal; the reply goes on, streamed into it.
   * Rejects with the ApiError (after showing a stale approval's fresh diff).
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
    const session = await new MutationObserver(queryClient, createSessionMutation(queryClient)).mutate();
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

  const runTurn = async (content: string, clientMessageId: string, replaces?: string) => {
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
    const cache = turnCache(queryClient, sessionId);
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
            if (replaces) cache.superseded(replaces);
            cache.stored(message);
            callbacks.onUserMessageStored?.(sessionId, message.content);
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
            cache.ticketsChanged(event.tickets ?? []);
          },
          onAssistantMessage: (message) => {
            flush();
            cache.stored(message, storedUser?.id);
            dispatch({ type: "turn_reply", clientMessageId, message });
          },
          // A reply paused on proposals is a reply like any other (with cards).
          onApprovalRequired: (message) => {
            flush();
            cache.stored(message, storedUser?.id);
            dispatch({ type: "turn_reply", clientMessageId, message });
          },
          onSessionTitle: (title) => {
            flush();
            cache.titled(title);
          },
          onError: (error) => send({ type: "turn_error", clientMessageId, error }),
        },
        controller.signal,
        replaces,
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
    cache.ended({ preview: content, finished, ranTools });
  };

  // ---------------------------------------------------------------- proposals

  /** A decision on the stored reply `messageId`, whose continuation streams into it. */
  const runDecision = async (
    messageId: string,
    call: (sessionId: string, handlers: ChatStreamHandlers, signal: AbortSignal) => Promise<ChatStreamOutcome>,
  ) => {
    const { sessionId, pendingTurn } = getState();
    if (!sessionId || pendingTurn) return;
    const stored = flattenMessages(
      queryClient.getQueryData<MessagePages>(queryKeys.chat.messages(sessionId)),
    ).find((m) => m.id === messageId);
    if (!stored) return;
    const token = `decision:${newClientMessageId()}`;
    dispatch({ type: "decision_start", token, reply: fromServer(stored) });
    const controller = new AbortController();
    turn = { controller, sessionId };
    const cache = turnCache(queryClient, sessionId);
    let finished = false;

    let pendingText = "";
    let frame: number | null = null;
    const flush = () => {
      if (frame !== null) cancelAnimationFrame(frame);
      frame = null;
      if (pendingText) {
        const text = pendingText;
        pendingText = "";
        dispatch({ type: "turn_delta", clientMessageId: token, text });
      }
    };
    const send = (action: ChatAction) => {
      flush();
      dispatch(action);
    };
    const proposalChanged = (proposal: Proposal) => {
      send({ type: "proposal_updated", proposal });
      cache.proposal(proposal);
    };
    const storedReply = (message: ChatMessage) => {
      flush();
      cache.stored(message);
      dispatch({ type: "turn_reply", clientMessageId: token, message });
    };

    try {
      const outcome = await call(
        sessionId,
        {
          onProposalUpdated: proposalChanged,
          onTextDelta: (text) => {
            pendingText += text;
            if (frame === null) frame = requestAnimationFrame(flush);
          },
          onToolCallStarted: (event) => send({ type: "turn_tool_started", clientMessageId: token, event }),
          onToolCallFinished: (event) => {
            send({ type: "turn_tool_finished", clientMessageId: token, event });
            cache.ticketsChanged(event.tickets ?? []);
          },
          onAssistantMessage: storedReply,
          onApprovalRequired: storedReply,
          onError: (error) => send({ type: "turn_error", clientMessageId: token, error }),
        },
        controller.signal,
      );
      finished = outcome === "done";
    } catch (e) {
      flush();
      if (controller.signal.aborted || isAbortError(e)) {
        dispatch({ type: "turn_aborted", clientMessageId: token });
      } else {
        // Refused before the reply went on (stale, gone, a bad edit): the card says why.
        const fresh = e instanceof ApiError ? (e.body.proposal as Proposal | undefined) : undefined;
        if (fresh) proposalChanged(fresh);
        finished = true; // nothing of the reply changed
        throw e;
      }
    } finally {
      flush();
      dispatch({ type: "turn_end", clientMessageId: token });
      if (turn?.controller === controller) turn = null;
      cache.decided({ finished });
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
    const undone = await undoProposal(sessionId, proposal.id);
    dispatch({ type: "proposal_updated", proposal: undone });
    const cache = turnCache(queryClient, sessionId);
    cache.proposal(undone);
    // A grouped intake is undone as a whole, its other steps too: the messages are read again.
    cache.decided({ finished: !proposal.group_id });
  };

  const send = (content: string) => runTurn(content, newClientMessageId());

  const retry = (message: UiMessage) => {
    const clientMessageId = message.clientMessageId ?? newClientMessageId();
    return runTurn(message.content, clientMessageId, replacing.get(clientMessageId));
  };

  /** The message each replacing turn replaces, so Retry replaces it too. */
  const replacing = new Map<string, string>();

  const replace = async (message: UiMessage, content: string) => {
    if (!message.id || message.role !== "user") return;
    const clientMessageId = newClientMessageId();
    replacing.set(clientMessageId, message.id);
    await runTurn(content, clientMessageId, message.id);
  };

  const stop = () => turn?.controller.abort();

  // ---------------------------------------------------------------- attachments

  /** Optimistic (lib/queries/chat.ts); the chips show busy until the server has answered. */
  const changeTickets = async (tickets: TicketSummary[], mode: TicketsChange["mode"]) => {
    if (tickets.length === 0) return;
    const sessionId = await ensureSession();
    const ids = tickets.map((t) => t.id);
    dispatch({ type: "tickets_saving", ids, saving: true });
    try {
      await new MutationObserver(queryClient, changeTicketsMutation(queryClient, sessionId)).mutate({ mode, tickets });
    } catch (e) {
      if (sessionGone(e)) dispatch({ type: "gone", sessionId });
      throw e;
    } finally {
      dispatch({ type: "tickets_saving", ids, saving: false });
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
    replace,
    stop,
    attach,
    detach,
    ensureSession,
    createSession,
    decide,
    approveAll,
    undo,
  };
}

function toChatError(e: unknown): ChatError {
  if (e instanceof ApiError) return { code: e.code, message: e.message };
  return { code: "error", message: errorMessage(e) };
}
