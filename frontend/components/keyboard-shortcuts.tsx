"use client";

import * as Dialog from "@radix-ui/react-dialog";
import { X } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { useFocusReturn } from "@/hooks/use-focus-return";
import { isTypingTarget, matchShortcut, SEQUENCE_MS, SHORTCUTS, type ShortcutAction } from "@/lib/shortcuts";
import { routes } from "@/lib/urls";

const COMPOSER = "#chat-input";
const TICKET_SEARCH = '[data-testid="ticket-search"]';
const FOCUS_WAIT_MS = 3000;

const onPage = (path: string) => () => window.location.pathname.startsWith(path);
/** On a new chat's page (no `?session=`), not still on the chat being left. */
const onNewChat = () => onPage("/dashboard/chat")() && !new URLSearchParams(window.location.search).has("session");

/** Focus `selector` once `arrived` (the navigation has happened: until then the element found
 * may be the old page's) and it is on the page and enabled. */
function focusWhenPresent(selector: string, arrived: () => boolean = () => true): void {
  const until = performance.now() + FOCUS_WAIT_MS;
  const attempt = () => {
    const element = arrived() ? document.querySelector<HTMLElement>(selector) : null;
    if (element && !(element as HTMLInputElement).disabled) {
      element.focus();
      return;
    }
    if (performance.now() < until) requestAnimationFrame(attempt);
  };
  attempt();
}

/** The app-wide shortcuts (lib/shortcuts.ts) and the `?` sheet that lists them. */
export function KeyboardShortcuts({ chatHref }: { chatHref: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const focusReturn = useFocusReturn(open);
  const previous = useRef<{ key: string; at: number } | null>(null);
  const chatHrefRef = useRef(chatHref);
  useEffect(() => {
    chatHrefRef.current = chatHref;
  }, [chatHref]);

  useEffect(() => {
    const run = (action: ShortcutAction) => {
      const onChat = window.location.pathname.startsWith("/dashboard/chat");
      switch (action) {
        case "help":
          setOpen(true);
          return;
        case "composer":
          if (!onChat) router.push(chatHrefRef.current);
          focusWhenPresent(COMPOSER, onPage("/dashboard/chat"));
          return;
        case "new-chat":
          router.push(routes.chat());
          focusWhenPresent(COMPOSER, onNewChat);
          return;
        case "search":
          if (!document.querySelector(TICKET_SEARCH)) router.push(routes.tickets());
          focusWhenPresent(TICKET_SEARCH, onPage("/dashboard/tickets"));
          return;
        case "go-tickets":
          router.push(routes.tickets());
          return;
        case "go-chat":
          router.push(chatHrefRef.current);
          return;
      }
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing || isTypingTarget(event.target)) return;
      // A dialog, menu or list of the page has the keyboard (the sheet closes on Escape).
      const target = event.target instanceof Element ? event.target : null;
      if (target?.closest('[role="dialog"], [role="menu"], [role="listbox"]')) return;
      const now = performance.now();
      const before = previous.current && now - previous.current.at < SEQUENCE_MS ? previous.current.key : null;
      const match = matchShortcut(event, before);
      previous.current = match === "prefix" ? { key: event.key.toLowerCase(), at: now } : null;
      if (match === null || match === "prefix") return;
      event.preventDefault();
      run(match);
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [router]);

  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-50 bg-zinc-950/40 data-[state=open]:animate-fade-in" />
        <Dialog.Content
          data-testid="shortcuts-sheet"
          aria-describedby={undefined}
          {...focusReturn}
          className="fixed top-1/2 left-1/2 z-50 w-[calc(100vw-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 rounded-xl bg-white p-5 shadow-xl ring-1 ring-zinc-950/5 data-[state=open]:animate-pop-in"
        >
          <div className="flex items-center justify-between">
            <Dialog.Title className="text-base font-semibold text-zinc-900">Keyboard shortcuts</Dialog.Title>
            <Dialog.Close
              aria-label="Close"
              className="grid size-8 place-items-center rounded-md text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900"
            >
              <X aria-hidden="true" className="size-4" />
            </Dialog.Close>
          </div>
          <dl className="mt-4 divide-y divide-zinc-100 text-sm">
            {SHORTCUTS.map((shortcut) => (
              <div key={shortcut.action} className="flex items-center justify-between gap-4 py-2">
                <dt className="text-zinc-700">{shortcut.label}</dt>
                <dd className="flex shrink-0 items-center gap-1 text-zinc-600">
                  {shortcut.keys.map((key, index) => (
                    <span key={key} className="flex items-center gap-1">
                      {index > 0 ? <span className="text-xs">then</span> : null}
                      <kbd className="min-w-6 rounded border border-zinc-300 bg-zinc-50 px-1.5 py-0.5 text-center font-sans text-xs text-zinc-800">
                        {key}
                      </kbd>
                    </span>
                  ))}
                </dd>
              </div>
            ))}
          </dl>
          <p className="mt-3 text-xs text-zinc-600">Shortcuts work when you are not typing in a field.</p>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
