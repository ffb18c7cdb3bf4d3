import type { AttributeValue, Attributes, InstrumentationScope, Resource, Span } from '../model/span.js';

/*
 * Spans as an OTLP/JSON `ExportTraceServiceRequest` (the OTLP spec's JSON encoding of
 * protobuf): ids as hex, 64-bit integers and nanosecond times as decimal strings, enums as
 * numbers, bytes as base64. Every field is written, defaults included, so readers need no
 * defaulting of their own; OTLP JSON readers accept both.
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

export interface OtlpJsonSpan {
  traceId: string;
  spanId: string;
  traceState: string;
  parentSpanId: string;
  flags: number;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpKeyValue[];
  droppedAttributesCount: number;
  events: { timeUnixNano: string; name: string; attributes: OtlpKeyValue[]; droppedAttributesCount: number }[];
  droppedEventsCount: number;
  links: { traceId: string; spanId: string; traceState: string; attributes: OtlpKeyValue[]; droppedAttributesCount: number; flags: number }[];
  droppedLinksCount: number;
  status: { code: number; message: string };
}

export interface OtlpJsonScopeSpans {
  scope: { name: string; version: string; attributes: OtlpKeyValue[]; droppedAttributesCount: number };
  schemaUrl: string;
  spans: OtlpJsonSpan[];
}

export interface OtlpJsonResourceSpans {
  resource: { attributes: OtlpKeyValue[]; droppedAttributesCount: number };
  schemaUrl: string;
  scopeSpans: OtlpJsonScopeSpans[];
}

export interface OtlpJsonTraces {
  resourceSpans: OtlpJsonResourceSpans[];
}

/** One attribute value in OTLP/JSON's AnyValue form. */
export function toOtlpAnyValue(value: AttributeValue): OtlpAnyValue {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'bigint') return { intValue: value.toString() };
  // Protobuf JSON writes non-finite doubles as strings.
  if (typeof value === 'number') return { doubleValue: Number.isFinite(value) ? value : String(value) };
  if (value instanceof Uint8Array) return { bytesValue: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(toOtlpAnyValue) } };
  return { kvlistValue: { values: toOtlpAttributes(value) } };
}

export const toOtlpAttributes = (attributes: Attributes): OtlpKeyValue[] =>
  Object.keys(attributes).map((key) => ({ key, value: toOtlpAnyValue(attributes[key]) }));

function toOtlpSpan(span: Span): OtlpJsonSpan {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    traceState: span.traceState,
    parentSpanId: span.parentSpanId,
    flags: span.flags,
    name: span.name,
    kind: span.kind,
    startTimeUnixNano: span.startTimeUnixNano.toString(),
    endTimeUnixNano: span.endTimeUnixNano.toString(),
    attributes: toOtlpAttributes(span.attributes),
    droppedAttributesCount: span.droppedAttributesCount,
    events: span.events.map((e) => ({
      timeUnixNano: e.timeUnixNano.toString(),
      name: e.name,
      attributes: toOtlpAttributes(e.attributes),
      droppedAttributesCount: e.droppedAttributesCount,
    })),
    droppedEventsCount: span.droppedEventsCount,
    links: span.links.map((l) => ({
      traceId: l.traceId,
      spanId: l.spanId,
      traceState: l.traceState,
      attributes: toOtlpAttributes(l.attributes),
      droppedAttributesCount: l.droppedAttributesCount,
      flags: l.flags,
    })),
    droppedLinksCount: span.droppedLinksCount,
    status: { code: span.status.code, message: span.status.message },
  };
}

/**
 * Groups by resource and scope: by reference first (spans of one ResourceSpans share them),
 * then by content, since a store may hand back equal copies.
 */
class Grouper<T extends object> {
  private readonly byRef = new Map<T, string>();
  private readonly byKey = new Map<string, number>();
  constructor(private readonly keyOf: (item: T) => string) {}

  /** Index of the group of `item`, and whether it is new. */
  indexOf(item: T): { index: number; created: boolean } {
    let key = this.byRef.get(item);
    if (key === undefined) {
      key = this.keyOf(item);
      this.byRef.set(item, key);
    }
    const known = this.byKey.get(key);
    if (known !== undefined) return { index: known, created: false };
    const index = this.byKey.size;
    this.byKey.set(key, index);
    return { index, created: true };
  }
}

const contentKey = (attributes: Attributes, ...rest: unknown[]): string =>
  JSON.stringify([toOtlpAttributes(attributes), ...rest]);

/** Spans (of one trace, or any) as `{resourceSpans: [...]}`, in order of first appearance. */
export function toOtlpJsonTraces(spans: readonly Span[]): OtlpJsonTraces {
  const resources = new Grouper<Resource>((r) => contentKey(r.attributes, r.droppedAttributesCount, r.schemaUrl));
  const resourceSpans: OtlpJsonResourceSpans[] = [];
  const scopeGroupers: Grouper<InstrumentationScope>[] = [];
  for (const span of spans) {
    const r = resources.indexOf(span.resource);
    if (r.created) {
      resourceSpans.push({
        resource: { attributes: toOtlpAttributes(span.resource.attributes), droppedAttributesCount: span.resource.droppedAttributesCount },
        schemaUrl: span.resource.schemaUrl,
        scopeSpans: [],
      });
      scopeGroupers.push(new Grouper((s) => contentKey(s.attributes, s.name, s.version, s.droppedAttributesCount, s.schemaUrl)));
    }
    const scope = scopeGroupers[r.index].indexOf(span.scope);
    const scopeSpans = resourceSpans[r.index].scopeSpans;
    if (scope.created) {
      scopeSpans.push({
        scope: {
          name: span.scope.name,
          version: span.scope.version,
          attributes: toOtlpAttributes(span.scope.attributes),
          droppedAttributesCount: span.scope.droppedAttributesCount,
        },
        schemaUrl: span.scope.schemaUrl,
        spans: [],
      });
    }
    scopeSpans[scope.index].spans.push(toOtlpSpan(span));
  }
  return { resourceSpans };
}
