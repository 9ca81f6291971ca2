"use client";

import { startTransition, useCallback, useEffect, useState } from "react";

interface QueryState<T> {
  /** The request key the data/error belong to. */
  key: string | null;
  data: T | undefined;
  error: unknown;
}

export interface QueryResult<T> {
  data: T | undefined;
  error: unknown;
  /** True while the data for the current key has not arrived yet. */
  loading: boolean;
  reload: () => void;
  /** Local update of the loaded data (after a mutation). */
  setData: (update: (prev: T | undefined) => T | undefined) => void;
}

/**
 * Load data for `key` (null = nothing to load). Results are tagged with the
 * key they belong to, so a stale response never shows for a newer key and no
 * state is reset synchronously inside the effect.
 */
export function useQuery<T>(key: string | null, fetcher: (signal: AbortSignal) => Promise<T>): QueryResult<T> {
  const [state, setState] = useState<QueryState<T>>({ key: null, data: undefined, error: undefined });
  const [generation, setGeneration] = useState(0);
  const requestKey = key === null ? null : `${generation}:${key}`;

  useEffect(() => {
    if (requestKey === null) return;
    const controller = new AbortController();
    // An answer re-renders its page as a transition: React renders it in slices that let
    // input through, instead of one long task while the page is still starting.
    fetcher(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) startTransition(() => setState({ key: requestKey, data, error: undefined }));
      },
      (error: unknown) => {
        if (!controller.signal.aborted) startTransition(() => setState({ key: requestKey, data: undefined, error }));
      },
    );
    return () => controller.abort();
    // The fetcher is expected to depend only on `key`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [requestKey]);

  const current = state.key === requestKey && requestKey !== null;
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const setData = useCallback(
    (update: (prev: T | undefined) => T | undefined) => setState((s) => ({ ...s, data: update(s.data) })),
    [],
  );
  return {
    data: current ? state.data : undefined,
    error: current ? state.error : undefined,
    loading: requestKey !== null && !current,
    reload,
    setData,
  };
}
