import type { OtlpKeyValue, OtlpTraces, TraceOutline } from '../api/types';
import { attributeText } from './attribute-text';

export interface UiSpan {
  /** Position in the trace's depth-first order (children by start time). */
  index: number;
  spanId: string;
  name: string;
  kind: number;
  statusCode: number;
  statusMessage: string;
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

/**
 * The spans of a trace outline as a tree in depth-first order, children by start time. Spans
 * whose parent is missing become roots; spans caught in a parent cycle are never reached from a
 * root and are left out. One pass over typed arrays: children as ranges of one index array.
 */
export function buildTraceModel(outline: TraceOutline): TraceModel {
  const n = outline.spanId.length;
  if (n === 0) throw new Error('the trace has no spans');
  const { start, duration, parent, strings } = outline;
  const parentOf = new Int32Array(n);
  const childCount = new Int32Array(n + 1);
  let inStartOrder = true;
  for (let i = 0; i < n; i++) {
    const p = parent[i];
    parentOf[i] = p >= 0 && p < n && p !== i ? p : -1;
    childCount[parentOf[i] + 1]++; // slot 0 counts the roots
    if (i > 0 && start[i] < start[i - 1]) inStartOrder = false;
  }
  // Children of span p (roots for p = -1) are kids[first[p + 1] .. first[p + 2]).
  const first = new Int32Array(n + 2);
  for (let i = 0; i <= n; i++) first[i + 1] = first[i] + childCount[i];
  const fill = first.slice(0, n + 1);
  const kids = new Int32Array(n);
  for (let i = 0; i < n; i++) kids[fill[parentOf[i] + 1]++] = i;
  if (!inStartOrder) {
    for (let p = 0; p <= n; p++) {
      if (first[p + 1] - first[p] > 1) kids.subarray(first[p], first[p + 1]).sort((a, b) => start[a] - start[b]);
    }
  }

  // Iterative depth-first walk: deep traces must not overflow the call stack.
  const spans: UiSpan[] = [];
  const stack = new Int32Array(n);
  const stackParent = new Int32Array(n);
  const stackDepth = new Int32Array(n);
  let top = 0;
  for (let k = first[1] - 1; k >= first[0]; k--) {
    stack[top] = kids[k];
    stackParent[top] = -1;
    stackDepth[top++] = 0;
  }
  let maxDepth = 0;
  let errorCount = 0;
  let end = 0;
  const serviceIds = new Set<number>();
  while (top > 0) {
    top--;
    const f = stack[top];
    const depth = stackDepth[top];
    const up = stackParent[top];
    const index = spans.length;
    const statusCode = outline.statusCode[f];
    const isError = statusCode === 2;
    spans.push({
      index,
      spanId: outline.spanId[f],
      name: strings[outline.name[f]],
      kind: outline.kind[f],
      statusCode,
      statusMessage: strings[outline.statusMessage[f]],
      service: strings[outline.service[f]],
      start: start[f] / 1e6,
      duration: duration[f] / 1e6,
      depth,
      parent: up,
      children: [],
      subtreeEnd: index + 1,
      isError,
    });
    if (up >= 0) spans[up].children.push(index);
    if (depth > maxDepth) maxDepth = depth;
    if (isError) errorCount++;
    serviceIds.add(outline.service[f]);
    if (start[f] + duration[f] > end) end = start[f] + duration[f];
    for (let k = first[f + 2] - 1; k >= first[f + 1]; k--) {
      stack[top] = kids[k];
      stackParent[top] = index;
      stackDepth[top++] = depth + 1;
    }
  }
  for (let i = spans.length - 1; i >= 0; i--) {
    const s = spans[i];
    if (s.children.length > 0) s.subtreeEnd = spans[s.children[s.children.length - 1]].subtreeEnd;
  }
  const startNs = BigInt(outline.startTimeUnixNano);
  return {
    traceId: outline.traceId,
    spans,
    startNs,
    startMs: Number(startNs / 1_000_000n) + Number(startNs % 1_000_000n) / 1e6,
    durationMs: end / 1e6,
    services: [...serviceIds].map((i) => strings[i]).sort(),
    errorCount,
    maxDepth,
  };
}

/**
 * Lower-case text a find-in-trace query is matched against, per span of the model: names,
 * service, ids, attribute keys and values, events. Attributes come from the full trace.
 */
export function searchTexts(trace: TraceModel, full: OtlpTraces): string[] {
  const kv = (list: OtlpKeyValue[]) => list.map((a) => `${a.key}=${attributeText(a.value)}`).join(' ');
  const extra = new Map<string, string>();
  for (const rs of full.resourceSpans)
    for (const ss of rs.scopeSpans)
      for (const s of ss.spans) extra.set(s.spanId, `${kv(s.attributes)} ${s.events.map((e) => `${e.name} ${kv(e.attributes)}`).join(' ')}`);
  return trace.spans.map((s) => `${s.name} ${s.service} ${s.spanId} ${extra.get(s.spanId) ?? ''}`.toLowerCase());
}
