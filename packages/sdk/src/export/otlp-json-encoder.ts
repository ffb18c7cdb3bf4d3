import type { AttributeValue, Attributes, SpanContext } from '@opentelemetry/api';
import type { AttributeList } from '../trace/attribute-list.js';
import type { RecordingSpan } from '../trace/recording-span.js';
import { hrToNanoString } from '../trace/time.js';
import { groupSpans } from './group-spans.js';

type JsonAnyValue = Record<string, unknown>;

// The protobuf JSON mapping: int64 as decimal strings, non-finite doubles as strings, ids as hex (OTLP's rule).
function anyValue(value: AttributeValue | null | undefined): JsonAnyValue {
  switch (typeof value) {
    case 'string':
      return { stringValue: value };
    case 'boolean':
      return { boolValue: value };
    case 'number':
      if (Number.isSafeInteger(value)) return { intValue: String(value) };
      return { doubleValue: Number.isFinite(value) ? value : String(value) };
    default:
      if (Array.isArray(value)) {
        return { arrayValue: { values: (value as Array<AttributeValue | null | undefined>).map(anyValue) } };
      }
      return {};
  }
}

function keyValues(list: AttributeList): Array<{ key: string; value: JsonAnyValue }> {
  const out = [];
  for (let i = 0; i < list.length; i += 2) out.push({ key: list[i] as string, value: anyValue(list[i + 1]) });
  return out;
}

function recordKeyValues(attributes: Attributes): Array<{ key: string; value: JsonAnyValue }> {
  return Object.entries(attributes)
    .filter(([, v]) => v !== undefined)
    .map(([key, v]) => ({ key, value: anyValue(v) }));
}

function flagsOf(context: SpanContext | undefined, traceFlags: number): number {
  return (traceFlags & 0xff) | 0x100 | (context?.isRemote ? 0x200 : 0);
}

function span(s: RecordingSpan): Record<string, unknown> {
  const sc = s.spanContext();
  const parent = s.parentSpanContext;
  const out: Record<string, unknown> = {
    traceId: sc.traceId,
    spanId: sc.spanId,
    name: s.name,
    kind: s.kind + 1,
    startTimeUnixNano: hrToNanoString(s.startTime),
    endTimeUnixNano: hrToNanoString(s.endTime ?? s.startTime),
    attributes: keyValues(s.attributes),
    droppedAttributesCount: s.droppedAttributesCount,
    events: (s.events ?? []).map((e) => ({
      timeUnixNano: hrToNanoString(e.time),
      name: e.name,
      attributes: keyValues(e.attributes),
      droppedAttributesCount: e.droppedAttributesCount,
    })),
    droppedEventsCount: s.droppedEventsCount,
    links: (s.links ?? []).map((l) => {
      const link: Record<string, unknown> = {
        traceId: l.context.traceId,
        spanId: l.context.spanId,
        attributes: keyValues(l.attributes),
        droppedAttributesCount: l.droppedAttributesCount,
        flags: flagsOf(l.context, l.context.traceFlags),
      };
      const state = l.context.traceState?.serialize();
      if (state) link.traceState = state;
      return link;
    }),
    droppedLinksCount: s.droppedLinksCount,
    flags: flagsOf(parent, sc.traceFlags),
  };
  const state = sc.traceState?.serialize();
  if (state) out.traceState = state;
  if (parent !== undefined) out.parentSpanId = parent.spanId;
  if (s.statusMessage !== undefined) out.status = { code: s.statusCode, message: s.statusMessage };
  else if (s.statusCode !== 0) out.status = { code: s.statusCode };
  return out;
}

/** An OTLP/JSON ExportTraceServiceRequest. */
export function encodeTraceRequestJson(spans: readonly RecordingSpan[]): Uint8Array {
  const request = {
    resourceSpans: groupSpans(spans).map((group) => ({
      resource: { attributes: recordKeyValues(group.resource.attributes), droppedAttributesCount: 0 },
      scopeSpans: [...group.scopes].map(([owner, list]) => ({
        scope: { name: owner.scope.name, version: owner.scope.version ?? '' },
        spans: list.map(span),
        ...(owner.scope.schemaUrl ? { schemaUrl: owner.scope.schemaUrl } : {}),
      })),
      ...(group.resource.schemaUrl ? { schemaUrl: group.resource.schemaUrl } : {}),
    })),
  };
  return Buffer.from(JSON.stringify(request), 'utf8');
}
