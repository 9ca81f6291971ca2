"use client";

import { QueryClientProvider } from "@tanstack/react-query";
import { lazy, Suspense, useState, type ReactNode } from "react";
import { makeQueryClient } from "@/lib/queries/client";

// In development only. NODE_ENV is replaced by a constant at build time, so the production
// build drops this branch, and with it the import: the devtools are not in the static export.
const Devtools =
  process.env.NODE_ENV === "development"
    ? lazy(() => import("@tanstack/react-query-devtools").then((m) => ({ default: m.ReactQueryDevtools })))
    : null;

/** The one query cache of the app (server state: lib/queries). */
export function QueryProvider({ children }: { children: ReactNode }) {
  const [client] = useState(makeQueryClient);
  return (
    <QueryClientProvider client={client}>
      {children}
      {Devtools ? (
        <Suspense fallback={null}>
          <Devtools initialIsOpen={false} buttonPosition="bottom-left" />
        </Suspense>
      ) : null}
    </QueryClientProvider>
  );
}
