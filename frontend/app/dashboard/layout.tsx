"use client";

import { startTransition, useEffect, useState, type ReactNode } from "react";
import { AppShell } from "@/components/app-shell";
import { UserContext } from "@/components/auth/user-context";
import { Button } from "@/components/ui/button";
import { ApiError, errorMessage, me } from "@/lib/api";
import type { User } from "@/lib/types";

export default function DashboardLayout({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    me({ signal: controller.signal })
      .then((u) => {
        startTransition(() => {
          setUser(u);
          setError(null);
        });
      })
      .catch((e: unknown) => {
        if (controller.signal.aborted) return;
        // 401 → the API client is already sending us to the sign-in page.
        if (e instanceof ApiError && e.status === 401) return;
        setError(errorMessage(e));
      });
    return () => controller.abort();
  }, [attempt]);

  if (error) {
    return (
      <div className="grid min-h-dvh place-items-center px-6">
        <div className="max-w-sm text-center" role="alert">
          <h1 className="text-lg font-semibold text-zinc-900">Deskpilot is unreachable</h1>
          <p className="mt-2 text-sm text-zinc-500">{error}</p>
          <Button variant="primary" className="mt-5" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </Button>
        </div>
      </div>
    );
  }

  // The shell and the page render at once (and into the static HTML) so that the first paint
  // has content and the page's own requests start beside `/api/auth/me`, not after it; the
  // user's menu fills in when it answers (a 401 sends the browser to the sign-in page).
  return (
    <UserContext.Provider value={user}>
      <AppShell user={user}>{children}</AppShell>
    </UserContext.Provider>
  );
}
