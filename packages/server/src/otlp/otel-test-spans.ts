// Test fixtures: spans made with the official OpenTelemetry JS SDK types, and the model they must
// decode to. Shared by the protobuf and JSON decoder tests, so both mappings are held to one answer.
import { createTraceState, type Attributes as OtelAttributes, type HrTime, type Link, type SpanContext } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import type { Attributes, InstrumentationScope, Resource, Span } from '../model/span.js';

export const TRACE_ID = '5b8efff798038103d269b633813fc60c';
export const SPAN_ID = 'eee19b7ec3c1b174';
export const PARENT_ID = 'eee19b7ec3c1b173';
export const LINK_TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
export const LINK_SPAN_ID = 'b7ad6b7169203331';

const BYTES = new Uint8Array([0, 1, 2, 250, 255]);

/** Attributes of every kind the SDK serializers write, and what they decode to. */
const otelAttributes = {
  'str': 'héllo wörld ✓',
  'empty': '',
  'bool.true': true,
  'bool.false': false,
  'int': 42,
  'int.zero': 0,
  'int.negative': -42,
  'int.large': 2 ** 40,
  'double': 1.5,
  'double.negative': -0.25,
  'strings': ['a', 'b'],
  'mixed': ['x', 7, 2.5, false],
  'bytes': BYTES,
  'kvlist': { a: 1, b: { c: 'd' }, e: [true] },
  'a.key.that.is.longer.than.fifty.bytes.to.pass.the.string.cache': 'v',
} as unknown as OtelAttributes;

const modelAttributes: Attributes = {
  'str': 'héllo wörld ✓',
  'empty': '',
  'bool.true': true,
  'bool.false': false,
  'int': 42n,
  'int.zero': 0n,
  'int.negative': -42n,
  'int.large': 2n ** 40n,
  'double': 1.5,
  'double.negative': -0.25,
  'strings': ['a', 'b'],
  'mixed': ['x', 7n, 2.5, false],
  'bytes': BYTES,
  'kvlist': { a: 1n, b: { c: 'd' }, e: [true] },
  'a.key.that.is.longer.than.fifty.bytes.to.pass.the.string.cache': 'v',
};

const START: HrTime = [1_700_000_000, 123_456_789];
const END: HrTime = [1_700_000_001, 987_654_321];
const EVENT_TIME: HrTime = [1_700_000_000, 500_000_001];

