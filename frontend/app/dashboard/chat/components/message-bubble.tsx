"use client";

import { AlertCircle, Bot, CircleSlash, Info, Pencil, RefreshCw, RotateCcw } from "lucide-react";
import { useEffect, useRef, useState, type ComponentType } from "react";
import Link from "next/link";
import { LazyMarkdown } from "@/components/lazy-markdown";
import { RelativeTime } from "@/components/relative-time";
import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { cn } from "@/lib/cn";
import { routes } from "@/lib/urls";
import type { UiMessage } from "../lib/chat-state";
import type { ChatRole, TicketSummary } from "@/lib/api-types";
import { CopyButton } from "./copy-button";
import { CallerCard } from "./caller-card";
import { ProposalList } from "./proposal-list";
import { TicketCardInline } from "./ticket-card-inline";
import { ToolActivityList } from "./tool-activity";

export interface MessageProps {
  message: UiMessage;
  attachedIds: ReadonlySet<string>;
  /** A reply is being generated somewhere in this session. */
  busy: boolean;
  onRetry: (message: UiMessage) => void;
  /** Edit-and-resend or regenerate the chat's last user message. */
  onReplace?: (message: UiMessage, content: string) => void;
  /** The chat's last user message, no reply being generated: it offers Edit. */
  canEdit?: boolean;
  /** The chat's last reply, no reply being generated: Regenerate answers this message again. */
  regenerateOf?: UiMessage | null;
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

/** A small text button under a message (Copy's look). */
const MESSAGE_ACTION =
  "inline-flex h-7 items-center gap-1 rounded-md px-1.5 text-xs text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900";

/** The last user message, edited in place: Enter or Save sends it in place of the old one. */
function MessageEditor({ initial, onSave, onCancel }: { initial: string; onSave: (text: string) => void; onCancel: () => void }) {
  const [text, setText] = useState(initial);
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length);
  }, []);
  const save = () => {
    if (text.trim()) onSave(text);
  };
  return (
    <form
      data-testid="edit-message-form"
      className="flex w-full max-w-[85%] flex-col gap-2 sm:max-w-[75%]"
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      <Textarea
        ref={ref}
        aria-label="Edit your message"
        data-testid="edit-message-input"
        rows={3}
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
            event.preventDefault();
            save();
          } else if (event.key === "Escape") {
            event.preventDefault();
            event.stopPropagation();
            onCancel();
          }
        }}
      />
      <div className="flex justify-end gap-2">
        <Button size="sm" variant="ghost" onClick={onCancel} data-testid="edit-message-cancel">
          Cancel
        </Button>
        <Button type="submit" size="sm" variant="primary" disabled={!text.trim()} data-testid="edit-message-save">
          Save and send
        </Button>
      </div>
    </form>
  );
}

/**
 * A message an edit or a regenerate replaced: kept, folded to one line ("Replaced"), its
 * text a click (or Enter) away.
 */
function ReplacedMessage({ message }: MessageProps) {
  const who = message.role === "user" ? "Your message" : "Assistant reply";
  return (
    <details
      data-testid="replaced-message"
      data-role={message.role}
      data-message-id={message.id ?? undefined}
      className={cn("text-sm text-zinc-600", message.role === "user" ? "ml-auto max-w-[85%] text-right sm:max-w-[75%]" : "pl-10")}
    >
      <summary className="cursor-pointer rounded-md px-1.5 py-0.5 hover:bg-zinc-100" data-testid="replaced-summary">
        <span className="font-medium">Replaced</span> · <span className="line-through">{who}</span>
      </summary>
      <p className="mt-1 rounded-lg bg-zinc-50 px-3 py-2 text-left break-words whitespace-pre-wrap text-zinc-700 ring-1 ring-zinc-200">
        {message.content || "(no text)"}
      </p>
    </details>
  );
}

function UserMessage({ message, busy, onRetry, onReplace, canEdit }: MessageProps) {
  const [editing, setEditing] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  // Escape or Cancel gives focus back to Edit, once the button is back.
  const returnFocus = useRef(false);
  useEffect(() => {
    if (editing || !returnFocus.current) return;
    returnFocus.current = false;
    editButton.current?.focus();
  }, [editing]);
  if (editing && canEdit && onReplace) {
    return (
      <div className="flex flex-col items-end gap-1.5">
        <span className="sr-only">You said:</span>
        <MessageEditor
          initial={message.content}
          onSave={(text) => {
            setEditing(false);
            onReplace(message, text);
          }}
          onCancel={() => {
            returnFocus.current = true;
            setEditing(false);
          }}
        />
      </div>
    );
  }
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
      {canEdit && onReplace ? (
        <button
          ref={editButton}
          type="button"
          onClick={() => setEditing(true)}
          className={MESSAGE_ACTION}
          aria-label="Edit your message"
          data-testid="edit-message"
        >
          <Pencil aria-hidden="true" className="size-3.5" />
          Edit
        </button>
      ) : null}
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

function AssistantMessage({ message, attachedIds, onAttach, onDetach, onReplace, regenerateOf }: MessageProps) {
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
        {(message.content && !live && !elsewhere) || (regenerateOf && onReplace) ? (
          <div className="-ml-1.5 mt-0.5 flex items-center gap-1">
            {message.content && !live && !elsewhere ? <CopyButton text={message.content} /> : null}
            {regenerateOf && onReplace ? (
              <button
                type="button"
                onClick={() => onReplace(regenerateOf, regenerateOf.content)}
                className={MESSAGE_ACTION}
                aria-label="Regenerate this reply"
                data-testid="regenerate-reply"
              >
                <RefreshCw aria-hidden="true" className="size-3.5" />
                Regenerate
              </button>
            ) : null}
          </div>
        ) : null}
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
  if (props.message.superseded) return <ReplacedMessage {...props} />;
  const Component = MESSAGE_COMPONENTS[props.message.role] ?? SystemMessage;
  return <Component {...props} />;
}
