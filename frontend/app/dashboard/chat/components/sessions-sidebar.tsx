"use client";

import { useQuery } from "@tanstack/react-query";
import { MessageSquarePlus, Search } from "lucide-react";
import { useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { errorMessage } from "@/lib/api";
import type { ChatSessionSummary } from "@/lib/api-types";
import { useDebouncedValue } from "@/hooks/use-debounced-value";
import { chatSessionSearchQuery } from "@/lib/queries/chat";
import type { ChatSessionsApi } from "../hooks/use-chat-sessions";
import { groupByDate } from "../lib/session-groups";
import { SessionItem, UNTITLED } from "./session-item";

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
  const groupId = useId();
  const [query, setQuery] = useState("");
  const searchFor = useDebouncedValue(query.trim(), 200);
  const search = useQuery({ ...chatSessionSearchQuery(searchFor), enabled: searchFor !== "" });
  const found = query.trim() !== "" && searchFor !== "" ? search : null;

  const item = (session: ChatSessionSummary) => (
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
  );

  return (
    <div className="flex h-full min-h-0 flex-col" data-testid="sessions-sidebar">
      <div className="flex items-center justify-between gap-2 px-3 pt-3 pb-2">
        <h2 className="px-1 text-sm font-semibold text-zinc-900">Chats</h2>
        <Button variant="primary" size="sm" onClick={onNew} disabled={creating} data-testid="new-chat">
          {creating ? <Spinner className="size-4 text-white" /> : <MessageSquarePlus aria-hidden="true" className="size-4" />}
          New chat
        </Button>
      </div>
      <div role="search" className="relative px-3 pb-2">
        <Search aria-hidden="true" className="pointer-events-none absolute top-1/2 left-5.5 size-4 -translate-y-1/2 text-zinc-500" />
        <Input
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder="Search chats"
          aria-label="Search chats"
          maxLength={200}
          data-testid="session-search"
          className="h-8 w-full pl-8 text-sm"
        />
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
        {found === null && items && items.length === 0 ? (
          <p className="px-3 py-6 text-center text-sm text-zinc-500">No chats yet. Start one!</p>
        ) : null}
        {found !== null ? (
          <>
            <p role="status" className="px-3 pt-1 pb-2 text-xs text-zinc-600" data-testid="session-search-status">
              {found.isPending
                ? "Searching…"
                : found.isError
                  ? errorMessage(found.error)
                  : found.data.items.length === 0
                    ? "No chats match."
                    : found.data.items.length === 1
                      ? "1 chat found"
                      : `${found.data.items.length} chats found`}
            </p>
            {found.data && found.data.items.length > 0 ? (
              <ul className="space-y-0.5" data-testid="session-search-results">
                {found.data.items.map((session) => item(session))}
              </ul>
            ) : null}
          </>
        ) : null}
        {found === null && items && items.length > 0 ? (
          <div className="space-y-3" data-testid="session-list">
            {groupByDate(items, new Date()).map((group) => (
              <section key={group.label} aria-labelledby={`${groupId}-${group.label}`}>
                <h3
                  id={`${groupId}-${group.label}`}
                  className="px-3 pt-1 pb-1 text-xs font-medium text-zinc-600"
                  data-testid="session-group"
                >
                  {group.label}
                </h3>
                <ul className="space-y-0.5">{group.items.map((session) => item(session))}</ul>
              </section>
            ))}
          </div>
        ) : null}
        {found === null && sessions.hasMore ? (
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
