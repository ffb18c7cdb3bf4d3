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
} from '../model/span.js';
import type { DecodeResult } from '../otlp/decode-result.js';
import { setAttribute } from '../otlp/set-attribute.js';
import { SpanRejections, spanRejectReason } from '../otlp/validate-span.js';

/**
 * Zipkin v2 JSON (`POST /api/v2/spans`) to the span model, as the OpenTelemetry Collector's zipkin
 * receiver translates it (contrib pkg/translator/zipkin/zipkinv2, string tags not parsed):
 * - localEndpoint.serviceName → resource `service.name`; tags named by resource conventions
 *   (service.*, host.*, telemetry.*, …) move to the resource, taken from the first span of a service;
 * - kind CLIENT/SERVER/PRODUCER/CONSUMER as is; none → UNSPECIFIED, or INTERNAL when tag span.kind=internal;
 * - localEndpoint ip/port → net.host.ip/net.host.port; remoteEndpoint → peer.service, net.peer.ip, net.peer.port;
 * - tags otel.status_code/otel.status_description → status, `error` → status ERROR (its value the message
 *   when there is no description: the OpenTelemetry exporters put it there), w3c.tracestate → trace state,
 *   otel.library.name/version (or otel.scope.*) → instrumentation scope; the other tags stay string attributes;
 * - annotations → events (`name|{json attributes}|dropped` as the Collector's exporter writes them);
 * - 64-bit trace ids are zero-padded to 128 bits; a missing timestamp is the epoch plus
 *   otel.zipkin.absentField.startTime=true; `shared` and `debug` are not kept (nor does the Collector).
 */
export function decodeZipkinJson(body: Uint8Array, tenant: string): DecodeResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch (err) {
    throw Errors.undecodableBody('Zipkin JSON', (err as Error).message);
  }
  if (!Array.isArray(parsed)) throw Errors.undecodableBody('Zipkin JSON', 'the body must be a JSON array of v2 spans');
  const rejections = new SpanRejections();
  const resources = new Map<string, Resource>();
  const scopes = new Map<string, InstrumentationScope>();
  const spans: Span[] = [];
  let malformed = 0;
  for (const item of parsed) {
    const span = isObject(item) ? toSpan(item, resources, scopes) : undefined;
    if (!span) {
      malformed++;
      continue;
    }
    const reason = spanRejectReason(span);
    if (reason) rejections.add(reason);
    else spans.push(span);
  }
  const notes = [rejections.message(), malformed ? `${malformed} malformed (traceId and id must be hex strings)` : ''].filter(Boolean);
  return { batch: { tenant, spans }, rejectedSpans: rejections.count + malformed, errorMessage: notes.join('; ') };
}

type Json = Record<string, unknown>;

const KINDS: Record<string, SpanKind> = { CLIENT: SpanKind.CLIENT, SERVER: SpanKind.SERVER, PRODUCER: SpanKind.PRODUCER, CONSUMER: SpanKind.CONSUMER };
const STATUS: Record<string, StatusCode> = {
  STATUS_CODE_UNSET: StatusCode.UNSET,
  STATUS_CODE_OK: StatusCode.OK,
  STATUS_CODE_ERROR: StatusCode.ERROR,
  UNSET: StatusCode.UNSET,
  OK: StatusCode.OK,
  ERROR: StatusCode.ERROR,
};
const RESOURCE_PREFIXES = ['service.', 'telemetry.', 'host.', 'os.', 'process.', 'container.', 'k8s.', 'cloud.', 'deployment.', 'faas.', 'device.', 'webengine.', 'aws.ecs.', 'aws.eks.', 'aws.log.'];
const SCOPE_NAME = ['otel.scope.name', 'otel.library.name'];
const SCOPE_VERSION = ['otel.scope.version', 'otel.library.version'];
const HEX = /^[0-9a-fA-F]+$/;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isResourceKey = (key: string) => RESOURCE_PREFIXES.some((p) => key.startsWith(p));

/** Hex id of up to `chars` digits, left-padded with zeros (zipkin-go reads shorter ids so); undefined when not hex. */
function id(value: unknown, chars: number): string | undefined {
  if (typeof value !== 'string' || value.length > chars || !HEX.test(value)) return undefined;
  return value.toLowerCase().padStart(chars, '0');
}

const micros = (value: unknown): bigint | undefined =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? BigInt(Math.trunc(value)) * 1000n : undefined;

function stringTags(value: unknown): Map<string, string> {
  const tags = new Map<string, string>();
  if (isObject(value)) for (const [k, v] of Object.entries(value)) if (typeof v === 'string') tags.set(k, v);
  return tags;
}

function take(tags: Map<string, string>, keys: string[]): string | undefined {
  let found: string | undefined;
  for (const key of keys) {
    found ??= tags.get(key);
    tags.delete(key);
  }
  return found;
}

function resourceFor(service: string, tags: Map<string, string>, resources: Map<string, Resource>): Resource {
  let resource = resources.get(service);
  if (!resource) {
    const attributes: Attributes = {};
    if (service !== '') attributes['service.name'] = service;
    for (const [key, value] of tags) if (isResourceKey(key)) setAttribute(attributes, key, value);
    resource = { attributes, droppedAttributesCount: 0, schemaUrl: '', serviceName: service || UNKNOWN_SERVICE };
    resources.set(service, resource);
  }
  for (const key of [...tags.keys()]) if (isResourceKey(key)) tags.delete(key);
  return resource;
}

