import { href } from './router';

/** Span kinds that measure what a service serves (its entry points), as opposed to what it calls. */
export const ENTRY_KINDS = ['server', 'consumer'];

/** `/api/v1/metrics/red` for a window; `step` = the whole window gives one merged point per series. */
export function redUrl(q: { start: number; end: number; step: number; service?: string; operation?: string; byOperation?: boolean; allKinds?: boolean }): string {
  return href('/api/v1/metrics/red', {
    start: String(q.start),
    end: String(q.end),
    step: String(q.step),
    service: q.service,
    operation: q.operation,
    groupBy: q.byOperation ? 'operation' : undefined,
    spanKind: q.allKinds ? undefined : ENTRY_KINDS,
  });
}
