"use client";

import { useEffect, useRef, type RefObject } from "react";

/**
 * Focus back on a control once it is on the page again (an inline form closed, and the
 * button that opened it rendered anew): call the returned `request()` before closing; the focus moves in the
 * commit that shows the control, never before it exists (a timer or animation frame could
 * run before React has rendered it on a busy machine).
 */
export function useReturnFocus<T extends HTMLElement>(shown: boolean): [RefObject<T | null>, () => void] {
  const ref = useRef<T>(null);
  const pending = useRef(false);
  useEffect(() => {
    if (!shown || !pending.current) return;
    pending.current = false;
    ref.current?.focus();
  }, [shown]);
  const request = () => {
    pending.current = true;
  };
  return [ref, request];
}
