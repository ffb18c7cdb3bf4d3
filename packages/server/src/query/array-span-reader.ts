import type { Span, SpanKind, TimeRange } from '../model/span.js';
import type { DependencyEdge, Operation, SpanReader, TraceQuery } from '../storage/span-store.js';

/** A SpanReader over an array, for route tests: records the calls it receives. */
export class ArraySpanReader implements SpanReader {
  readonly calls: { method: string; args: unknown[] }[] = [];
  dependencies: DependencyEdge[] = [];
  failWith?: Error;

  constructor(private readonly spans: Span[]) {}

  private record(method: string, ...args: unknown[]): void {
    this.calls.push({ method, args });
    if (this.failWith) throw this.failWith;
  }

  async getTrace(traceId: string, range?: TimeRange): Promise<Span[]> {
    this.record('getTrace', traceId, range);
    return this.spans.filter((s) => s.traceId === traceId);
  }

  async findTraceIds(query: TraceQuery): Promise<string[]> {
    this.record('findTraceIds', query);
    const ids: string[] = [];
    const newestFirst = [...this.spans].sort((a, b) => (a.startTimeUnixNano > b.startTimeUnixNano ? -1 : 1));
    for (const s of newestFirst) {
      if (query.service !== undefined && s.resource.serviceName !== query.service) continue;
      if (query.operation !== undefined && s.name !== query.operation) continue;
      if (!ids.includes(s.traceId)) ids.push(s.traceId);
    }
    return ids.slice(0, query.limit);
  }

  async getServices(): Promise<string[]> {
    this.record('getServices');
    return [...new Set(this.spans.map((s) => s.resource.serviceName))].sort();
  }

  async getOperations(service: string, spanKind?: SpanKind): Promise<Operation[]> {
    this.record('getOperations', service, spanKind);
    const ops = new Map<string, Operation>();
    for (const s of this.spans) {
      if (s.resource.serviceName !== service || (spanKind !== undefined && s.kind !== spanKind)) continue;
      ops.set(`${s.name}\u0000${s.kind}`, { name: s.name, spanKind: s.kind });
    }
    return [...ops.values()];
  }

  async getDependencies(range: TimeRange): Promise<DependencyEdge[]> {
    this.record('getDependencies', range);
    return this.dependencies;
  }
}
