"use client";

import { lazy, Suspense } from "react";
import { cn } from "@/lib/cn";

// The Markdown renderer (react-markdown, remark, micromark: about a fifth of the chat page's
// JavaScript) is fetched when the first message is shown, not with the page; until it
// arrives the text shows as it is.
const Markdown = lazy(() => import("./markdown").then((m) => ({ default: m.Markdown })));

export function LazyMarkdown({ text, className }: { text: string; className?: string }) {
  return (
    <Suspense fallback={<div className={cn("markdown whitespace-pre-wrap", className)}>{text}</div>}>
      <Markdown text={text} className={className} />
    </Suspense>
  );
}
