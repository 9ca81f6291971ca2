"use client";

import { useEffect, useState } from "react";

/** True from the moment a reply stops streaming while the page is hidden until the agent
 * comes back to the tab. */
export function useReplyReadyInBackground(streaming: boolean): boolean {
  const [ready, setReady] = useState(false);
  const [wasStreaming, setWasStreaming] = useState(streaming);
  if (streaming !== wasStreaming) {
    setWasStreaming(streaming);
    if (!streaming && typeof document !== "undefined" && document.visibilityState === "hidden") setReady(true);
  }
  useEffect(() => {
    if (!ready) return;
    const onVisible = () => {
      if (document.visibilityState === "visible") setReady(false);
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => document.removeEventListener("visibilitychange", onVisible);
  }, [ready]);
  return ready;
}
