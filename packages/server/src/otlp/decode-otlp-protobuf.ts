import { AriadneError } from '../errors.js';
import {
  SpanKind,
  StatusCode,
  UNKNOWN_SERVICE,
  type AttributeValue,
  type Attributes,
  type InstrumentationScope,
  type Resource,
  type Span,
  type SpanEvent,
  type SpanLink,
  type SpanStatus,
} from '../model/span.js';
import type { DecodeResult } from './decode-result.js';
import { ProtobufReader } from './protobuf-reader.js';
import { setAttribute } from './set-attribute.js';
import { SpanRejections, spanRejectReason } from './validate-span.js';

// Tags are (field number << 3 | wire type); a known field with the wrong wire type is skipped as
// unknown, as protobuf-go does. The trace proto has no repeated scalars, so packing never applies.
// Local constants, not imported ones: V8 compiles these switches far better (2.5x, measured).
const LEN_1 = 0x0a;
const LEN_2 = 0x12;
const LEN_3 = 0x1a;
const LEN_4 = 0x22;
const LEN_5 = 0x2a;
const LEN_6 = 0x32;
const LEN_7 = 0x3a;
const LEN_9 = 0x4a;
const LEN_11 = 0x5a;
const LEN_13 = 0x6a;
const LEN_15 = 0x7a;
const VARINT_2 = 0x10;
const VARINT_3 = 0x18;
const VARINT_4 = 0x20;
const VARINT_5 = 0x28;
const VARINT_6 = 0x30;
const VARINT_10 = 0x50;
const VARINT_12 = 0x60;
const VARINT_14 = 0x70;
const I64_1 = 0x09;
const I64_4 = 0x21;
const I64_7 = 0x39;
const I64_8 = 0x41;
const I32_6 = 0x35;
const I32_16 = 0x85;

/** Nesting limit for array and kvlist attribute values, so hostile input cannot exhaust the stack. */
const MAX_VALUE_DEPTH = 32;

/**
 * Decodes an OTLP `ExportTraceServiceRequest` in protobuf into a span batch. Spans with invalid
 * ids are dropped and counted; a body that is not a valid message throws ARIADNE_UNDECODABLE_BODY.
 */
export function decodeOtlpProtobuf(body: Uint8Array, tenant: string): DecodeResult {
  const r = new ProtobufReader(body);
  const spans: Span[] = [];
  const rejections = new SpanRejections();
  try {
    const end = body.length;
    while (r.pos < end) {
      const tag = r.tag(end);
      if (tag === LEN_1) decodeResourceSpans(r, r.lengthEnd(end), spans, rejections);
      else r.skip(tag, end);
    }
  } catch (err) {
    if (err instanceof AriadneError) throw err;
    throw r.malformed((err as Error).message);
  }
  return { batch: { tenant, spans }, rejectedSpans: rejections.count, errorMessage: rejections.message() };
}

function decodeResourceSpans(r: ProtobufReader, end: number, spans: Span[], rejections: SpanRejections): void {
  // Filled as its fields arrive: the resource may come after the spans that share it.
  const resource: Resource = { attributes: {}, droppedAttributesCount: 0, schemaUrl: '', serviceName: UNKNOWN_SERVICE };
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag) {
      case LEN_1:
        decodeResource(r, r.lengthEnd(end), resource);
        break;
      case LEN_2:
        decodeScopeSpans(r, r.lengthEnd(end), resource, spans, rejections);
        break;
      case LEN_3:
        resource.schemaUrl = r.string(end);
        break;
      default:
        r.skip(tag, end);
    }
  }
  const serviceName = resource.attributes['service.name'];
  resource.serviceName = typeof serviceName === 'string' && serviceName !== '' ? serviceName : UNKNOWN_SERVICE;
}

function decodeResource(r: ProtobufReader, end: number, resource: Resource): void {
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === LEN_1) decodeKeyValue(r, r.lengthEnd(end), resource.attributes, 0);
    else if (tag === VARINT_2) resource.droppedAttributesCount = r.uint32(end);
    else r.skip(tag, end);
  }
}

