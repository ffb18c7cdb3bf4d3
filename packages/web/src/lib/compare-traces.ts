import type { TraceModel } from './trace-model';

export interface ComparedPath {
  /** `service: operation` from the root down, joined by ' › '. */
  path: string;
  label: string;
  depth: number;
  a: { count: number; totalMs: number };
  b: { count: number; totalMs: number };
}

function pathsOf(trace: TraceModel): Map<string, { label: string; depth: number; count: number; totalMs: number }> {
  const keys: string[] = new Array(trace.spans.length);
  const out = new Map<string, { label: string; depth: number; count: number; totalMs: number }>();
  for (const s of trace.spans) {
    const label = `${s.service}: ${s.name}`;
    const key = s.parent < 0 ? label : `${keys[s.parent]} › ${label}`;
    keys[s.index] = key;
    const entry = out.get(key);
    if (entry) {
      entry.count++;
      entry.totalMs += s.duration;
    } else out.set(key, { label, depth: s.depth, count: 1, totalMs: s.duration });
  }
  return out;
}

/** Spans of two traces matched by their service+operation path from the root; A's order first, then paths only B has. */
export function compareTraces(a: TraceModel, b: TraceModel): ComparedPath[] {
  const pa = pathsOf(a);
  const pb = pathsOf(b);
  const rows: ComparedPath[] = [];
  const none = { count: 0, totalMs: 0 };
  const row = (path: string, x: { label: string; depth: number }) => {
    const ea = pa.get(path);
    const eb = pb.get(path);
    rows.push({ path, label: x.label, depth: x.depth, a: ea ? { count: ea.count, totalMs: ea.totalMs } : none, b: eb ? { count: eb.count, totalMs: eb.totalMs } : none });
  };
  for (const [path, x] of pa) row(path, x);
  for (const [path, x] of pb) if (!pa.has(path)) row(path, x);
  return rows;
}
