import { useCallback, useEffect, useState } from 'react';
import { fetchJson } from '../api/fetch-json';

export interface Fetched<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

/** Fetches `url` (nothing when null) and refetches when it changes; a stale answer never overwrites a newer one. */
export function useFetch<T>(url: string | null): Fetched<T> {
  const [state, setState] = useState<{ url: string | null; data?: T; error?: Error; done: boolean }>({ url: null, done: false });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (url === null) return;
    const abort = new AbortController();
    fetchJson<T>(url, abort.signal).then(
      (data) => setState({ url, data, done: true }),
      (error: Error) => {
        if (!abort.signal.aborted) setState({ url, error, done: true });
      },
    );
    return () => abort.abort();
  }, [url, generation]);
  const reload = useCallback(() => {
    setState((s) => ({ ...s, done: false }));
    setGeneration((g) => g + 1);
  }, []);
  const current = state.url === url && state.done;
  return { data: current ? state.data : undefined, error: current ? state.error : undefined, loading: url !== null && !current, reload };
}
