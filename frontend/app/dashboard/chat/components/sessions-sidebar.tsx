"use client";

import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { MessageSquarePlus, MoreHorizontal, Paperclip, Pencil, Trash2 } from "lucide-react";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { RelativeTime } from "@/components/relative-time";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { errorMessage } from "@/lib/api";
import { cn } from "@/lib/cn";
import type { ChatSessionSummary } from "@/lib/api-types";
import { routes } from "@/lib/urls";
import type { ChatSessionsApi } from "../hooks/use-chat-sessions";

export const UNTITLED = "New chat";

/** A chat's actions button in the list, while the chat is still there. */
function menuOf(sessionId: string | null): HTMLElement | null {
  if (!sessionId) return null;
  return document.querySelector<HTMLElement>(`[data-session-id="${CSS.escape(sessionId)}"] [data-testid="session-menu"]`);
}

interface SessionsSidebarProps {
  sessions: ChatSessionsApi;
  activeId: string | null;
  creating: boolean;
  onNew: () => void;
  /** A session link was followed (closes the mobile drawer). */
  onNavigate?: () => void;
  onDeleted: (id: string) => void;
}

export function SessionsSidebar({
  sessions,
  activeId,
  creating,
  onNew,
  onNavigate,
  onDeleted,
}: SessionsSidebarProps) {
  const [toDelete, setToDelete] = useState<ChatSessionSummary | null>(null);
  const deletingId = useRef<string | null>(null); // still known when the dialog has closed
  const { items } = sessions;

  return (
    <div className="flex h-full min-h-0 flex-col" data-testid="sessions-sidebar">
      <div className="flex items-center justify-between gap-2 px-3 pt-3 pb-2">
        <h2 className="px-1 text-sm font-semibold text-zinc-900">Chats</h2>
        <Button variant="primary" size="sm" onClick={onNew} disabled={creating} data-testid="new-chat">
          {creating ? <Spinner className="size-4 text-white" /> : <MessageSquarePlus aria-hidden="true" className="size-4" />}
          New chat
        </Button>
      </div>
      <nav aria-label="Chat sessions" className="min-h-0 flex-1 overflow-y-auto px-2 pb-3">
        {items === null && !sessions.error ? (
          <div className="space-y-1 pt-1" role="status" aria-busy="true" aria-label="Loading chats">
            {Array.from({ length: 6 }, (_, i) => (
              <div key={i} className="space-y-1.5 rounded-lg px-3 py-2.5">
                <Skeleton className="h-3.5 w-4/5" />
                <Skeleton className="h-3 w-1/3" />
              </div>
            ))}
          </div>
        ) : null}
        {sessions.error ? (
          <div role="alert" className="mx-1 mt-1 rounded-lg bg-red-50 px-3 py-2 text-xs text-red-700">
            {sessions.error}{" "}
            <button type="button" onClick={sessions.reload} className="font-medium underline">
              Retry
            </button>
          </div>
        ) : null}
        {items && items.length === 0 ? (
          <p className="px-3 py-6 text-center text-sm text-zinc-500">No chats yet. Start one!</p>
        ) : null}
        {items && items.length > 0 ? (
          <ul className="space-y-0.5" data-testid="session-list">
            {items.map((session) => (
              <SessionItem
                key={session.id}
                session={session}
                active={session.id === activeId}
                onNavigate={onNavigate}
                onRename={async (title) => {
                  await sessions.rename(session.id, title);
                }}
                onDelete={() => {
                  deletingId.current = session.id;
                  setToDelete(session);
                }}
              />
            ))}
          </ul>
        ) : null}
        {sessions.hasMore ? (
          <div className="flex justify-center pt-2">
            <Button size="sm" variant="ghost" onClick={sessions.loadMore} disabled={sessions.loadingMore}>
              {sessions.loadingMore ? <Spinner /> : null}
              Show older chats
            </Button>
          </div>
        ) : null}
      </nav>
      <ConfirmDialog
        returnFocus={() => menuOf(deletingId.current) ?? document.getElementById("chat-input")}
        open={toDelete !== null}
        onOpenChange={(open) => !open && setToDelete(null)}
        title="Delete this chat?"
        description={
          <>
            <span className="font-medium text-zinc-800">“{toDelete?.title ?? UNTITLED}”</span> and its messages will be
            deleted. Tickets created or changed in it are kept.
          </>
        }
        confirmLabel="Delete chat"
        destructive
        onConfirm={async () => {
          if (!toDelete) return;
          await sessions.remove(toDelete.id, toDelete.id === activeId);
          onDeleted(toDelete.id);
        }}
      />
    </div>
  );
}

interface SessionItemProps {
  session: ChatSessionSummary;
  active: boolean;
  onNavigate?: () => void;
  onRename: (title: string) => Promise<void>;
  onDelete: () => void;
}

function SessionItem({ session, active, onNavigate, onRename, onDelete }: SessionItemProps) {
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
