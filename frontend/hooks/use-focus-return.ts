"use client";

import { useState } from "react";

/**
 * Focus back where it was when a dialog opened without a Radix Trigger (Radix would send it
 * to <body>): spread the result onto Dialog.Content. The opener is read as `open` turns
 * true, before the dialog's own autofocus moves focus inside. When that control has gone
 * (the chat it belonged to was deleted), `fallback` names the next logical one.
 */
export function useFocusReturn(open: boolean, fallback?: () => HTMLElement | null) {
  const [wasOpen, setWasOpen] = useState(open);
  const [opener, setOpener] = useState<HTMLElement | null>(null);
  if (open !== wasOpen) {
    setWasOpen(open);
    if (open) {
      const active = typeof document === "undefined" ? null : document.activeElement;
      setOpener(active instanceof HTMLElement && active !== document.body ? active : null);
    }
  }
  return {
    onCloseAutoFocus: (event: Event) => {
      const target = opener?.isConnected ? opener : (fallback?.() ?? null);
      if (target) {
        event.preventDefault();
        target.focus();
      }
    },
  };
}
