import { Errors } from '../errors.js';
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
import { setAttribute } from './set-attribute.js';
import { SpanRejections, spanRejectReason } from './validate-span.js';

type Json = Record<string, unknown>;

const SPAN_KINDS: Record<string, SpanKind> = {
  SPAN_KIND_UNSPECIFIED: SpanKind.UNSPECIFIED,
  SPAN_KIND_INTERNAL: SpanKind.INTERNAL,
  SPAN_KIND_SERVER: SpanKind.SERVER,
  SPAN_KIND_CLIENT: SpanKind.CLIENT,
  SPAN_KIND_PRODUCER: SpanKind.PRODUCER,
  SPAN_KIND_CONSUMER: SpanKind.CONSUMER,
};
const STATUS_CODES: Record<string, StatusCode> = {
  STATUS_CODE_UNSET: StatusCode.UNSET,
  STATUS_CODE_OK: StatusCode.OK,
  STATUS_CODE_ERROR: StatusCode.ERROR,
};

const MAX_VALUE_DEPTH = 32;
const HEX = /^[0-9a-f]*$/;
const UNSIGNED = /^\d+$/;
const SIGNED = /^-?\d+$/;
const BASE64 = /^[A-Za-z0-9+/\-_]*={0,2}$/;
const text = new TextDecoder();

/**
 * Decodes an OTLP/JSON `ExportTraceServiceRequest` (the OTLP spec's JSON mapping: hex ids, enums
 * as numbers or names, int64 as strings or numbers; the proto's snake_case names are accepted too).
 * Spans with invalid ids are dropped and counted; malformed JSON or a wrong shape throws
 * ARIADNE_UNDECODABLE_BODY naming the offending field. Unknown fields are ignored, as OTLP requires.
 */
export function decodeOtlpJson(body: string | Uint8Array, tenant: string): DecodeResult {
  let root: unknown;
  try {
    root = JSON.parse(typeof body === 'string' ? body : text.decode(body));
  } catch (err) {
    throw Errors.undecodableBody('json', `invalid JSON: ${(err as Error).message}`);
  }
  const spans: Span[] = [];
  const rejections = new SpanRejections();
  const request = message(root, 'request');
  list(field(request, 'resourceSpans', 'resource_spans'), 'resourceSpans').forEach((item, i) =>
    decodeResourceSpans(item, `resourceSpans[${i}]`, spans, rejections),
  );
  return { batch: { tenant, spans }, rejectedSpans: rejections.count, errorMessage: rejections.message() };
}

function decodeResourceSpans(value: unknown, path: string, spans: Span[], rejections: SpanRejections): void {
  const json = message(value, path);
  const r = message(json.resource, `${path}.resource`);
  const attributes = decodeAttributes(r.attributes, `${path}.resource.attributes`);
  const serviceName = attributes['service.name'];
  const resource: Resource = {
    attributes,
    droppedAttributesCount: uint32(field(r, 'droppedAttributesCount', 'dropped_attributes_count'), `${path}.resource.droppedAttributesCount`),
    schemaUrl: string(field(json, 'schemaUrl', 'schema_url'), `${path}.schemaUrl`),
    serviceName: typeof serviceName === 'string' && serviceName !== '' ? serviceName : UNKNOWN_SERVICE,
  };
  list(field(json, 'scopeSpans', 'scope_spans'), `${path}.scopeSpans`).forEach((item, i) =>
    decodeScopeSpans(item, `${path}.scopeSpans[${i}]`, resource, spans, rejections),
  );
}

function decodeScopeSpans(value: unknown, path: string, resource: Resource, spans: Span[], rejections: SpanRejections): void {
  const json = message(value, path);
  const s = message(json.scope, `${path}.scope`);
  const scope: InstrumentationScope = {
    name: string(s.name, `${path}.scope.name`),
    version: string(s.version, `${path}.scope.version`),
    attributes: decodeAttributes(s.attributes, `${path}.scope.attributes`),
    droppedAttributesCount: uint32(field(s, 'droppedAttributesCount', 'dropped_attributes_count'), `${path}.scope.droppedAttributesCount`),
    schemaUrl: string(field(json, 'schemaUrl', 'schema_url'), `${path}.schemaUrl`),
  };
  list(json.spans, `${path}.spans`).forEach((item, i) => {
    const span = decodeSpan(item, `${path}.spans[${i}]`, resource, scope);
    const reason = spanRejectReason(span);
    if (reason === undefined) spans.push(span);
    else rejections.add(reason);
  });
}