function scopeFor(service: string, tags: Map<string, string>, scopes: Map<string, InstrumentationScope>): InstrumentationScope {
  const name = take(tags, SCOPE_NAME) ?? '';
  const version = take(tags, SCOPE_VERSION) ?? '';
  const key = `${service}\0${name}\0${version}`;
  let scope = scopes.get(key);
  if (!scope) scopes.set(key, (scope = { name, version, attributes: {}, droppedAttributesCount: 0, schemaUrl: '' }));
  return scope;
}

function toSpan(z: Json, resources: Map<string, Resource>, scopes: Map<string, InstrumentationScope>): Span | undefined {
  const traceId = id(z.traceId, 32);
  const spanId = id(z.id, 16);
  if (traceId === undefined || spanId === undefined) return undefined;
  const parent = z.parentId === undefined || z.parentId === null ? '' : id(z.parentId, 16);
  if (parent === undefined) return undefined;
  const local = isObject(z.localEndpoint) ? z.localEndpoint : undefined;
  const remote = isObject(z.remoteEndpoint) ? z.remoteEndpoint : undefined;
  const service = typeof local?.serviceName === 'string' ? local.serviceName : '';
  const tags = stringTags(z.tags);

  const resource = resourceFor(service, tags, resources);
  const scope = scopeFor(service, tags, scopes);
  const traceState = take(tags, ['w3c.tracestate']) ?? '';
  let kind = KINDS[String(z.kind)] ?? SpanKind.UNSPECIFIED;
  if (kind === SpanKind.UNSPECIFIED && take(tags, ['span.kind']) === 'internal') kind = SpanKind.INTERNAL;
  const status = { code: StatusCode.UNSET as StatusCode, message: '' };
  const statusCode = take(tags, ['otel.status_code']);
  if (statusCode !== undefined) {
    status.code = STATUS[statusCode] ?? StatusCode.UNSET;
    status.message = take(tags, ['otel.status_description']) ?? '';
  }
  const error = take(tags, ['error']);
  if (error !== undefined) {
    status.code = StatusCode.ERROR;
    // Zipkin's convention puts the message in the tag; the OpenTelemetry exporters write it there too.
    if (status.message === '' && error !== 'true') status.message = error;
  }

  const attributes: Attributes = {};
  for (const [key, value] of tags) setAttribute(attributes, key, value);
  endpointAttributes(attributes, local, 'net.host.ip', 'net.host.port');
  if (remote && typeof remote.serviceName === 'string' && remote.serviceName !== '') attributes['peer.service'] = remote.serviceName;
  endpointAttributes(attributes, remote, 'net.peer.ip', 'net.peer.port');

  const duration = micros(z.duration) ?? 0n;
  let start = micros(z.timestamp);
  if (start === undefined) {
    start = 0n;
    attributes['otel.zipkin.absentField.startTime'] = true;
  }
  return {
    traceId,
    spanId,
    parentSpanId: parent === spanId ? '' : parent,
    traceState,
    flags: 0,
    name: typeof z.name === 'string' ? z.name : '',
    kind,
    startTimeUnixNano: start,
    endTimeUnixNano: start + duration,
    attributes,
    droppedAttributesCount: 0,
    events: Array.isArray(z.annotations) ? z.annotations.flatMap(toEvent) : [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status,
    resource,
    scope,
  };
}

function endpointAttributes(attributes: Attributes, endpoint: Json | undefined, ipKey: string, portKey: string): void {
  if (!endpoint) return;
  const ip = typeof endpoint.ipv6 === 'string' ? endpoint.ipv6 : typeof endpoint.ipv4 === 'string' ? endpoint.ipv4 : undefined;
  if (ip) attributes[ipKey] = ip;
  if (typeof endpoint.port === 'number' && Number.isInteger(endpoint.port) && endpoint.port > 0) attributes[portKey] = BigInt(endpoint.port);
}

function toEvent(a: unknown): SpanEvent[] {
  if (!isObject(a) || typeof a.value !== 'string') return [];
  const parts = a.value.split('|');
  const event: SpanEvent = { timeUnixNano: micros(a.timestamp) ?? 0n, name: parts[0], attributes: {}, droppedAttributesCount: 0 };
  if (parts.length < 3) return [event];
  try {
    const json: unknown = JSON.parse(parts.slice(1, -1).join('|'));
    if (isObject(json)) for (const [k, v] of Object.entries(json)) setEventAttribute(event.attributes, k, v);
    event.droppedAttributesCount = Number.parseInt(parts[parts.length - 1], 10) || 0;
  } catch {
    // Not the Collector's encoding: the whole value is the event's name, as Zipkin meant it.
    event.name = a.value;
  }
  return [event];
}

/** As the Collector: strings, whole numbers as ints, other numbers as doubles, booleans; the rest dropped. */
function setEventAttribute(target: Attributes, key: string, value: unknown): void {
  let typed: AttributeValue | undefined;
  if (typeof value === 'string' || typeof value === 'boolean') typed = value;
  else if (typeof value === 'number') typed = Number.isInteger(value) ? BigInt(value) : value;
  if (typed !== undefined) setAttribute(target, key, typed);
}
