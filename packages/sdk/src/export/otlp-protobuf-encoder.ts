import type { AttributeValue, SpanContext } from '@opentelemetry/api';
import type { Resource } from '../resource/resource.js';
import type { AttributeList } from '../trace/attribute-list.js';
import type { InstrumentationScope } from '../trace/instrumentation-scope.js';
import type { RecordingSpan } from '../trace/recording-span.js';
import { groupSpans } from './group-spans.js';
import { ProtobufWriter } from './protobuf-writer.js';

// OTLP flags: bit 8 says whether the remote bit (9) is known.
const HAS_IS_REMOTE = 0x100;
const IS_REMOTE = 0x200;

function anyValue(w: ProtobufWriter, field: number, value: AttributeValue | null | undefined): void {
  const mark = w.fork(field, 1);
  switch (typeof value) {
    case 'string':
      w.string(1, value);
      break;
    case 'boolean':
      w.bool(2, value);
      break;
    case 'number':
      if (Number.isSafeInteger(value)) w.int64(3, value);
      else w.double(4, value);
      break;
    default:
      if (Array.isArray(value)) {
        const array = w.fork(5, 1);
        for (const element of value as Array<AttributeValue | null | undefined>) anyValue(w, 1, element);
        w.join(array);
      }
  }
  w.join(mark);
}

function keyValues(w: ProtobufWriter, field: number, list: AttributeList): void {
  for (let i = 0; i < list.length; i += 2) {
    const value = list[i + 1];
    if (typeof value === 'string') {
      w.keyValueString(field, list[i] as string, value);
      continue;
    }
    const mark = w.fork(field, 1);
    w.string(1, list[i] as string);
    anyValue(w, 2, value);
    w.join(mark);
  }
}

function recordKeyValues(w: ProtobufWriter, field: number, attributes: Resource['attributes']): void {
  for (const key in attributes) {
    const value = attributes[key];
    if (value === undefined) continue;
    const mark = w.fork(field, 1);
    w.string(1, key);
    anyValue(w, 2, value);
    w.join(mark);
  }
}

function flagsOf(context: SpanContext | undefined, traceFlags: number): number {
  return (traceFlags & 0xff) | HAS_IS_REMOTE | (context?.isRemote ? IS_REMOTE : 0);
}

function span(w: ProtobufWriter, s: RecordingSpan): void {
  const mark = w.fork(2, 2);
  const sc = s.spanContext();
  w.hexBytes(1, sc.traceId);
  w.hexBytes(2, sc.spanId);
  const state = sc.traceState?.serialize();
  if (state) w.string(3, state);
  const parent = s.parentSpanContext;
  if (parent !== undefined) w.hexBytes(4, parent.spanId);
  w.string(5, s.name);
  w.uint32(6, s.kind + 1);
  w.time(7, s.startTime);
  w.time(8, s.endTime ?? s.startTime);
  keyValues(w, 9, s.attributes);
  if (s.droppedAttributesCount > 0) w.uint32(10, s.droppedAttributesCount);
  if (s.events !== undefined) {
    for (const e of s.events) {
      const em = w.fork(11, 1);
      w.time(1, e.time);
      w.string(2, e.name);
      keyValues(w, 3, e.attributes);
      if (e.droppedAttributesCount > 0) w.uint32(4, e.droppedAttributesCount);
      w.join(em);
    }
  }
  if (s.droppedEventsCount > 0) w.uint32(12, s.droppedEventsCount);
  if (s.links !== undefined) {
    for (const l of s.links) {
      const lm = w.fork(13, 1);
      w.hexBytes(1, l.context.traceId);
      w.hexBytes(2, l.context.spanId);
      const linkState = l.context.traceState?.serialize();
      if (linkState) w.string(3, linkState);
      keyValues(w, 4, l.attributes);
      if (l.droppedAttributesCount > 0) w.uint32(5, l.droppedAttributesCount);
      w.fixed32(6, flagsOf(l.context, l.context.traceFlags));
      w.join(lm);
    }
  }
  if (s.droppedLinksCount > 0) w.uint32(14, s.droppedLinksCount);
  if (s.statusCode !== 0 || s.statusMessage !== undefined) {
    const st = w.fork(15, 1);
    if (s.statusMessage !== undefined) w.string(2, s.statusMessage);
    if (s.statusCode !== 0) w.uint32(3, s.statusCode);
    w.join(st);
  }
  w.fixed32(16, flagsOf(parent, sc.traceFlags));
  w.join(mark);
}

function scope(w: ProtobufWriter, sc: InstrumentationScope): void {
  const mark = w.fork(1, 1);
  w.string(1, sc.name);
  if (sc.version) w.string(2, sc.version);
  w.join(mark);
}

// The last request's size, to size the next one's buffer so that it rarely grows.
let sizeHint = 64 * 1024;

/**
 * An OTLP ExportTraceServiceRequest, written straight from the span objects with a hand-written
 * protobuf writer: no intermediate OTLP object tree, no generic serializer. This is where most
 * of the SDK's per-span saving over OpenTelemetry JS comes from.
 */
export function encodeTraceRequestProtobuf(spans: readonly RecordingSpan[]): Uint8Array {
  const w = new ProtobufWriter(sizeHint);
  for (const group of groupSpans(spans)) {
    const rs = w.fork(1, 3);
    const res = w.fork(1, 2);
    recordKeyValues(w, 1, group.resource.attributes);
    w.join(res);
    for (const [owner, list] of group.scopes) {
      const ss = w.fork(2, 3);
      scope(w, owner.scope);
      for (const s of list) span(w, s);
      if (owner.scope.schemaUrl) w.string(3, owner.scope.schemaUrl);
      w.join(ss);
    }
    if (group.resource.schemaUrl) w.string(3, group.resource.schemaUrl);
    w.join(rs);
  }
  sizeHint = Math.max(4096, w.pos + (w.pos >>> 3));
  return w.finish();
}
