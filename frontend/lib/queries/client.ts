/** The one QueryClient's defaults: how long data counts as fresh, and when to retry. */
import { QueryClient } from "@tanstack/react-query";
import { ApiError } from "../api-error";

/** A failed read is tried again this many times, unless the server said no (4xx). */
const MAX_RETRIES = 2;

/** Never retry a 4xx (the same request gets the same answer); network and 5xx errors twice. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < MAX_RETRIES;
}

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Going back to a page within this time shows what it showed, without asking again;
        // after it, the page still shows at once and refreshes in the background.
        staleTime: 30_000,
        retry: shouldRetry,
      },
      mutations: { retry: false },
    },
  });
}
