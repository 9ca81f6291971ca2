"use client";

import { ArrowUp, Square } from "lucide-react";
import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type RefObject } from "react";
import { Button } from "@/components/ui/button";
import { useQuery } from "@tanstack/react-query";
import { useDebouncedValue } from "@/hooks/use-debounced-value";
import type { SearchHit } from "@/lib/api-types";
import { cn } from "@/lib/cn";
import { readDraft, writeDraft } from "@/lib/drafts";
import { ticketSearchQuery } from "@/lib/queries/tickets";
import { applyMention, findActiveMention } from "../lib/mentions";
import { MentionPopover, mentionOptionId } from "./mention-popover";

const MAX_HEIGHT = 200;
const MENTION_RESULTS = 6;

interface ChatInputProps {
  streaming: boolean;
  disabled?: boolean;
  maxChars: number;
  onSend: (content: string) => void;
  onStop: () => void;
  /** A ticket was mentioned with `#`: attach it. */
  onMention: (ticket: SearchHit) => void;
  inputRef?: RefObject<HTMLTextAreaElement | null>;
  /** Where this chat's unsent text is kept (lib/drafts.ts); null until the user is known. */
  draftKey: string | null;
}

export function ChatInput({ streaming, disabled = false, maxChars, onSend, onStop, onMention, inputRef, draftKey }: ChatInputProps) {
  const localRef = useRef<HTMLTextAreaElement>(null);
  const textareaRef = inputRef ?? localRef;
  const listId = useId();
  const [text, setText] = useState("");
  const [caret, setCaret] = useState(0);
  const [activeIndex, setActiveIndex] = useState(0);
  /** The `#` position the user dismissed with Escape (don't reopen there). */
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);

  // Each chat has its own draft: switching chats shows that chat's unsent text.
  const [draftShown, setDraftShown] = useState<string | null>(null);
  // Typed before the user was known (the page runs before /api/auth/me answers): kept.
  const typedFirst = draftShown === null && text !== "";
  if (draftKey !== draftShown) {
    setDraftShown(draftKey);
    if (draftKey && !typedFirst) setText(readDraft(draftKey));
  }
  useEffect(() => {
    if (draftKey && text && readDraft(draftKey) !== text) writeDraft(draftKey, text);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, when the key arrives
  }, [draftKey]);

  function edit(next: string) {
    setText(next);
    if (draftKey) writeDraft(draftKey, next);
  }

  const mention = findActiveMention(text, caret);
  const mentionOpen = mention !== null && mention.start !== dismissedAt && !disabled;
  const debouncedQuery = useDebouncedValue(mentionOpen ? mention.query : null, 150);
  const results = useQuery({
    ...ticketSearchQuery({ q: debouncedQuery ?? "", status: "all", limit: MENTION_RESULTS }),
    enabled: debouncedQuery !== null,
  });
  const options = mentionOpen ? (results.data ?? []) : [];
  const active = Math.min(activeIndex, Math.max(0, options.length - 1));

  // Grow with the content up to MAX_HEIGHT, then scroll.
  useLayoutEffect(() => {
    const el = textareaRef.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${Math.min(el.scrollHeight, MAX_HEIGHT)}px`;
    el.style.overflowY = el.scrollHeight > MAX_HEIGHT ? "auto" : "hidden";
  }, [text, textareaRef]);

  const trimmed = text.trim();
  const tooLong = text.length > maxChars;
  const canSend = trimmed.length > 0 && !tooLong && !streaming && !disabled;

  function submit() {
    if (!canSend) return;
    onSend(trimmed); // the stored draft goes once the server has the message
    setText("");
    setCaret(0);
    setDismissedAt(null);
  }

  function choose(ticket: SearchHit) {
    if (!mention) return;
    const next = applyMention(text, mention, ticket.number);
    edit(next.text);
    setCaret(next.caret);
    setActiveIndex(0);
    onMention(ticket);
    requestAnimationFrame(() => {
      const el = textareaRef.current;
      if (!el) return;
      el.focus();
      el.setSelectionRange(next.caret, next.caret);
    });
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.nativeEvent.isComposing) return;
    if (mentionOpen) {
      if (event.key === "Escape") {
        event.preventDefault();
        setDismissedAt(mention.start);
        return;
      }
      if (options.length > 0) {
        if (event.key === "ArrowDown" || event.key === "ArrowUp") {
          event.preventDefault();
          const delta = event.key === "ArrowDown" ? 1 : -1;
          setActiveIndex((active + delta + options.length) % options.length);
          return;
        }
        if (event.key === "Enter" || event.key === "Tab") {
          event.preventDefault();
          const ticket = options[active];
          if (ticket) choose(ticket);
          return;
        }
      }
    }
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      submit();
    }
  }

  return (
    <div className="shrink-0 border-t border-zinc-200 bg-white/95 px-3 pt-3 pb-[max(0.75rem,env(safe-area-inset-bottom))] backdrop-blur sm:px-6">
      <form
        className="relative mx-auto w-full max-w-3xl"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        {mentionOpen && (options.length > 0 || results.data || results.isLoading) ? (
          <MentionPopover
            id={listId}
            query={mention.query}
            results={results.data}
            loading={results.isLoading}
            activeIndex={active}
            onHover={setActiveIndex}
            onChoose={choose}
          />
        ) : null}
        <div
          className={cn(
            "flex items-end gap-2 rounded-2xl bg-white p-1.5 pl-3.5 shadow-xs ring-1 ring-zinc-300 transition-shadow focus-within:ring-2 focus-within:ring-accent-500",
            tooLong && "ring-red-400 focus-within:ring-red-500",
          )}
        >
          <label htmlFor="chat-input" className="sr-only">
            Message the assistant
          </label>
          <textarea
            ref={textareaRef}
            id="chat-input"
            data-testid="chat-input"
            rows={1}
            value={text}
            disabled={disabled}
            onChange={(e) => {
              edit(e.target.value);
              setCaret(e.target.selectionStart ?? e.target.value.length);
              setActiveIndex(0);
            }}
            onSelect={(e) => setCaret(e.currentTarget.selectionStart ?? 0)}
            onKeyDown={onKeyDown}
            placeholder="Ask, or type # to mention a ticket"
            aria-busy={streaming || undefined}
            aria-autocomplete="list"
            aria-controls={mentionOpen && options.length > 0 ? listId : undefined}
            aria-activedescendant={mentionOpen && options.length > 0 ? mentionOptionId(listId, active) : undefined}
            className="max-h-[200px] min-h-9 flex-1 resize-none border-0 bg-transparent py-2 text-[15px] leading-5 text-zinc-900 placeholder:text-zinc-400 focus:ring-0 focus:outline-none disabled:text-zinc-400"
          />
          {streaming ? (
            // Own keys: React must not turn this very <button> into the submit button while
            // its click is still being handled, or the click would send the draft.
            <Button
              key="stop"
              variant="secondary"
              size="icon"
              onClick={(event) => {
                event.preventDefault();
                onStop();
              }}
              aria-label="Stop generating"
              title="Stop generating"
              data-testid="stop-button"
              className="rounded-xl"
            >
              <Square aria-hidden="true" className="size-3.5 fill-current" />
            </Button>
          ) : (
            <Button
              key="send"
              type="submit"
              variant="primary"
              size="icon"
              disabled={!canSend}
              aria-label="Send message"
              title="Send (Enter)"
              data-testid="send-button"
              className="rounded-xl"
            >
              <ArrowUp aria-hidden="true" className="size-4" />
            </Button>
          )}
        </div>
        <div className="mt-1.5 flex items-center justify-between gap-3 px-1 text-[11px] text-zinc-500">
          <span className="hidden sm:inline">
            <kbd className="font-sans">Enter</kbd> to send · <kbd className="font-sans">Shift+Enter</kbd> for a new line ·{" "}
            <kbd className="font-sans">#</kbd> to mention a ticket
          </span>
          {text.length > maxChars * 0.8 ? (
            <span className={cn("ml-auto tabular-nums", tooLong && "font-medium text-red-600")} data-testid="char-count">
              {text.length.toLocaleString()} / {maxChars.toLocaleString()}
            </span>
          ) : null}
        </div>
      </form>
    </div>
  );
}