function decodeScopeSpans(
  r: ProtobufReader,
  end: number,
  resource: Resource,
  spans: Span[],
  rejections: SpanRejections,
): void {
  const scope: InstrumentationScope = { name: '', version: '', attributes: {}, droppedAttributesCount: 0, schemaUrl: '' };
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag) {
      case LEN_1:
        decodeScope(r, r.lengthEnd(end), scope);
        break;
      case LEN_2: {
        const span = decodeSpan(r, r.lengthEnd(end), resource, scope);
        const reason = spanRejectReason(span);
        if (reason === undefined) spans.push(span);
        else rejections.add(reason);
        break;
      }
      case LEN_3:
        scope.schemaUrl = r.string(end);
        break;
      default:
        r.skip(tag, end);
    }
  }
}

function decodeScope(r: ProtobufReader, end: number, scope: InstrumentationScope): void {
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag) {
      case LEN_1:
        scope.name = r.string(end);
        break;
      case LEN_2:
        scope.version = r.string(end);
        break;
      case LEN_3:
        decodeKeyValue(r, r.lengthEnd(end), scope.attributes, 0);
        break;
      case VARINT_4:
        scope.droppedAttributesCount = r.uint32(end);
        break;
      default:
        r.skip(tag, end);
    }
  }
}

function decodeSpan(r: ProtobufReader, end: number, resource: Resource, scope: InstrumentationScope): Span {
  let traceId = '';
  let spanId = '';
  let traceState = '';
  let parentSpanId = '';
  let name = '';
  let kind: SpanKind = SpanKind.UNSPECIFIED;
  let start = 0n;
  let stop = 0n;
  const attributes: Attributes = {};
  let droppedAttributesCount = 0;
  const events: SpanEvent[] = [];
  let droppedEventsCount = 0;
  const links: SpanLink[] = [];
  let droppedLinksCount = 0;
  const status: SpanStatus = { code: StatusCode.UNSET, message: '' };
  let flags = 0;
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag) {
      case LEN_1:
        traceId = r.hex(end);
        break;
      case LEN_2:
        spanId = r.hex(end);
        break;
      case LEN_3:
        traceState = r.string(end);
        break;
      case LEN_4:
        parentSpanId = r.hex(end);
        break;
      case LEN_5:
        name = r.string(end);
        break;
      case VARINT_6:
        kind = spanKind(r.uint32(end));
        break;
      case I64_7:
        start = r.fixed64(end);
        break;
      case I64_8:
        stop = r.fixed64(end);
        break;
      case LEN_9:
        decodeKeyValue(r, r.lengthEnd(end), attributes, 0);
        break;
      case VARINT_10:
        droppedAttributesCount = r.uint32(end);
        break;
      case LEN_11:
        events.push(decodeEvent(r, r.lengthEnd(end)));
        break;
      case VARINT_12:
        droppedEventsCount = r.uint32(end);
        break;
      case LEN_13:
        links.push(decodeLink(r, r.lengthEnd(end)));
        break;
      case VARINT_14:
        droppedLinksCount = r.uint32(end);
        break;
      case LEN_15:
        decodeStatus(r, r.lengthEnd(end), status);
        break;
      case I32_16:
        flags = r.fixed32(end);
        break;
      default:
        r.skip(tag, end);
    }
  }
  return {
    traceId,
    spanId,
    parentSpanId,
    traceState,
    flags,
    name,
    kind,
    startTimeUnixNano: start,
    endTimeUnixNano: stop,
    attributes,
    droppedAttributesCount,
    events,
    droppedEventsCount,
    links,
    droppedLinksCount,
    status,
    resource,
    scope,
  };
}

/** Values outside the enum (open in proto3) become UNSPECIFIED, so the model's type holds. */
function spanKind(value: number): SpanKind {
  return value <= SpanKind.CONSUMER ? (value as SpanKind) : SpanKind.UNSPECIFIED;
}

