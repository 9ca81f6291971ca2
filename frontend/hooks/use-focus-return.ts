"use client";

import { useRef } from "react";

/**
 * Focus back where it was when a dialog opened without a Radix Trigger (Radix would send it
 * to <body>): spread onto Dialog.Content. When that control has gone (the chat it belonged
 * to was deleted), `fallback` names the next logical one.
 */
export function useFocusReturn(fallback?: () => HTMLElement | null) {
  const opener = useRef<HTMLElement | null>(null);
  return {
    onOpenAutoFocus: () => {
      const active = document.activeElement;
      opener.current = active instanceof HTMLElement && active !== document.body ? active : null;
    },
    onCloseAutoFocus: (event: Event) => {
      const target = opener.current?.isConnected ? opener.current : (fallback?.() ?? null);
      if (target) {
        event.preventDefault();
        target.focus();
      }
    },
  };
}
