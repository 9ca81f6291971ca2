"use client";

import * as Dialog from "@radix-ui/react-dialog";
import { X } from "lucide-react";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useMarkdownReady } from "@/components/lazy-markdown";
import { useQuery } from "@tanstack/react-query";
import { useMediaQuery } from "@/hooks/use-media-query";
import { useHydrated, useSearchParam } from "@/hooks/use-search-param";
import { errorMessage } from "@/lib/api";
import type { ChatSession, SearchHit, TicketSummary } from "@/lib/api-types";
import { draftKey, forgetSentDraft, lastChat, rememberChat } from "@/lib/drafts";
import { chatConfigQuery } from "@/lib/queries/chat";
import { meQuery } from "@/lib/queries/users";
import { routes } from "@/lib/urls";
import type { UiMessage } from "../lib/chat-state";
import { useChat } from "../hooks/use-chat";
import { useChatSessions } from "../hooks/use-chat-sessions";
import { useReplyReadyInBackground } from "../hooks/use-reply-ready";
import { ChatEmptyState } from "./chat-empty-state";
import { ChatHeader } from "./chat-header";
import { ChatInput } from "./chat-input";
import { ChatMessages, ChatMessagesSkeleton } from "./chat-messages";
import { ProposalActionsContext, type ProposalActions } from "./proposal-actions";
import { ChatLoadError, ChatNotFound } from "./chat-unavailable";
import { UNTITLED } from "./session-item";
import { SessionsSidebar } from "./sessions-sidebar";
import { TicketPicker } from "./ticket-picker";

const DEFAULT_MAX_ATTACHED = 20;
const DEFAULT_MAX_CHARS = 8000;

