"use client";

import { AlertCircle, Bot, CircleSlash, Info, RotateCcw } from "lucide-react";
import { useState, type ComponentType } from "react";
import Link from "next/link";
import { LazyMarkdown } from "@/components/lazy-markdown";
import { RelativeTime } from "@/components/relative-time";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { cn } from "@/lib/cn";
import { routes } from "@/lib/urls";
import type { UiMessage } from "../lib/chat-state";
import type { ChatRole, TicketSummary } from "@/lib/api-types";
import { CopyButton } from "./copy-button";
import { CallerCard } from "./caller-card";
import { ProposalList } from "./proposal-card";
import { TicketCardInline } from "./ticket-card-inline";
import { ToolActivityList } from "./tool-activity";

export interface MessageProps {
  message: UiMessage;
  attachedIds: ReadonlySet<string>;
  /** A reply is being generated somewhere in this session. */
  busy: boolean;
  onRetry: (message: UiMessage) => void;
  onAttach: (ticket: TicketSummary) => Promise<void>;
  onDetach: (ticket: TicketSummary) => Promise<void>;
}

/** Past this, a message (a pasted call transcript, say) shows folded, with "Show more". */
const FOLD_CHARS = 1200;
const FOLD_LINES = 16;

function LongText({ text }: { text: string }) {
  const long = text.length > FOLD_CHARS || text.split("\n").length > FOLD_LINES;
  const [open, setOpen] = useState(false);
  const folded = long && !open;
  return (
    <>
      <p
        className={cn("break-words whitespace-pre-wrap", folded && "max-h-72 overflow-hidden [mask-image:linear-gradient(to_bottom,black_75%,transparent)]")}
        data-testid="message-text"
        data-folded={folded || undefined}
      >
        {text}
      </p>
      {long ? (
        <button
          type="button"
          onClick={() => setOpen(!open)}
          aria-expanded={open}
          data-testid="message-fold"
          className="mt-1 text-xs font-medium text-white underline underline-offset-2 hover:no-underline"
        >
          {open ? "Show less" : "Show more"}
        </button>
      ) : null}
    </>
  );
}

function UserMessage({ message, busy, onRetry }: MessageProps) {
  return (
    <div className="flex flex-col items-end gap-1.5">
      {/* Who speaks, for screen readers (outside the message: its text stays the agent's). */}
      <span className="sr-only">You said:</span>
      <div
        data-testid="message"
        data-role="user"
        data-status={message.status}
        data-message-id={message.id ?? undefined}
        className={cn(
          "max-w-[85%] rounded-2xl rounded-br-md bg-accent-600 px-3.5 py-2 text-[15px] text-white shadow-xs sm:max-w-[75%]",
          message.status === "pending" && "opacity-80",
        )}
      >
        <LongText text={message.content} />
      </div>
      {message.error ? (
        <div
          role="alert"
          data-testid="message-error"
          className="flex max-w-[85%] items-start gap-2 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-red-600/10 sm:max-w-[75%]"
        >
          <AlertCircle aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
          <span className="min-w-0 flex-1">
            {message.error.message}{" "}
            <Link href={routes.newTicket(message.content)} className="font-medium underline" data-testid="log-by-hand">
              Log it as a ticket by hand
            </Link>
          </span>
          <Button
            size="sm"
            variant="secondary"
            className="-my-1 h-7"
            onClick={() => onRetry(message)}
            disabled={busy}
            data-testid="retry-button"
          >
            <RotateCcw aria-hidden="true" className="size-3.5" />
            Retry
          </Button>
        </div>
      ) : null}
    </div>
  );
}

function ThinkingDots() {
  return (
    <span className="inline-flex items-center gap-1 py-1.5" data-testid="assistant-thinking">
      <span className="sr-only">The assistant is thinking</span>
      {[0, 150, 300].map((delay) => (
        <span
          key={delay}
          aria-hidden="true"
          className="size-1.5 animate-bounce rounded-full bg-zinc-400"
          style={{ animationDelay: `${delay}ms` }}
        />
      ))}
    </span>
  );
}

