"use client";

import { useSearchParams } from "next/navigation";
import { useSyncExternalStore } from "react";

const subscribeToNothing = () => () => {};

/** False while prerendering and hydrating, true from the render after hydration on. */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );
}

/**
 * A search parameter of the current URL, without opting the page out of prerendering:
 * `useSearchParams()` while a static export prerenders makes Next.js leave the page out of
 * the HTML and render it in the browser only. Here the static HTML and the hydration see
 * `null` (the page as it is without the parameter); the real value follows in the render
 * right after hydration, and on every client-side navigation.
 */
export function useSearchParam(name: string): string | null {
  const hydrated = useHydrated();
  // Never called while prerendering (no window), always in the browser: the order of hooks
  // is fixed on each side, which is all React needs.
  // eslint-disable-next-line react-hooks/rules-of-hooks
  const params = typeof window === "undefined" ? null : useSearchParams();
  return hydrated ? params?.get(name) || null : null;
}
