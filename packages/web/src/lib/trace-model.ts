import type { OtlpKeyValue, OtlpResource, OtlpScope, OtlpSpan, OtlpTraces } from '../api/types';
import { attributeText } from './attribute-text';

export interface UiSpan {
  /** Position in the trace's depth-first order (children by start time). */
  index: number;
  raw: OtlpSpan;
  resource: OtlpResource;
  scope: OtlpScope;
  service: string;
  /** ms from the trace start. */
  start: number;
  duration: number;
  depth: number;
  parent: number;
  children: number[];
  /** Index just past this span's subtree in depth-first order. */
  subtreeEnd: number;
  isError: boolean;
}

export interface TraceModel {
  traceId: string;
  spans: UiSpan[];
  /** Earliest span start, ns since the epoch. */
  startNs: bigint;
  startMs: number;
  durationMs: number;
  services: string[];
  errorCount: number;
  maxDepth: number;
}

/** Epoch ns as whole ms (exact in a double) and the sub-ms fraction: no BigInt per span. */
interface SplitTime {
  ms: number;
  frac: number;
}

const splitTime = (ns: string): SplitTime =>
  ns.length > 6 ? { ms: Number(ns.slice(0, -6)), frac: Number(ns.slice(-6)) / 1e6 } : { ms: 0, frac: Number(ns) / 1e6 };

const before = (a: SplitTime, b: SplitTime): boolean => a.ms < b.ms || (a.ms === b.ms && a.frac < b.frac);

const serviceOf = (resource: OtlpResource): string => {
  const kv = resource.attributes.find((a) => a.key === 'service.name');
  return kv ? attributeText(kv.value) : 'unknown_service';
};

/**
 * The spans of an OTLP/JSON trace as a tree in depth-first order. Spans whose parent is missing
 * become roots. Epoch nanoseconds exceed a double's precision, so times are split into whole ms
 * and a fraction before being made relative to the earliest span.
 */
export function buildTraceModel(traces: OtlpTraces): TraceModel {
  const flat: { raw: OtlpSpan; resource: OtlpResource; scope: OtlpScope; service: string; start: SplitTime; end: SplitTime }[] = [];
  for (const rs of traces.resourceSpans) {
    const service = serviceOf(rs.resource);
    for (const ss of rs.scopeSpans) {
      for (const raw of ss.spans) {
        flat.push({ raw, resource: rs.resource, scope: ss.scope, service, start: splitTime(raw.startTimeUnixNano), end: splitTime(raw.endTimeUnixNano) });
      }
    }
  }
  if (flat.length === 0) throw new Error('the trace has no spans');
  let min = flat[0].start;
  let max = flat[0].end;
  for (const f of flat) {
    if (before(f.start, min)) min = f.start;
    if (before(max, f.end)) max = f.end;
  }
  const since = (t: SplitTime) => t.ms - min.ms + t.frac - min.frac;
  const byId = new Map<string, number>();
  flat.forEach((f, i) => byId.set(f.raw.spanId, i));
  const starts = flat.map((f) => since(f.start));
  const kids: number[][] = flat.map(() => []);
  const roots: number[] = [];
  flat.forEach((f, i) => {
    const p = f.raw.parentSpanId ? byId.get(f.raw.parentSpanId) : undefined;
    if (p === undefined || p === i) roots.push(i);
    else kids[p].push(i);
  });
  const byStart = (a: number, b: number) => starts[a] - starts[b];
  roots.sort(byStart);

  // Iterative depth-first walk: deep traces must not overflow the call stack.
  const spans: UiSpan[] = new Array(flat.length);
  const order = new Map<number, number>();
  const stack: { flat: number; depth: number; parent: number }[] = roots.map((r) => ({ flat: r, depth: 0, parent: -1 })).reverse();
  let next = 0;
  const visited = new Set<number>();
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (visited.has(item.flat)) continue; // a parent cycle in bad data
    visited.add(item.flat);
    const f = flat[item.flat];
    const index = next++;
    order.set(item.flat, index);
    spans[index] = {
      index,
      raw: f.raw,
      resource: f.resource,
      scope: f.scope,
      service: f.service,
      start: starts[item.flat],
      duration: f.end.ms - f.start.ms + f.end.frac - f.start.frac,
      depth: item.depth,
      parent: item.parent,
      children: [],
      subtreeEnd: index + 1,
      isError: f.raw.status.code === 2,
    };
    if (item.parent >= 0) spans[item.parent].children.push(index);
    const children = kids[item.flat].sort(byStart);
    for (let c = children.length - 1; c >= 0; c--) stack.push({ flat: children[c], depth: item.depth + 1, parent: index });
  }
  // Spans caught in a parent cycle were never reached from a root; they are left out.
  spans.length = next;
  for (let i = spans.length - 1; i >= 0; i--) {
    const s = spans[i];
    if (s.children.length > 0) s.subtreeEnd = spans[s.children[s.children.length - 1]].subtreeEnd;
  }
  let maxDepth = 0;
  let errorCount = 0;
  const services = new Set<string>();
  for (const s of spans) {
    if (s.depth > maxDepth) maxDepth = s.depth;
    if (s.isError) errorCount++;
    services.add(s.service);
  }
  return {
    traceId: flat[0].raw.traceId,
    spans,
    startNs: BigInt(min.ms) * 1_000_000n + BigInt(Math.round(min.frac * 1e6)),
    startMs: min.ms + min.frac,
    durationMs: since(max),
    services: [...services].sort(),
    errorCount,
    maxDepth,
  };
}

/** Lower-case text a find-in-trace query is matched against: names, service, ids, attribute keys and values. */
export function searchText(span: UiSpan): string {
  const kv = (list: OtlpKeyValue[]) => list.map((a) => `${a.key}=${attributeText(a.value)}`).join(' ');
  return `${span.raw.name} ${span.service} ${span.raw.spanId} ${kv(span.raw.attributes)} ${span.raw.events.map((e) => `${e.name} ${kv(e.attributes)}`).join(' ')}`.toLowerCase();
}
