import { useState } from 'react';

/** "Now" fixed while `key` (e.g. the query string) stays the same, so relative time ranges give stable request URLs. */
export function useNow(key: string): number {
  const [state, setState] = useState(() => ({ key, now: Date.now() }));
  if (state.key !== key) {
    const next = { key, now: Date.now() };
    setState(next);
    return next.now;
  }
  return state.now;
}
