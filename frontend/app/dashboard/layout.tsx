"use client";

import { useEffect, useState, type ReactNode } from "react";
import { AppShell } from "@/components/app-shell";
import { UserContext } from "@/components/auth/user-context";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
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
        setUser(u);
        setError(null);
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

  if (!user) return <ShellSkeleton />;

  return (
    <UserContext.Provider value={user}>
      <AppShell user={user}>{children}</AppShell>
    </UserContext.Provider>
  );
}

function ShellSkeleton() {
  return (
    <div className="flex min-h-dvh flex-col" aria-busy="true" aria-label="Loading">
      <div className="flex h-14 items-center gap-6 border-b border-zinc-200 bg-white px-5">
        <Skeleton className="h-7 w-28" />
        <Skeleton className="h-6 w-40" />
        <Skeleton className="ml-auto h-7 w-28 rounded-full" />
      </div>
      <div className="mx-auto w-full max-w-6xl space-y-3 p-6">
        <Skeleton className="h-8 w-48" />
        <Skeleton className="h-10 w-full" />
        <Skeleton className="h-10 w-full" />
        <Skeleton className="h-10 w-full" />
      </div>
    </div>
  );
}
