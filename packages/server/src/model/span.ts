/**
 * The one span model of the backend: OTLP-shaped, normalized. Every receiver produces it, every
 * processor and storage backend consumes it.
 *
 * Conventions: ids are lowercase hex (trace 32 chars, span 16 chars, '' when absent); times are
 * bigint nanoseconds since the Unix epoch; attribute integers are `bigint` and doubles `number`,
 * so the OTLP int/double distinction survives storage and reaches Jaeger's typed tags.
 */

export type AttributeValue =
  | string
  | boolean
  | number
  | bigint
  | Uint8Array
  | AttributeValue[]
  | { [key: string]: AttributeValue };

export type Attributes = Record<string, AttributeValue>;

/** OTLP span kind numbering. */
export const SpanKind = {
  UNSPECIFIED: 0,
  INTERNAL: 1,
  SERVER: 2,
  CLIENT: 3,
  PRODUCER: 4,
  CONSUMER: 5,
} as const;
export type SpanKind = (typeof SpanKind)[keyof typeof SpanKind];

/** OTLP status code numbering. */
export const StatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;
export type StatusCode = (typeof StatusCode)[keyof typeof StatusCode];

export interface Resource {
  attributes: Attributes;
  droppedAttributesCount: number;
  schemaUrl: string;
  /** `service.name` of the resource, 'unknown_service' when absent (as OTLP says). */
  serviceName: string;
}

export interface InstrumentationScope {
  name: string;
  version: string;
  attributes: Attributes;
  droppedAttributesCount: number;
  schemaUrl: string;
}

export interface SpanEvent {
  timeUnixNano: bigint;
  name: string;
  attributes: Attributes;
  droppedAttributesCount: number;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: Attributes;
  droppedAttributesCount: number;
  flags: number;
}

export interface SpanStatus {
  code: StatusCode;
  message: string;
}

export interface Span {
  traceId: string;
  spanId: string;
  /** '' for a root span. */
  parentSpanId: string;
  traceState: string;
  flags: number;
  name: string;
  kind: SpanKind;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Attributes;
  droppedAttributesCount: number;
  events: SpanEvent[];
  droppedEventsCount: number;
  links: SpanLink[];
  droppedLinksCount: number;
  status: SpanStatus;
  /** Shared by reference between the spans of one OTLP ResourceSpans. */
  resource: Resource;
  /** Shared by reference between the spans of one OTLP ScopeSpans. */
  scope: InstrumentationScope;
}

/** Spans of one tenant, as received together. */
export interface SpanBatch {
  tenant: string;
  spans: Span[];
}

export const DEFAULT_TENANT = 'default';
export const UNKNOWN_SERVICE = 'unknown_service';

export interface TimeRange {
  startUnixNano: bigint;
  endUnixNano: bigint;
}
