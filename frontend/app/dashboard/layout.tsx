"use client";

import { useQuery } from "@tanstack/react-query";
import { useDeferredValue, type ReactNode } from "react";
import { AppShell } from "@/components/app-shell";
import { UserContext } from "@/components/auth/user-context";
import { Button } from "@/components/ui/button";
import { ToastProvider } from "@/components/ui/toast";
import { ApiError, errorMessage } from "@/lib/api";
import { meQuery } from "@/lib/queries/users";

export default function DashboardLayout({ children }: { children: ReactNode }) {
  const me = useQuery(meQuery());
  // The user's menu fills in as a background render, not one long task while the page starts.
  const user = useDeferredValue(me.data ?? null);
  // 401 → the API client is already sending us to the sign-in page.
  const unauthorized = me.error instanceof ApiError && me.error.status === 401;
  const error = me.isError && !me.data && !unauthorized ? errorMessage(me.error) : null;

  if (error) {
    return (
      <div className="grid min-h-dvh place-items-center px-6">
        <div className="max-w-sm text-center" role="alert">
          <h1 className="text-lg font-semibold text-zinc-900">Deskpilot is unreachable</h1>
          <p className="mt-2 text-sm text-zinc-500">{error}</p>
          <Button variant="primary" className="mt-5" onClick={() => void me.refetch()}>
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
      <ToastProvider>
        <AppShell user={user}>{children}</AppShell>
      </ToastProvider>
    </UserContext.Provider>
  );
}
