"use client";

import { ArrowDown } from "lucide-react";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import type { TicketSummary } from "@/lib/api-types";
import type { UiMessage } from "../lib/chat-state";
import { MessageBubble } from "./message-bubble";

/** Within this many pixels of the bottom, new content keeps the view pinned to it. */
const NEAR_BOTTOM = 96;
/** Within this many pixels of the top, older messages are fetched. */
const NEAR_TOP = 160;

interface ChatMessagesProps {
  messages: UiMessage[];
  /** Attached to the chat (their cards offer Detach). */
  attachedIds: ReadonlySet<string>;
  /** A reply is being generated. */
  busy: boolean;
  hasMore: boolean;
  loadingOlder: boolean;
  olderError: string | null;
  /** Changes whenever the user sends: the view jumps to the bottom. */
  sendToken: number;
  onLoadOlder: () => void;
  onRetry: (message: UiMessage) => void;
  /** Edit-and-resend or regenerate the last user message (lib/chat-controller.ts). */
  onReplace: (message: UiMessage, content: string) => void;
  onAttach: (ticket: TicketSummary) => Promise<void>;
  onDetach: (ticket: TicketSummary) => Promise<void>;
  emptyState: ReactNode;
}

export function ChatMessages({
  messages,
  attachedIds,
  busy,
  hasMore,
  loadingOlder,
  olderError,
  sendToken,
  onLoadOlder,
  onRetry,
  onReplace,
  onAttach,
  onDetach,
  emptyState,
}: ChatMessagesProps) {
  const { lastUser, lastReply } = useMemo(() => replaceable(messages), [messages]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const nearBottomRef = useRef(true);
  const [showJump, setShowJump] = useState(false);
  /** Scroll metrics saved before older messages are prepended. */
  const anchorRef = useRef<{ height: number; top: number; firstKey: string | undefined } | null>(null);

  const maybeLoadOlder = useCallback(() => {
    const el = scrollRef.current;
    if (!el || !hasMore || loadingOlder || olderError || anchorRef.current) return;
    if (el.scrollTop > NEAR_TOP) return;
    anchorRef.current = { height: el.scrollHeight, top: el.scrollTop, firstKey: messages[0]?.key };
    onLoadOlder();
  }, [hasMore, loadingOlder, olderError, messages, onLoadOlder]);

  const onScroll = useCallback(() => {
    const el = scrollRef.current;
    if (!el) return;
    const near = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM;
    nearBottomRef.current = near;
    setShowJump((prev) => (prev === !near ? prev : !near));
    maybeLoadOlder();
  }, [maybeLoadOlder]);

  // After each render with new messages: keep the reading position when older
  // messages were prepended; follow new content only if already at the bottom.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const anchor = anchorRef.current;
    if (anchor && !loadingOlder) {
      anchorRef.current = null;
      if (messages[0]?.key !== anchor.firstKey) {
        el.scrollTop = el.scrollHeight - anchor.height + anchor.top;
        return;
      }
    }
    if (nearBottomRef.current) el.scrollTop = el.scrollHeight;
  }, [messages, loadingOlder]);

  // Sending always brings the newest message into view.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el || sendToken === 0) return;
    nearBottomRef.current = true;
    el.scrollTop = el.scrollHeight;
  }, [sendToken]);

  // A short history may not fill the view: fetch more without waiting for a scroll.
  useEffect(() => {
    maybeLoadOlder();
  }, [maybeLoadOlder]);

  function jumpToLatest() {
    const el = scrollRef.current;
    if (!el) return;
    nearBottomRef.current = true;
    el.scrollTo({ top: el.scrollHeight, behavior: "smooth" });
  }

  return (
    <div className="relative min-h-0 flex-1">
      <div
        ref={scrollRef}
        onScroll={onScroll}
        className="h-full overflow-y-auto overscroll-contain"
        data-testid="chat-messages"
        role="log"
        aria-live="polite"
        aria-relevant="additions"
        aria-label="Conversation"
      >
        <div className="mx-auto flex min-h-full w-full max-w-3xl flex-col px-3 py-5 sm:px-6">
          {hasMore || loadingOlder || olderError ? (
            <div className="flex justify-center pb-4" data-testid="older-messages">
              {olderError ? (
                <Button size="sm" variant="ghost" onClick={onLoadOlder}>
                  Couldn&apos;t load earlier messages — retry
                </Button>
              ) : loadingOlder ? (
                <Spinner label="Loading earlier messages" />
              ) : (
                <Button size="sm" variant="ghost" onClick={onLoadOlder} data-testid="load-older">
                  Load earlier messages
                </Button>
              )}
            </div>
          ) : null}
          {messages.length === 0 ? (
            emptyState
          ) : (
            <ol className="flex flex-col gap-5">
              {messages.map((message) => (
                <li key={message.key}>
                  <MessageBubble
                    message={message}
                    attachedIds={attachedIds}
                    busy={busy}
                    onRetry={onRetry}
                    onReplace={onReplace}
                    canEdit={!busy && message === lastUser}
                    regenerateOf={!busy && message === lastReply ? lastUser : null}
                    onAttach={onAttach}
                    onDetach={onDetach}
                  />
                </li>
              ))}
            </ol>
          )}
        </div>
      </div>
      {showJump && messages.length > 0 ? (
        <Button
          size="sm"
          variant="secondary"
          onClick={jumpToLatest}
          className="absolute bottom-3 left-1/2 -translate-x-1/2 rounded-full shadow-md"
          data-testid="jump-to-latest"
        >
          <ArrowDown aria-hidden="true" className="size-4" />
          Latest
        </Button>
      ) : null}
    </div>
  );
}

export function ChatMessagesSkeleton() {
  return (
    <div className="min-h-0 flex-1 overflow-hidden" role="status" aria-busy="true" aria-label="Loading conversation">
      <div className="mx-auto flex w-full max-w-3xl flex-col gap-6 px-3 py-6 sm:px-6">
        {[0, 1, 2].map((i) => (
          <div key={i} className="flex flex-col gap-6">
            <div className="flex justify-end">
              <Skeleton className="h-10 w-2/5 rounded-2xl" />
            </div>
            <div className="flex gap-3">
              <Skeleton className="size-7 rounded-full" />
              <div className="flex-1 space-y-2">
                <Skeleton className="h-4 w-4/5" />
                <Skeleton className="h-4 w-3/5" />
              </div>
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}

/**
 * The messages that offer Edit (the last user message, stored and not replaced) and
 * Regenerate (the stored reply after it, if it is the chat's last reply).
 */
function replaceable(messages: UiMessage[]): { lastUser: UiMessage | null; lastReply: UiMessage | null } {
  let lastUser: UiMessage | null = null;
  let reply: UiMessage | null = null;
  for (const m of messages) {
    if (m.superseded) continue;
    if (m.role === "user") [lastUser, reply] = [m, null];
    else if (m.role === "assistant" && lastUser) reply = m;
  }
  if (!lastUser?.id || lastUser.status === "pending") return { lastUser: null, lastReply: null };
  const lastReply = reply?.id && reply.status !== "pending" && reply.status !== "streaming" ? reply : null;
  return { lastUser, lastReply };
}
