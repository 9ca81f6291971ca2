"use client";

import { lazy, Suspense, useEffect, useState } from "react";
import { cn } from "@/lib/cn";

// The Markdown renderer (react-markdown, remark, micromark: about a fifth of the chat page's
// JavaScript) is fetched when the first message is shown, not with the page; until it
// arrives the text shows as it is.
type MarkdownModule = typeof import("./markdown");

let loaded: MarkdownModule | null = null;
let loading: Promise<MarkdownModule> | null = null;

function loadMarkdown(): Promise<MarkdownModule> {
  loading ??= import("./markdown").then((m) => (loaded = m));
  return loading;
}

const Markdown = lazy(() => loadMarkdown().then((m) => ({ default: m.Markdown })));

/**
 * Whether the renderer is there; asks for it when `needed`. A restored conversation waits
 * for it (behind its skeleton) rather than showing its Markdown as plain text first.
 */
export function useMarkdownReady(needed: boolean): boolean {
  const [ready, setReady] = useState(loaded !== null);
  useEffect(() => {
    if (!needed || ready) return;
    let live = true;
    void loadMarkdown().then(() => {
      if (live) setReady(true);
    });
    return () => {
      live = false;
    };
  }, [needed, ready]);
  return ready || loaded !== null;
}

export function LazyMarkdown({ text, className }: { text: string; className?: string }) {
  // Once loaded, render it directly: a lazy component would still suspend once per mount.
  if (loaded) return <loaded.Markdown text={text} className={className} />;
  return (
    <Suspense fallback={<div className={cn("markdown whitespace-pre-wrap", className)}>{text}</div>}>
      <Markdown text={text} className={className} />
    </Suspense>
  );
}
