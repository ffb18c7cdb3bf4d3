/*
 * The shapes the UI reads from the query API (the server's OTLP/JSON trace encoding and native
 * JSON answers). Written here rather than imported, since the server's sources are Node code.
 */

export type OtlpAnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number | string }
  | { bytesValue: string }
  | { arrayValue: { values: OtlpAnyValue[] } }
  | { kvlistValue: { values: OtlpKeyValue[] } };

export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}

export interface OtlpEvent {
  timeUnixNano: string;
  name: string;
  attributes: OtlpKeyValue[];
}

export interface OtlpLink {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: OtlpKeyValue[];
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  traceState: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpKeyValue[];
  events: OtlpEvent[];
  links: OtlpLink[];
  status: { code: number; message: string };
}

export interface OtlpResource {
  attributes: OtlpKeyValue[];
}

export interface OtlpScope {
  name: string;
  version: string;
  attributes: OtlpKeyValue[];
}

export interface OtlpTraces {
  resourceSpans: { resource: OtlpResource; schemaUrl: string; scopeSpans: { scope: OtlpScope; schemaUrl: string; spans: OtlpSpan[] }[] }[];
}

export interface TraceSummary {
  traceId: string;
  rootService: string;
  rootName: string;
  startMs: number;
  durationMs: number;
  spanCount: number;
  errorCount: number;
  services: { name: string; spans: number; errors: number }[];
}

export interface SearchAnswer {
  traces: TraceSummary[];
}

export interface RedPoint {
  timestamp: number;
  requests: number;
  errors: number;
  errorRate: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface RedAnswer {
  series: { service: string; operation?: string; points: RedPoint[] }[];
}

export interface GraphEdge {
  parent: string;
  child: string;
  calls: number;
  errors: number;
  errorRate: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface GraphAnswer {
  nodes: { name: string; callsIn: number; callsOut: number; errorsIn: number }[];
  edges: GraphEdge[];
}

export interface ErrorGroup {
  service: string;
  errorType: string;
  message: string;
  frame: string;
  count: number;
  points: { timestamp: number; count: number }[];
  exampleTraceIds: string[];
}

export interface ErrorsAnswer {
  groups: ErrorGroup[];
}

/** Jaeger's envelope, for /api/services and operations. */
export interface JaegerEnvelope<T> {
  data: T;
}

/** `GET /api/v1/traces/:id/outline`: a trace's spans as columns (column i of every array is span i), without attributes, events, links, resource or scope. */
export interface TraceOutline {
  traceId: string;
  /** Earliest span start, ns since the epoch, decimal. */
  startTimeUnixNano: string;
  /** The texts `service`, `name` and `statusMessage` index. */
  strings: string[];
  spanId: string[];
  /** Parent's index in these columns; -1 for a root or a missing parent. */
  parent: number[];
  /** ns after startTimeUnixNano. */
  start: number[];
  /** ns. */
  duration: number[];
  service: number[];
  name: number[];
  kind: number[];
  statusCode: number[];
  statusMessage: number[];
}
