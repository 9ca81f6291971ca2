"use client";

import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { MoreHorizontal, Paperclip, Pencil, Trash2 } from "lucide-react";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { RelativeTime } from "@/components/relative-time";
import { errorMessage } from "@/lib/api";
import { cn } from "@/lib/cn";
import type { ChatSessionSummary } from "@/lib/api-types";
import { routes } from "@/lib/urls";

export const UNTITLED = "New chat";

interface SessionItemProps {
  session: ChatSessionSummary;
  active: boolean;
  onNavigate?: () => void;
  onRename: (title: string) => Promise<void>;
  onDelete: () => void;
}

/** One chat in the sidebar: its link (title, match, activity) and its Rename / Delete menu. */
export function SessionItem({ session, active, onNavigate, onRename, onDelete }: SessionItemProps) {
  const [editing, setEditing] = useState(false);
  const title = session.title ?? UNTITLED;
  const linkRef = useRef<HTMLAnchorElement>(null);
  // Renaming ended by Enter or Escape: focus goes back to the chat's link, not to <body>
  // (ended by a click elsewhere, focus is where the click put it).
  const stopEditing = (byKey: boolean) => {
    setEditing(false);
    if (byKey) requestAnimationFrame(() => linkRef.current?.focus());
  };

  return (
    <li
      data-testid="session-item"
      data-session-id={session.id}
      data-active={active}
      className={cn(
        "group relative flex items-center rounded-lg transition-colors",
        active ? "bg-zinc-100" : "hover:bg-zinc-50",
      )}
    >
      {editing ? (
        <RenameInput
          initial={session.title ?? ""}
          onCancel={stopEditing}
          onSave={async (value, byKey) => {
            await onRename(value);
            stopEditing(byKey);
          }}
        />
      ) : (
        <>
          <Link
            ref={linkRef}
            href={routes.chat(session.id)}
            onClick={onNavigate}
            aria-current={active ? "page" : undefined}
            className="min-w-0 flex-1 rounded-lg px-3 py-2 pr-9 focus-visible:outline-offset-[-2px]"
            data-testid="session-link"
          >
            <span
              className={cn("block truncate text-sm", active ? "font-medium text-zinc-900" : "text-zinc-700")}
              data-testid="session-title"
            >
              {title}
            </span>
            {session.match ? (
              <span className="mt-0.5 line-clamp-2 text-xs text-zinc-600" data-testid="session-match">
                {session.match}
              </span>
            ) : null}
            <span className="mt-0.5 flex items-center gap-1.5 text-xs text-zinc-600">
              <RelativeTime iso={session.updated_at} />
              {session.pending_proposals ? (
                <span
                  className="inline-flex items-center gap-1 font-medium text-amber-800"
                  data-testid="session-pending"
                  title="Changes wait for your approval"
                >
                  <span aria-hidden="true" className="size-1.5 rounded-full bg-amber-500" />
                  {session.pending_proposals === 1 ? "1 change to approve" : `${session.pending_proposals} changes to approve`}
                </span>
              ) : null}
              {session.attached_ticket_count > 0 ? (
                <span className="inline-flex items-center gap-0.5" title={`${session.attached_ticket_count} attached`}>
                  <Paperclip aria-hidden="true" className="size-3" />
                  {session.attached_ticket_count}
                </span>
              ) : null}
            </span>
          </Link>
          <DropdownMenu.Root modal={false}>
            <DropdownMenu.Trigger
              aria-label={`Actions for ${title}`}
              data-testid="session-menu"
              className={cn(
                "absolute top-1/2 right-1.5 grid size-7 -translate-y-1/2 place-items-center rounded-md text-zinc-500 hover:bg-zinc-200 hover:text-zinc-900 data-[state=open]:bg-zinc-200 data-[state=open]:opacity-100",
                active ? "opacity-100" : "opacity-100 md:opacity-0 md:group-focus-within:opacity-100 md:group-hover:opacity-100",
              )}
            >
              <MoreHorizontal aria-hidden="true" className="size-4" />
            </DropdownMenu.Trigger>
            <DropdownMenu.Portal>
              <DropdownMenu.Content
                align="end"
                sideOffset={4}
                className="z-50 min-w-40 rounded-lg bg-white p-1 shadow-lg ring-1 ring-zinc-950/10 data-[state=open]:animate-fade-in"
              >
                <DropdownMenu.Item
                  onSelect={() => setEditing(true)}
                  data-testid="session-rename"
                  className="flex cursor-pointer items-center gap-2 rounded-md px-2.5 py-1.5 text-sm text-zinc-700 outline-none data-[highlighted]:bg-zinc-100"
                >
                  <Pencil aria-hidden="true" className="size-4" />
                  Rename
                </DropdownMenu.Item>
                <DropdownMenu.Item
                  onSelect={onDelete}
                  data-testid="session-delete"
                  className="flex cursor-pointer items-center gap-2 rounded-md px-2.5 py-1.5 text-sm text-red-600 outline-none data-[highlighted]:bg-red-50"
                >
                  <Trash2 aria-hidden="true" className="size-4" />
                  Delete
                </DropdownMenu.Item>
              </DropdownMenu.Content>
            </DropdownMenu.Portal>
          </DropdownMenu.Root>
        </>
      )}
    </li>
  );
}

function RenameInput({
  initial,
  onSave,
  onCancel,
}: {
  initial: string;
  onSave: (title: string, byKey: boolean) => Promise<void>;
  onCancel: (byKey: boolean) => void;
}) {
  const [value, setValue] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLInputElement>(null);
  const doneRef = useRef(false);

  useEffect(() => {
    // Focus after the menu has closed and returned focus to its trigger.
    const timer = window.setTimeout(() => {
      ref.current?.focus();
      ref.current?.select();
    }, 0);
    return () => window.clearTimeout(timer);
  }, []);

  async function save(byKey: boolean) {
    if (doneRef.current || busy) return;
    const title = value.trim();
    if (!title || title === initial) {
      doneRef.current = true;
      onCancel(byKey);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      doneRef.current = true;
      await onSave(title, byKey);
    } catch (e) {
      doneRef.current = false;
      setError(errorMessage(e));
      setBusy(false);
    }
  }

  return (
    <div className="w-full px-1.5 py-1">
      <input
        ref={ref}
        value={value}
        maxLength={200}
        disabled={busy}
        aria-label="Chat title"
        data-testid="session-rename-input"
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            void save(true);
          } else if (e.key === "Escape") {
            e.preventDefault();
            doneRef.current = true;
            onCancel(true);
          }
        }}
        onBlur={() => void save(false)}
        className="block h-8 w-full rounded-md border-0 bg-white px-2 text-sm text-zinc-900 ring-2 ring-accent-500"
      />
      {error ? <p className="mt-1 px-1 text-xs text-red-600">{error}</p> : null}
    </div>
  );
}