export function ChatContainer() {
  const router = useRouter();
  const urlSessionId = useSearchParam("session");
  // The static HTML's controls stay inert until the page runs: nothing typed or clicked is lost.
  const hydrated = useHydrated();
  const urlSessionRef = useRef(urlSessionId);
  useEffect(() => {
    urlSessionRef.current = urlSessionId;
  }, [urlSessionId]);

  const sessions = useChatSessions();
  const config = useQuery(chatConfigQuery());
  const offline = config.data?.offline ?? false;
  const maxChars = config.data?.max_message_chars ?? DEFAULT_MAX_CHARS;
  const maxAttached = config.data?.max_attached_tickets ?? DEFAULT_MAX_ATTACHED;

  // One sessions list in the DOM at a time: a column from 768px, a drawer below.
  const wide = useMediaQuery("(min-width: 768px)");
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [pickerOpen, setPickerOpen] = useState(false);
  const [creating, setCreating] = useState(false);
  const [sendToken, setSendToken] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);

  const me = useQuery(meQuery());
  const userId = me.data?.id ?? null;
  const chat = useChat(urlSessionId, {
    onSessionCreated: (session: ChatSession) => {
      // From the blank page, replace it; from another chat, keep it in history.
      const href = routes.chat(session.id);
      if (urlSessionRef.current) router.push(href);
      else router.replace(href);
    },
    onUserMessageStored: (sessionId: string, content: string) => {
      if (userId) forgetSentDraft(userId, sessionId, content);
    },
  });
  useEffect(() => {
    if (!userId) return;
    if (chat.phase === "ready" && chat.sessionId) rememberChat(userId, chat.sessionId);
    if (chat.phase === "not_found" && lastChat(userId) === urlSessionId) rememberChat(userId, null);
  }, [userId, chat.phase, chat.sessionId, urlSessionId]);

  // `chat` is a new object every render (its state changes on every streamed frame); the
  // callbacks below depend on its members, which are stable.
  const {
    phase,
    session,
    messages,
    createSession,
    send: sendTurn,
    retry: retryTurn,
    replace: replaceTurn,
    attach,
    detach,
  } = chat;
  const { decide, approveAll, undo } = chat;
  const proposalActions = useMemo<ProposalActions>(
    () => ({ decide, approveAll, undo, busy: chat.streaming }),
    [decide, approveAll, undo, chat.streaming],
  );
  // A saved chat's history shows once it and the Markdown renderer are both there.
  const markdownReady = useMarkdownReady(urlSessionId !== null);
  const historyLoading = urlSessionId !== null && (chat.sessionId !== urlSessionId || phase === "loading");
  // Only a chat loaded from the server waits for it; one being written streams as before.
  const [restoring, setRestoring] = useState<string | null>(null);
  if (historyLoading && restoring !== urlSessionId) setRestoring(urlSessionId);
  const loading = historyLoading || (urlSessionId !== null && restoring === urlSessionId && !markdownReady);
  const attached = useMemo(() => session?.attached_tickets ?? [], [session?.attached_tickets]);
  const attachedIds = useMemo(() => new Set(attached.map((t) => t.id)), [attached]);
  const title = loading ? "" : (session?.title ?? UNTITLED);

  // A reply that finished while the agent was in another tab says so in the tab's title.
  const replyReady = useReplyReadyInBackground(chat.streaming);
  useEffect(() => {
    document.title = `${replyReady ? "● Reply ready · " : ""}${title || "Chat"} · Deskpilot`;
  }, [title, replyReady]);

  const focusInput = useCallback(() => {
    requestAnimationFrame(() => inputRef.current?.focus());
  }, []);

  // The composer has the keyboard when a chat opens (on a phone the keyboard would cover it).
  const focusedOnLoad = useRef(false);
  useEffect(() => {
    if (focusedOnLoad.current || !wide || !hydrated || loading) return;
    if (phase !== "ready" && phase !== "empty") return;
    focusedOnLoad.current = true;
    if (document.activeElement === document.body || document.activeElement === null) focusInput();
  }, [wide, hydrated, loading, phase, focusInput]);

  const focusWhenReady = useRef(false);
  useEffect(() => {
    if (focusWhenReady.current && phase === "ready" && !loading) {
      focusWhenReady.current = false;
      focusInput();
    }
  }, [phase, loading, focusInput]);

  const newChat = useCallback(async () => {
    setDrawerOpen(false);
    // An untouched saved chat is already a new chat.
    if (phase === "ready" && messages.length === 0 && attached.length === 0 && session) {
      focusInput();
      return;
    }
    setCreating(true);
    try {
      await createSession();
      // The input is disabled while the new chat loads; focus it once it is ready.
      focusWhenReady.current = true;
      focusInput();
    } catch (e) {
      setNotice(errorMessage(e));
    } finally {
      setCreating(false);
    }
  }, [phase, messages.length, session, attached.length, createSession, focusInput]);

  const send = useCallback(
    (content: string) => {
      setNotice(null);
      setSendToken((n) => n + 1);
      void sendTurn(content);
    },
    [sendTurn],
  );

  const retry = useCallback(
    (message: UiMessage) => {
      setSendToken((n) => n + 1);
      void retryTurn(message);
    },
    [retryTurn],
  );

  const replace = useCallback(
    (message: UiMessage, content: string) => {
      setNotice(null);
      setSendToken((n) => n + 1);
      void replaceTurn(message, content);
    },
    [replaceTurn],
  );

  const attachOne = useCallback((ticket: TicketSummary) => attach([ticket]), [attach]);
  const detachOne = useCallback((ticket: TicketSummary) => detach([ticket]), [detach]);

  const onMention = useCallback(
    (ticket: SearchHit) => {
      if (attachedIds.has(ticket.id)) return;
      attach([ticket]).catch((e: unknown) => setNotice(`Couldn't attach #${ticket.number}: ${errorMessage(e)}`));
    },
    [attachedIds, attach],
  );

  const onDeleted = useCallback(
    (id: string) => {
      if (id === urlSessionRef.current) router.push(routes.chat());
    },
    [router],
  );

  const sidebar = (onNavigate?: () => void) => (
    <SessionsSidebar
      sessions={sessions}
      activeId={urlSessionId}
      creating={creating}
      onNew={() => void newChat()}
      onNavigate={onNavigate}
      onDeleted={onDeleted}
    />
  );

  const notFound = !loading && phase === "not_found";

  return (
    <div className="flex h-[calc(100dvh-3.5rem)] min-h-0" data-testid="chat-page">
      {wide ? (
        <aside className="hidden w-72 shrink-0 border-r border-zinc-200 bg-white md:block" aria-label="Chats">
          {sidebar()}
        </aside>
      ) : null}

      <Dialog.Root open={drawerOpen && !wide} onOpenChange={setDrawerOpen}>
        <Dialog.Portal>
          <Dialog.Overlay className="fixed inset-0 z-40 bg-zinc-950/30 data-[state=open]:animate-fade-in md:hidden" />
          <Dialog.Content
            aria-describedby={undefined}
            data-testid="sessions-drawer"
            className="fixed inset-y-0 left-0 z-50 w-[85vw] max-w-80 bg-white shadow-2xl outline-none data-[state=open]:animate-drawer-in md:hidden"
          >
            <Dialog.Title className="sr-only">Chats</Dialog.Title>
            {sidebar(() => setDrawerOpen(false))}
          </Dialog.Content>
        </Dialog.Portal>
      </Dialog.Root>

      <section className="flex min-w-0 flex-1 flex-col bg-zinc-50" aria-label="Chat">
        <ChatHeader
          title={notFound ? "Chat not found" : title}
          loading={loading}
          attachedTickets={notFound ? [] : attached}
          savingTickets={chat.savingTickets}
          offline={offline}
          approval={config.data?.approval ?? null}
          canAttach={hydrated && !loading && !notFound && attached.length < maxAttached}
          onAddTicket={() => setPickerOpen(true)}
          onDetach={detachOne}
          onOpenSessions={() => setDrawerOpen(true)}
        />

        {notFound ? (
          <ChatNotFound
            onNew={() => {
              if (urlSessionId) sessions.forget(urlSessionId);
              router.push(routes.chat());
              focusInput();
            }}
          />
        ) : loading ? (
          <ChatMessagesSkeleton />
        ) : phase === "error" ? (
          <ChatLoadError message={chat.loadError ?? "Could not load this chat."} onRetry={chat.reload} />
        ) : (
          <ProposalActionsContext.Provider value={proposalActions}>
            <ChatMessages
              key={chat.sessionId ?? "new"}
              messages={messages}
              attachedIds={attachedIds}
              busy={chat.streaming}
              hasMore={chat.hasMore}
              loadingOlder={chat.loadingOlder}
              olderError={chat.olderError}
              sendToken={sendToken}
              onLoadOlder={chat.loadOlder}
              onRetry={retry}
              onReplace={replace}
              onAttach={attachOne}
              onDetach={detachOne}
              emptyState={<ChatEmptyState offline={offline} onPrompt={send} disabled={!hydrated || chat.streaming} />}
            />
          </ProposalActionsContext.Provider>
        )}

        {notice ? (
          <div
            role="status"
            className="mx-auto mb-2 flex w-[calc(100%-1.5rem)] max-w-3xl items-center justify-between gap-3 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-600/20"
          >
            <span>{notice}</span>
            <button type="button" onClick={() => setNotice(null)} aria-label="Dismiss" className="rounded p-0.5 hover:bg-amber-100">
              <X aria-hidden="true" className="size-4" />
            </button>
          </div>
        ) : null}

        {!notFound ? (
          <ChatInput
            inputRef={inputRef}
            streaming={chat.streaming}
            disabled={!hydrated || loading || phase === "error"}
            maxChars={maxChars}
            onSend={send}
            onStop={chat.stop}
            onMention={onMention}
            draftKey={userId ? draftKey(userId, chat.sessionId) : null}
          />
        ) : null}
      </section>

      <TicketPicker
        open={pickerOpen}
        onOpenChange={setPickerOpen}
        excludeIds={attachedIds}
        onAttach={attach}
        maxAttached={maxAttached}
      />
    </div>
  );
}
