import { ArrowUp, PanelLeft, Plus } from "lucide-react";
import { Skeleton } from "@/components/ui/skeleton";
import { ChatEmptyState } from "./chat-empty-state";

/**
 * The chat page as the static HTML shows it before the app runs (the page reads `?session=`,
 * so Next.js renders it in the browser only): the same frame as the live page, with the new
 * chat's intro as the first contentful paint and every control inert, so nothing can be typed
 * or clicked before it would work. The live page replaces it in place.
 */
export function ChatPageFallback() {
  return (
    <div className="flex h-[calc(100dvh-3.5rem)] min-h-0" aria-busy="true">
      <aside className="hidden w-72 shrink-0 border-r border-zinc-200 bg-white md:block" aria-label="Chats">
        <div className="space-y-2 p-3">
          <Skeleton className="h-9 w-full" />
          <Skeleton className="h-12 w-full" />
          <Skeleton className="h-12 w-full" />
        </div>
      </aside>
      <section className="flex min-w-0 flex-1 flex-col bg-zinc-50" aria-label="Chat">
        <header className="shrink-0 border-b border-zinc-200 bg-white px-3 py-2.5 sm:px-5">
          <div className="flex min-h-8 items-center gap-2">
            <span className="grid size-7 place-items-center text-zinc-300 md:hidden" aria-hidden="true">
              <PanelLeft className="size-4" />
            </span>
            {/* Still, unlike the shimmering Skeleton: an animation here would repaint every frame while the app starts. */}
            <span className="h-5 w-48 rounded-md bg-zinc-200/80" aria-hidden="true" />
          </div>
          <div className="mt-2 flex items-center gap-1.5">
            <span
              className="inline-flex h-7 shrink-0 items-center gap-1.5 rounded-full border border-dashed border-zinc-300 px-2.5 text-xs font-medium text-zinc-300"
              aria-hidden="true"
            >
              <Plus className="size-3.5" />
              Add ticket
            </span>
          </div>
        </header>
        <div className="relative min-h-0 flex-1 overflow-hidden">
          <div className="mx-auto flex min-h-full w-full max-w-3xl flex-col px-3 py-5 sm:px-6">
            <ChatEmptyState offline={false} disabled />
          </div>
        </div>
        <div className="shrink-0 border-t border-zinc-200 bg-white/95 px-3 pt-3 pb-[max(0.75rem,env(safe-area-inset-bottom))] sm:px-6">
          <div className="mx-auto w-full max-w-3xl">
            <div className="flex items-end gap-2 rounded-2xl bg-white p-1.5 pl-3.5 shadow-xs ring-1 ring-zinc-300">
              <textarea
                rows={1}
                disabled
                aria-label="Message the assistant"
                placeholder="Ask, or type # to mention a ticket"
                className="max-h-[200px] min-h-9 flex-1 resize-none border-0 bg-transparent py-2 text-[15px] leading-5 placeholder:text-zinc-400 focus:outline-none"
              />
              <span className="grid size-9 shrink-0 place-items-center rounded-xl bg-accent-600/50 text-white" aria-hidden="true">
                <ArrowUp className="size-4" />
              </span>
            </div>
            <div className="mt-1.5 flex items-center justify-between gap-3 px-1 text-[11px] text-zinc-400">
              <span className="hidden sm:inline">
                <kbd className="font-sans">Enter</kbd> to send · <kbd className="font-sans">Shift+Enter</kbd> for a new line ·{" "}
                <kbd className="font-sans">#</kbd> to mention a ticket
              </span>
            </div>
          </div>
        </div>
      </section>
    </div>
  );
}
