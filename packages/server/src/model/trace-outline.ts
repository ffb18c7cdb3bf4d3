import type { Span } from './span.js';

/**
 * The spans of one trace as columns, for drawing its waterfall: what a row shows (ids, tree,
 * times, service, name, kind, status) and nothing else, no attributes, events, links, resource
 * or scope. Column i of every array is span i; spans are in start order, each once.
 */
export interface TraceOutline {
  traceId: string;
  /** The earliest span start, ns since the epoch, as a decimal string. */
  startTimeUnixNano: string;
  /** The texts that `service`, `name` and `statusMessage` index. */
  strings: string[];
  spanId: string[];
  /** Index of the parent span in these columns; -1 for a root or a parent missing from the trace. */
  parent: number[];
  /** ns after `startTimeUnixNano` (exact: a double holds ns up to 104 days). */
  start: number[];
  /** ns. */
  duration: number[];
  service: number[];
  name: number[];
  kind: number[];
  statusCode: number[];
  statusMessage: number[];
}

/** Builds a TraceOutline span by span, in start order; a span whose id and start repeat the previous span's is a redelivered copy and is skipped. */
export class TraceOutlineBuilder {
  private readonly strings: string[] = [];
  private readonly stringIndex = new Map<string, number>();
  private readonly spanId: string[] = [];
  private readonly parentId: string[] = [];
  private readonly startNs: bigint[] = [];
  private readonly duration: number[] = [];
  private readonly service: number[] = [];
  private readonly name: number[] = [];
  private readonly kind: number[] = [];
  private readonly statusCode: number[] = [];
  private readonly statusMessage: number[] = [];

  constructor(private readonly traceId: string) {}

  private text(s: string): number {
    let i = this.stringIndex.get(s);
    if (i === undefined) {
      i = this.strings.push(s) - 1;
      this.stringIndex.set(s, i);
    }
    return i;
  }

  add(spanId: string, parentSpanId: string, startNs: bigint, durationNs: bigint | number, service: string, name: string, kind: number, statusCode: number, statusMessage: string): void {
    const last = this.spanId.length - 1;
    if (last >= 0 && this.spanId[last] === spanId && this.startNs[last] === startNs) return;
    this.spanId.push(spanId);
    this.parentId.push(parentSpanId);
    this.startNs.push(startNs);
    this.duration.push(Number(durationNs));
    this.service.push(this.text(service));
    this.name.push(this.text(name));
    this.kind.push(kind);
    this.statusCode.push(statusCode);
    this.statusMessage.push(this.text(statusMessage));
  }

  finish(): TraceOutline {
    let min = this.startNs[0] ?? 0n;
    for (const s of this.startNs) if (s < min) min = s;
    const index = new Map<string, number>();
    this.spanId.forEach((id, i) => index.set(id, i));
    return {
      traceId: this.traceId,
      startTimeUnixNano: min.toString(),
      strings: this.strings,
      spanId: this.spanId,
      parent: this.parentId.map((p) => (p === '' ? -1 : (index.get(p) ?? -1))),
      start: this.startNs.map((s) => Number(s - min)),
      duration: this.duration,
      service: this.service,
      name: this.name,
      kind: this.kind,
      statusCode: this.statusCode,
      statusMessage: this.statusMessage,
    };
  }
}

/** The outline of a trace's spans as any SpanReader returns them. */
export function traceOutlineOf(traceId: string, spans: readonly Span[]): TraceOutline {
  const sorted = [...spans].sort((a, b) => (a.startTimeUnixNano < b.startTimeUnixNano ? -1 : a.startTimeUnixNano > b.startTimeUnixNano ? 1 : a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0));
  const out = new TraceOutlineBuilder(traceId);
  for (const s of sorted) {
    out.add(s.spanId, s.parentSpanId, s.startTimeUnixNano, s.endTimeUnixNano - s.startTimeUnixNano, s.resource.serviceName, s.name, s.kind, s.status.code, s.status.message);
  }
  return out.finish();
}