function decodeSpan(value: unknown, path: string, resource: Resource, scope: InstrumentationScope): Span {
  const json = message(value, path);
  const s = message(json.status, `${path}.status`);
  const status: SpanStatus = {
    code: enumValue(s.code, STATUS_CODES, StatusCode.ERROR, `${path}.status.code`) as StatusCode,
    message: string(s.message, `${path}.status.message`),
  };
  return {
    traceId: id(field(json, 'traceId', 'trace_id'), `${path}.traceId`),
    spanId: id(field(json, 'spanId', 'span_id'), `${path}.spanId`),
    parentSpanId: id(field(json, 'parentSpanId', 'parent_span_id'), `${path}.parentSpanId`),
    traceState: string(field(json, 'traceState', 'trace_state'), `${path}.traceState`),
    flags: uint32(json.flags, `${path}.flags`),
    name: string(json.name, `${path}.name`),
    kind: enumValue(json.kind, SPAN_KINDS, SpanKind.CONSUMER, `${path}.kind`) as SpanKind,
    startTimeUnixNano: uint64(field(json, 'startTimeUnixNano', 'start_time_unix_nano'), `${path}.startTimeUnixNano`),
    endTimeUnixNano: uint64(field(json, 'endTimeUnixNano', 'end_time_unix_nano'), `${path}.endTimeUnixNano`),
    attributes: decodeAttributes(json.attributes, `${path}.attributes`),
    droppedAttributesCount: uint32(field(json, 'droppedAttributesCount', 'dropped_attributes_count'), `${path}.droppedAttributesCount`),
    events: list(json.events, `${path}.events`).map((item, i) => decodeEvent(item, `${path}.events[${i}]`)),
    droppedEventsCount: uint32(field(json, 'droppedEventsCount', 'dropped_events_count'), `${path}.droppedEventsCount`),
    links: list(json.links, `${path}.links`).map((item, i) => decodeLink(item, `${path}.links[${i}]`)),
    droppedLinksCount: uint32(field(json, 'droppedLinksCount', 'dropped_links_count'), `${path}.droppedLinksCount`),
    status,
    resource,
    scope,
  };
}

function decodeEvent(value: unknown, path: string): SpanEvent {
  const json = message(value, path);
  return {
    timeUnixNano: uint64(field(json, 'timeUnixNano', 'time_unix_nano'), `${path}.timeUnixNano`),
    name: string(json.name, `${path}.name`),
    attributes: decodeAttributes(json.attributes, `${path}.attributes`),
    droppedAttributesCount: uint32(field(json, 'droppedAttributesCount', 'dropped_attributes_count'), `${path}.droppedAttributesCount`),
  };
}

function decodeLink(value: unknown, path: string): SpanLink {
  const json = message(value, path);
  return {
    traceId: id(field(json, 'traceId', 'trace_id'), `${path}.traceId`, ''),
    spanId: id(field(json, 'spanId', 'span_id'), `${path}.spanId`, ''),
    traceState: string(field(json, 'traceState', 'trace_state'), `${path}.traceState`),
    attributes: decodeAttributes(json.attributes, `${path}.attributes`),
    droppedAttributesCount: uint32(field(json, 'droppedAttributesCount', 'dropped_attributes_count'), `${path}.droppedAttributesCount`),
    flags: uint32(json.flags, `${path}.flags`),
  };
}

/** A KeyValue whose value is unset has nothing to store and is left out, as in the protobuf decoder. */
function decodeAttributes(value: unknown, path: string, depth = 0): Attributes {
  const attributes: Attributes = {};
  list(value, path).forEach((item, i) => {
    const kv = message(item, `${path}[${i}]`);
    const v = decodeAnyValue(kv.value, `${path}[${i}].value`, depth);
    if (v !== undefined) setAttribute(attributes, string(kv.key, `${path}[${i}].key`), v);
  });
  return attributes;
}