function decodeEvent(r: ProtobufReader, end: number): SpanEvent {
  let timeUnixNano = 0n;
  let name = '';
  const attributes: Attributes = {};
  let droppedAttributesCount = 0;
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag) {
      case I64_1:
        timeUnixNano = r.fixed64(end);
        break;
      case LEN_2:
        name = r.string(end);
        break;
      case LEN_3:
        decodeKeyValue(r, r.lengthEnd(end), attributes, 0);
        break;
      case VARINT_4:
        droppedAttributesCount = r.uint32(end);
        break;
      default:
        r.skip(tag, end);
    }
  }
  return { timeUnixNano, name, attributes, droppedAttributesCount };
}

function decodeLink(r: ProtobufReader, end: number): SpanLink {
  let traceId = '';
  let spanId = '';
  let traceState = '';
  const attributes: Attributes = {};
  let droppedAttributesCount = 0;
  let flags = 0;
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag) {
      case LEN_1:
        traceId = r.hex(end);
        break;
      case LEN_2:
        spanId = r.hex(end);
        break;
      case LEN_3:
        traceState = r.string(end);
        break;
      case LEN_4:
        decodeKeyValue(r, r.lengthEnd(end), attributes, 0);
        break;
      case VARINT_5:
        droppedAttributesCount = r.uint32(end);
        break;
      case I32_6:
        flags = r.fixed32(end);
        break;
      default:
        r.skip(tag, end);
    }
  }
  return { traceId, spanId, traceState, attributes, droppedAttributesCount, flags };
}

function decodeStatus(r: ProtobufReader, end: number, status: SpanStatus): void {
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === LEN_2) status.message = r.string(end);
    else if (tag === VARINT_3) {
      const code = r.uint32(end);
      status.code = code <= StatusCode.ERROR ? (code as StatusCode) : StatusCode.UNSET;
    } else r.skip(tag, end);
  }
}

/** A KeyValue into `target`; a KeyValue whose value is unset has nothing to store and is left out. */
function decodeKeyValue(r: ProtobufReader, end: number, target: Record<string, AttributeValue>, depth: number): void {
  let key = '';
  let value: AttributeValue | undefined;
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === LEN_1) key = r.string(end);
    else if (tag === LEN_2) value = decodeAnyValue(r, r.lengthEnd(end), depth);
    else r.skip(tag, end);
  }
  if (value !== undefined) setAttribute(target, key, value);
}

function decodeAnyValue(r: ProtobufReader, end: number, depth: number): AttributeValue | undefined {
  let value: AttributeValue | undefined;
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag) {
      case LEN_1:
        value = r.string(end);
        break;
      case VARINT_2:
        value = r.bool(end);
        break;
      case VARINT_3:
        value = r.int64(end);
        break;
      case I64_4:
        value = r.double(end);
        break;
      case LEN_5:
        value = decodeArrayValue(r, r.lengthEnd(end), nested(r, depth));
        break;
      case LEN_6: {
        value = {};
        const listEnd = r.lengthEnd(end);
        const inner = nested(r, depth);
        while (r.pos < listEnd) {
          const t = r.tag(listEnd);
          if (t === LEN_1) decodeKeyValue(r, r.lengthEnd(listEnd), value, inner);
          else r.skip(t, listEnd);
        }
        break;
      }
      case LEN_7:
        value = r.bytes(end);
        break;
      default:
        r.skip(tag, end);
    }
  }
  return value;
}

function decodeArrayValue(r: ProtobufReader, end: number, depth: number): AttributeValue[] {
  const values: AttributeValue[] = [];
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === LEN_1) {
      const value = decodeAnyValue(r, r.lengthEnd(end), depth);
      if (value !== undefined) values.push(value);
    } else r.skip(tag, end);
  }
  return values;
}

function nested(r: ProtobufReader, depth: number): number {
  if (depth >= MAX_VALUE_DEPTH) throw r.malformed(`attribute values nested deeper than ${MAX_VALUE_DEPTH}`);
  return depth + 1;
}
