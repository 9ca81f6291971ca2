"use client";

import { useEffect, useRef } from "react";

/**
 * "Load more" for an infinite list: fetches the next page and, since the button is disabled
 * while it loads (focus would fall to <body>), moves focus to the first new row once it is
 * shown. `rowSelector` finds the rows in page order.
 */
export function useLoadMore(
  items: readonly unknown[] | null,
  page: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown },
  rowSelector: string,
): () => void {
  const focusRowAt = useRef<number | null>(null);
  useEffect(() => {
    const at = focusRowAt.current;
    if (at === null || !items || items.length <= at) return;
    focusRowAt.current = null;
    document.querySelectorAll<HTMLElement>(rowSelector)[at]?.focus();
  }, [items, rowSelector]);

  return () => {
    if (!page.hasNextPage || page.isFetchingNextPage) return;
    focusRowAt.current = items?.length ?? 0;
    void page.fetchNextPage();
  };
}