function decodeAnyValue(value: unknown, path: string, depth: number): AttributeValue | undefined {
  const json = message(value, path);
  let v: unknown;
  if ((v = field(json, 'stringValue', 'string_value')) != null) return string(v, `${path}.stringValue`);
  if ((v = field(json, 'boolValue', 'bool_value')) != null) {
    if (typeof v !== 'boolean') throw wrongType(`${path}.boolValue`, 'a boolean', v);
    return v;
  }
  if ((v = field(json, 'intValue', 'int_value')) != null) return int64(v, `${path}.intValue`);
  if ((v = field(json, 'doubleValue', 'double_value')) != null) return double(v, `${path}.doubleValue`);
  if ((v = field(json, 'bytesValue', 'bytes_value')) != null) return bytes(v, `${path}.bytesValue`);
  const inner = depth + 1;
  if ((v = field(json, 'arrayValue', 'array_value')) != null) {
    if (inner > MAX_VALUE_DEPTH) throw malformed(path, `attribute values nested deeper than ${MAX_VALUE_DEPTH}`);
    const values: AttributeValue[] = [];
    list(message(v, `${path}.arrayValue`).values, `${path}.arrayValue.values`).forEach((item, i) => {
      const element = decodeAnyValue(item, `${path}.arrayValue.values[${i}]`, inner);
      if (element !== undefined) values.push(element);
    });
    return values;
  }
  if ((v = field(json, 'kvlistValue', 'kvlist_value')) != null) {
    if (inner > MAX_VALUE_DEPTH) throw malformed(path, `attribute values nested deeper than ${MAX_VALUE_DEPTH}`);
    return decodeAttributes(message(v, `${path}.kvlistValue`).values, `${path}.kvlistValue.values`, inner);
  }
  return undefined;
}

/** The camelCase name of the OTLP JSON mapping, else the proto field name. */
function field(json: Json, camel: string, snake: string): unknown {
  const value = json[camel];
  return value === undefined ? json[snake] : value;
}

/** A message field; absent or null is the empty message. */
function message(value: unknown, path: string): Json {
  if (value == null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw wrongType(path, 'an object', value);
  return value as Json;
}

function list(value: unknown, path: string): unknown[] {
  if (value == null) return [];
  if (!Array.isArray(value)) throw wrongType(path, 'an array', value);
  return value;
}

function string(value: unknown, path: string): string {
  if (value == null) return '';
  if (typeof value !== 'string') throw wrongType(path, 'a string', value);
  return value;
}

/**
 * Ids are hex in OTLP/JSON, whatever the case. A span id that is not hex becomes `invalid`, of the
 * wrong length, so validation rejects the span; a link keeps no id rather than a wrong one.
 */
function id(value: unknown, path: string, invalid = 'x'): string {
  const hex = string(value, path).toLowerCase();
  return HEX.test(hex) ? hex : invalid;
}

function uint32(value: unknown, path: string): number {
  if (value == null) return 0;
  const n = typeof value === 'string' && UNSIGNED.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 0xffffffff) {
    throw wrongType(path, 'an unsigned 32-bit integer', value);
  }
  return n;
}

function uint64(value: unknown, path: string): bigint {
  if (value == null) return 0n;
  if (typeof value === 'string' && UNSIGNED.test(value)) {
    const n = BigInt(value);
    if (n < 2n ** 64n) return n;
  }
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 2 ** 64) return BigInt(value);
  throw wrongType(path, 'an unsigned 64-bit integer (a decimal string or a number)', value);
}

function int64(value: unknown, path: string): bigint {
  if (typeof value === 'string' && SIGNED.test(value)) {
    const n = BigInt(value);
    if (n >= -(2n ** 63n) && n < 2n ** 63n) return n;
  }
  if (typeof value === 'number' && Number.isInteger(value) && value >= -(2 ** 63) && value < 2 ** 63) return BigInt(value);
  throw wrongType(path, 'a 64-bit integer (a decimal string or a number)', value);
}

function double(value: unknown, path: string): number {
  if (typeof value === 'number') return value;
  if (value === 'NaN') return NaN;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  throw wrongType(path, 'a number', value);
}

function bytes(value: unknown, path: string): Uint8Array {
  if (typeof value !== 'string' || !BASE64.test(value)) throw wrongType(path, 'a base64 string', value);
  return new Uint8Array(Buffer.from(value, 'base64'));
}

/** An enum as its number or its name; numbers outside the enum become 0, as in the protobuf decoder. */
function enumValue(value: unknown, names: Record<string, number>, max: number, path: string): number {
  if (value == null) return 0;
  if (typeof value === 'number' && Number.isInteger(value)) return value >= 0 && value <= max ? value : 0;
  if (typeof value === 'string' && Object.hasOwn(names, value)) return names[value];
  throw wrongType(path, `one of ${Object.keys(names).join(', ')} or its number`, value);
}

function wrongType(path: string, expected: string, got: unknown): Error {
  const shown = got === null ? 'null' : Array.isArray(got) ? 'an array' : typeof got === 'string' ? JSON.stringify(got.slice(0, 40)) : typeof got === 'object' ? 'an object' : String(got);
  return malformed(path, `expected ${expected}, got ${shown}`);
}

function malformed(path: string, detail: string): Error {
  return Errors.undecodableBody('json', `${path}: ${detail}`);
}
