import type { Component } from '../model/component.js';
import type { Span, SpanBatch, SpanKind, TimeRange } from '../model/span.js';
import type { TraceOutline } from '../model/trace-outline.js';

/** Writes spans. Idempotent: a span written twice is read once (a backend may keep the copy until it compacts). Resolves when durable. */
export interface SpanWriter {
  writeSpans(batch: SpanBatch): Promise<void>;
}

export interface TraceQuery {
  tenant?: string;
  service?: string;
  operation?: string;
  spanKind?: SpanKind;
  /**
   * Every pair must hold on one and the same span (Jaeger semantics), as an attribute of the span,
   * of its resource or of one of its events (Jaeger's log fields); values are string-compared.
   */
  tags?: Record<string, string>;
  minDurationNano?: bigint;
  maxDurationNano?: bigint;
  /** Traces with a matching span that starts inside this window. */
  startUnixNano?: bigint;
  endUnixNano?: bigint;
  limit: number;
}

export interface Operation {
  name: string;
  spanKind: SpanKind;
}

export interface DependencyEdge {
  parent: string;
  child: string;
  callCount: number;
}

/** Reads spans; answers only from what `SpanWriter.writeSpans` acknowledged. */
export interface SpanReader {
  /** All spans of a trace, each once; [] when unknown. */
  getTrace(traceId: string, range?: TimeRange, tenant?: string): Promise<Span[]>;
  /** Ids of the traces matching the query, newest matching span first, at most `limit`. */
  findTraceIds(query: TraceQuery): Promise<string[]>;
  getServices(tenant?: string): Promise<string[]>;
  getOperations(service: string, spanKind?: SpanKind, tenant?: string): Promise<Operation[]>;
  /** Calls between different services (parent span's service → child span's service), the child starting in the range. */
  getDependencies(range: TimeRange, tenant?: string): Promise<DependencyEdge[]>;
  /** Optional fast path: `traceOutlineOf(getTrace(traceId))` without reading what the outline leaves out; undefined when the trace is unknown. */
  getTraceOutline?(traceId: string, tenant?: string): Promise<TraceOutline | undefined>;
  /** Optional fast path: the span of `getTrace(traceId)` with this id, undefined when there is none. */
  getSpan?(traceId: string, spanId: string, tenant?: string): Promise<Span | undefined>;
}

/** A storage backend: both sides, and retention. `shutdown` flushes and closes. */
export interface SpanStore extends SpanWriter, SpanReader, Component {
  /** Deletes spans that started before the cut-off; returns how many were removed. */
  purgeBefore(cutoffUnixNano: bigint): Promise<number>;
}
