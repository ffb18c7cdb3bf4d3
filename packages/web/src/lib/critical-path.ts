import type { UiSpan } from './trace-model';

/** Per span, the [start, end] pieces (ms from trace start) where it is on the critical path. */
export type CriticalSegments = Map<number, [number, number][]>;

/**
 * The critical path as Jaeger computes it: from a root's end walk backwards; at each point the
 * child that finished last before it is what the parent waited for. Iterative, for deep traces.
 */
export function criticalPath(spans: UiSpan[]): CriticalSegments {
  const segments: CriticalSegments = new Map();
  const add = (span: number, from: number, to: number) => {
    if (to <= from) return;
    const list = segments.get(span);
    if (list) list.push([from, to]);
    else segments.set(span, [[from, to]]);
  };
  const roots = spans.filter((s) => s.parent < 0);
  const stack: { span: number; until: number }[] = roots.map((r) => ({ span: r.index, until: r.start + r.duration }));
  while (stack.length > 0) {
    const { span, until } = stack.pop()!;
    const s = spans[span];
    let cursor = Math.min(until, s.start + s.duration);
    const children = s.children.map((c) => spans[c]).sort((a, b) => b.start + b.duration - (a.start + a.duration));
    for (const child of children) {
      if (child.start >= cursor) continue;
      const childEnd = Math.min(child.start + child.duration, cursor);
      add(span, childEnd, cursor);
      stack.push({ span: child.index, until: childEnd });
      cursor = Math.max(child.start, s.start);
      if (cursor <= s.start) break;
    }
    add(span, s.start, cursor);
  }
  return segments;
}
