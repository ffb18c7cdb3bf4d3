import type { AttributeValue, SpanContext } from '@opentelemetry/api';
import type { Resource } from '../resource/resource.js';
import type { AttributeList } from '../trace/attribute-list.js';
import type { InstrumentationScope } from '../trace/instrumentation-scope.js';
import type { RecordingSpan } from '../trace/recording-span.js';
import type { SpanOwner } from '../trace/span-owner.js';
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

function keyValue(w: ProtobufWriter, field: number, key: string, value: AttributeValue): void {
  if (typeof value === 'string') {
    w.keyValueString(field, key, value);
  } else if (typeof value === 'number' && Number.isSafeInteger(value)) {
    w.keyValueInt(field, key, value);
  } else {
    const mark = w.fork(field, 1);
    w.string(1, key);
    anyValue(w, 2, value);
    w.join(mark);
  }
}

function keyValues(w: ProtobufWriter, field: number, list: AttributeList): void {
  for (let i = 0; i < list.length; i += 2) keyValue(w, field, list[i] as string, list[i + 1]);
}

// Spans of one request mostly repeat the previous span's name and many of its attributes
// (method, route, host), in the same order. Slot j remembers the j-th attribute (slot NAME_SLOT
// the name and kind) last encoded and where its bytes are in the request; an equal one is
// copied from there instead of being encoded again. `moves` tells when those bytes have moved.
const MEMO_SLOTS = 16;
const NAME_SLOT = MEMO_SLOTS;
const memoKey: unknown[] = new Array<unknown>(MEMO_SLOTS + 1).fill(undefined);
const memoValue: unknown[] = new Array<unknown>(MEMO_SLOTS + 1).fill(undefined);
const memoStart: number[] = new Array<number>(MEMO_SLOTS + 1).fill(0);
const memoEnd: number[] = new Array<number>(MEMO_SLOTS + 1).fill(0);
const memoMoves: number[] = new Array<number>(MEMO_SLOTS + 1).fill(-1);

function forgetMemo(): void {
  memoMoves.fill(-1);
  memoKey.fill(undefined);
  memoValue.fill(undefined);
}

/**
 * Name, kind and attributes, written next to each other (protobuf fields may come in any order)
 * so that a span repeating the previous span's name, kind and leading attributes copies them
 * in one piece.
 */
function nameKindAttributes(w: ProtobufWriter, s: RecordingSpan): void {
  // Remembered fields that lie next to each other in the request are copied at once.
  let copyStart = 0;
  let copyEnd = 0;
  if (memoKey[NAME_SLOT] === s.name && memoValue[NAME_SLOT] === s.kind && memoMoves[NAME_SLOT] === w.moves) {
    copyStart = memoStart[NAME_SLOT];
    copyEnd = memoEnd[NAME_SLOT];
  } else {
    const start = w.pos;
    w.string(5, s.name);
    w.uint32(6, s.kind + 1);
    memoKey[NAME_SLOT] = s.name;
    memoValue[NAME_SLOT] = s.kind;
    memoStart[NAME_SLOT] = start;
    memoEnd[NAME_SLOT] = w.pos;
    memoMoves[NAME_SLOT] = w.moves;
  }
  const list = s.attributes;
  for (let i = 0, j = 0; i < list.length; i += 2, j++) {
    const key = list[i] as string;
    const value = list[i + 1];
    if (j < MEMO_SLOTS && memoKey[j] === key && memoValue[j] === value && memoMoves[j] === w.moves) {
      if (copyEnd !== memoStart[j]) {
        if (copyEnd > copyStart) w.repeat(copyStart, copyEnd);
        copyStart = memoStart[j];
      }
      copyEnd = memoEnd[j];
      continue;
    }
    if (copyEnd > copyStart) w.repeat(copyStart, copyEnd);
    copyStart = copyEnd = 0;
    const start = w.pos;
    keyValue(w, 9, key, value);
    if (j < MEMO_SLOTS) {
      memoKey[j] = key;
      memoValue[j] = value;
      memoStart[j] = start;
      memoEnd[j] = w.pos;
      memoMoves[j] = w.moves;
    }
  }
  if (copyEnd > copyStart) w.repeat(copyStart, copyEnd);
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
  w.id128(1, s.t0, s.t1, s.t2, s.t3);
  w.id64(2, s.s0, s.s1);
  const state = s.traceState?.serialize();
  if (state) w.string(3, state);
  if (s.hasParent) w.id64(4, s.p0, s.p1);
  nameKindAttributes(w, s);
  w.secNanos(7, s.startSec, s.startNanos);
  if (s.ended) w.secNanos(8, s.endSec, s.endNanos);
  else w.secNanos(8, s.startSec, s.startNanos);
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
  w.fixed32(16, flagsOf(s.parentContext, s.traceFlags));
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
  forgetMemo();
  if (spans.length > 0 && fromOneTracer(spans)) {
    // The common batch: every span from one tracer, so no grouping (nor its arrays) is needed.
    const owner = spans[0].owner;
    const rs = w.fork(1, 3);
    resource(w, owner.resource);
    scopeSpans(w, owner, spans);
    if (owner.resource.schemaUrl) w.string(3, owner.resource.schemaUrl);
    w.join(rs);
  } else {
    for (const group of groupSpans(spans)) {
      const rs = w.fork(1, 3);
      resource(w, group.resource);
      for (const [owner, list] of group.scopes) scopeSpans(w, owner, list);
      if (group.resource.schemaUrl) w.string(3, group.resource.schemaUrl);
      w.join(rs);
    }
  }
  forgetMemo();
  sizeHint = Math.max(4096, w.pos + (w.pos >>> 3));
  return w.finish();
}

function fromOneTracer(spans: readonly RecordingSpan[]): boolean {
  const owner = spans[0].owner;
  for (let i = 1; i < spans.length; i++) if (spans[i].owner !== owner) return false;
  return true;
}

function resource(w: ProtobufWriter, r: Resource): void {
  const res = w.fork(1, 2);
  recordKeyValues(w, 1, r.attributes);
  w.join(res);
}

function scopeSpans(w: ProtobufWriter, owner: SpanOwner, list: readonly RecordingSpan[]): void {
  const ss = w.fork(2, 3);
  scope(w, owner.scope);
  for (let i = 0; i < list.length; i++) span(w, list[i]);
  if (owner.scope.schemaUrl) w.string(3, owner.scope.schemaUrl);
  w.join(ss);
}
