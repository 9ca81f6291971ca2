"use client";

import { useCallback, useEffect, useLayoutEffect, useRef } from "react";
import { rememberListPlace, savedScroll } from "../lib/list-place";

/**
 * Keeps the tickets list's place (lib/list-place.ts): scrolls back to it once the rows are
 * there (`ready`), and remembers it as the page scrolls, as the filters change and when a
 * ticket is opened. Returns `remember`, for links that leave the list.
 */
export function useListPlace(ready: boolean, search: string): () => void {
  const restored = useRef(false);
  /** Set in the commit that removes the list: a scroll after it is the next page's. */
  const left = useRef(false);
  const remember = useCallback(() => {
    if (!left.current) rememberListPlace(window.location.search, window.scrollY);
  }, []);

  useLayoutEffect(() => {
    left.current = false;
    return () => {
      left.current = true;
    };
  }, []);

  // Before the first paint with rows, so the list never shows at the top first.
  useLayoutEffect(() => {
    if (!ready || restored.current) return;
    restored.current = true;
    const y = savedScroll(window.location.search);
    if (y !== null && y > 0) window.scrollTo(0, y);
  }, [ready]);

  useEffect(() => {
    window.addEventListener("scroll", remember, { passive: true });
    return () => window.removeEventListener("scroll", remember);
  }, [remember]);

  // New filters are a new place (read on the render that shows them).
  useEffect(() => {
    if (restored.current) remember();
  }, [search, remember]);

  return remember;
}
