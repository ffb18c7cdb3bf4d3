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

const serviceOf = (resource: OtlpResource): string => {
  const kv = resource.attributes.find((a) => a.key === 'service.name');
  return kv ? attributeText(kv.value) : 'unknown_service';
};

/**
 * The spans of an OTLP/JSON trace as a tree in depth-first order. Spans whose parent is missing
 * become roots. Times are taken relative to the earliest span with BigInt, since epoch nanoseconds
 * exceed a double's precision.
 */
export function buildTraceModel(traces: OtlpTraces): TraceModel {
  const flat: { raw: OtlpSpan; resource: OtlpResource; scope: OtlpScope; service: string; startNs: bigint; endNs: bigint }[] = [];
  for (const rs of traces.resourceSpans) {
    const service = serviceOf(rs.resource);
    for (const ss of rs.scopeSpans) {
      for (const raw of ss.spans) {
        flat.push({ raw, resource: rs.resource, scope: ss.scope, service, startNs: BigInt(raw.startTimeUnixNano), endNs: BigInt(raw.endTimeUnixNano) });
      }
    }
  }
  if (flat.length === 0) throw new Error('the trace has no spans');
  let min = flat[0].startNs;
  let max = flat[0].endNs;
  for (const f of flat) {
    if (f.startNs < min) min = f.startNs;
    if (f.endNs > max) max = f.endNs;
  }
  const byId = new Map<string, number>();
  flat.forEach((f, i) => byId.set(f.raw.spanId, i));
  const starts = flat.map((f) => Number(f.startNs - min) / 1e6);
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
      duration: Number(f.endNs - f.startNs) / 1e6,
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
    startNs: min,
    startMs: Number(min / 1_000_000n) + Number(min % 1_000_000n) / 1e6,
    durationMs: Number(max - min) / 1e6,
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