const resourceA = resourceFromAttributes({ 'service.name': 'checkout', 'host.name': 'web-1', 'process.pid': 4242 }, { schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' });
const resourceB = resourceFromAttributes({ 'telemetry.sdk.language': 'nodejs' });
const scopeA = { name: 'http', version: '1.2.3', schemaUrl: 'https://example.com/scope-schema', attributes: { 'scope.attr': 'yes' } };
const scopeB = { name: 'db' };

function context(traceId: string, spanId: string, extra: Partial<SpanContext> = {}): SpanContext {
  return { traceId, spanId, traceFlags: 1, ...extra };
}

interface MadeSpan {
  name: string;
  context: SpanContext;
  parent?: SpanContext;
  kind?: number;
  resource?: typeof resourceA;
  scope?: typeof scopeA | typeof scopeB;
  attributes?: OtelAttributes;
  events?: TimedEvent[];
  links?: Link[];
  status?: { code: number; message?: string };
  dropped?: [number, number, number];
}

/** A ReadableSpan as the SDK hands it to an exporter. */
export function readableSpan(s: MadeSpan): ReadableSpan {
  return {
    name: s.name,
    kind: s.kind ?? 0,
    spanContext: () => s.context,
    parentSpanContext: s.parent,
    startTime: START,
    endTime: END,
    status: s.status ?? { code: 0 },
    attributes: s.attributes ?? {},
    links: s.links ?? [],
    events: s.events ?? [],
    duration: [1, 864_197_532],
    ended: true,
    resource: s.resource ?? resourceA,
    instrumentationScope: s.scope ?? scopeA,
    droppedAttributesCount: s.dropped?.[0] ?? 0,
    droppedEventsCount: s.dropped?.[1] ?? 0,
    droppedLinksCount: s.dropped?.[2] ?? 0,
  };
}

/** Three spans over two resources and two scopes, using every field of the trace proto. */
export function madeSpans(): ReadableSpan[] {
  return [
    readableSpan({
      name: 'GET /cart',
      context: context(TRACE_ID, SPAN_ID, { traceState: createTraceState('vendor=abc,other=x') }),
      parent: context(TRACE_ID, PARENT_ID, { isRemote: true }),
      kind: 1, // SpanKind.SERVER in the API, 2 in OTLP
      attributes: otelAttributes,
      events: [
        { name: 'exception', time: EVENT_TIME, attributes: { 'exception.type': 'Error', 'exception.count': 3 }, droppedAttributesCount: 2 },
        { name: 'bare', time: START },
      ],
      links: [
        {
          context: context(LINK_TRACE_ID, LINK_SPAN_ID, { traceFlags: 0, isRemote: true, traceState: createTraceState('k=v') }),
          attributes: { 'link.attr': 1.25 },
          droppedAttributesCount: 4,
        },
      ],
      status: { code: 2, message: 'it broke' },
      dropped: [5, 6, 7],
    }),
    readableSpan({ name: 'SELECT', context: context(TRACE_ID, '1111111111111111'), parent: context(TRACE_ID, SPAN_ID), kind: 2, scope: scopeB, status: { code: 1 } }),
    readableSpan({ name: 'root', context: context(LINK_TRACE_ID, '2222222222222222', { traceFlags: 0 }), kind: 4, resource: resourceB, scope: scopeB }),
  ];
}

const START_NS = 1_700_000_000_123_456_789n;
const END_NS = 1_700_000_001_987_654_321n;

/** What `madeSpans()` must decode to, in the same order. */
export function expectedSpans(): Span[] {
  const resA: Resource = {
    attributes: { 'service.name': 'checkout', 'host.name': 'web-1', 'process.pid': 4242n },
    droppedAttributesCount: 0,
    schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
    serviceName: 'checkout',
  };
  const resB: Resource = { attributes: { 'telemetry.sdk.language': 'nodejs' }, droppedAttributesCount: 0, schemaUrl: '', serviceName: 'unknown_service' };
  const scA: InstrumentationScope = { name: 'http', version: '1.2.3', attributes: { 'scope.attr': 'yes' }, droppedAttributesCount: 0, schemaUrl: 'https://example.com/scope-schema' };
  const scB = (): InstrumentationScope => ({ name: 'db', version: '', attributes: {}, droppedAttributesCount: 0, schemaUrl: '' });
  const base = { traceState: '', startTimeUnixNano: START_NS, endTimeUnixNano: END_NS, attributes: {}, droppedAttributesCount: 0, events: [], droppedEventsCount: 0, links: [], droppedLinksCount: 0 };
  return [
    {
      ...base,
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      parentSpanId: PARENT_ID,
      traceState: 'vendor=abc,other=x',
      flags: 0x301, // sampled | has-is-remote | parent is remote
      name: 'GET /cart',
      kind: 2,
      attributes: modelAttributes,
      droppedAttributesCount: 5,
      events: [
        { timeUnixNano: 1_700_000_000_500_000_001n, name: 'exception', attributes: { 'exception.type': 'Error', 'exception.count': 3n }, droppedAttributesCount: 2 },
        { timeUnixNano: START_NS, name: 'bare', attributes: {}, droppedAttributesCount: 0 },
      ],
      droppedEventsCount: 6,
      links: [{ traceId: LINK_TRACE_ID, spanId: LINK_SPAN_ID, traceState: 'k=v', attributes: { 'link.attr': 1.25 }, droppedAttributesCount: 4, flags: 0x300 }],
      droppedLinksCount: 7,
      status: { code: 2, message: 'it broke' },
      resource: resA,
      scope: scA,
    },
    { ...base, traceId: TRACE_ID, spanId: '1111111111111111', parentSpanId: SPAN_ID, flags: 0x101, name: 'SELECT', kind: 3, status: { code: 1, message: '' }, resource: resA, scope: scB() },
    { ...base, traceId: LINK_TRACE_ID, spanId: '2222222222222222', parentSpanId: '', flags: 0x100, name: 'root', kind: 5, status: { code: 0, message: '' }, resource: resB, scope: scB() },
  ];
}