function AssistantMessage({ message, attachedIds, onAttach, onDetach }: MessageProps) {
  // Our own turn in flight has no id yet; a stored "pending" reply is being written elsewhere.
  const live = (message.status === "pending" || message.status === "streaming") && message.id === null;
  const elsewhere = message.status === "pending" && message.id !== null;
  const empty = !message.content && message.tools.length === 0;
  return (
    <div className="flex gap-3">
      <span className="sr-only">Assistant said:</span>
      <span aria-hidden="true" className="mt-0.5 grid size-7 shrink-0 place-items-center rounded-full bg-zinc-900 text-white">
        <Bot className="size-4" />
      </span>
      <div
        data-testid="message"
        data-role="assistant"
        data-status={message.status}
        data-message-id={message.id ?? undefined}
        aria-busy={live || undefined}
        className="min-w-0 flex-1 pt-0.5 text-[15px] text-zinc-800"
      >
        <ToolActivityList tools={message.tools} />
        {live && empty ? <ThinkingDots /> : null}
        {message.content ? (
          <LazyMarkdown text={message.content} className={cn(live && "streaming-caret")} />
        ) : null}
        {message.content && !live && !elsewhere ? <CopyButton text={message.content} className="-ml-1.5 mt-0.5" /> : null}
        {message.callers.length > 0 ? (
          <div className="mt-3 grid gap-2 sm:grid-cols-2" data-testid="caller-cards">
            {message.callers.map((caller) => (
              <CallerCard key={caller.contact.id} caller={caller} />
            ))}
          </div>
        ) : null}
        <ProposalList proposals={message.proposals} messageId={message.id} />
        {elsewhere ? (
          <p className="mt-1.5 inline-flex items-center gap-1 text-xs text-zinc-500" data-testid="message-pending">
            <Spinner className="size-3.5" />
            This reply is still being written. Reload in a moment to see all of it.
          </p>
        ) : null}
        {message.status === "incomplete" ? (
          <p className="mt-1.5 inline-flex items-center gap-1 text-xs text-zinc-500" data-testid="message-incomplete">
            <CircleSlash aria-hidden="true" className="size-3.5" />
            {message.content ? "Stopped — the reply is incomplete" : "Stopped"}
          </p>
        ) : null}
        {message.status === "failed" ? (
          <p className="mt-1.5 inline-flex items-center gap-1 text-xs text-red-600">
            <AlertCircle aria-hidden="true" className="size-3.5" />
            {message.error?.message ?? "The reply failed."}
          </p>
        ) : null}
        {message.tickets.length > 0 ? (
          <ul className="mt-3 grid gap-2 sm:grid-cols-2" data-testid="ticket-cards" aria-label="Tickets in this reply">
            {message.tickets.map((ticket) => (
              <li key={ticket.id} className="min-w-0">
                <TicketCardInline
                  ticket={ticket}
                  attached={attachedIds.has(ticket.id)}
                  onAttach={onAttach}
                  onDetach={onDetach}
                />
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </div>
  );
}

function SystemMessage({ message }: MessageProps) {
  return (
    <div
      data-testid="message"
      data-role="system"
      data-message-id={message.id ?? undefined}
      className="flex items-center justify-center gap-1.5 px-4 text-center text-xs text-zinc-500"
    >
      <Info aria-hidden="true" className="size-3.5 shrink-0" />
      <span>{message.content}</span>
      <span aria-hidden="true">·</span>
      <RelativeTime iso={message.createdAt} />
    </div>
  );
}

/** Role → component (no if-chain). */
const MESSAGE_COMPONENTS: Record<ChatRole, ComponentType<MessageProps>> = {
  user: UserMessage,
  assistant: AssistantMessage,
  system: SystemMessage,
};

export function MessageBubble(props: MessageProps) {
  const Component = MESSAGE_COMPONENTS[props.message.role] ?? SystemMessage;
  return <Component {...props} />;
}
