import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { SpanKind, StatusCode } from '../model/span.js';
import { ArraySpanReader } from './array-span-reader.js';
import { registerNativeRoutes } from './native-routes.js';
import { toOtlpAnyValue, toOtlpJsonTraces } from './otlp-json-trace.js';
import { T0, TRACE_ID, backendResource, httpScope, sampleTrace, span } from './test-spans.js';

function setup(spans = sampleTrace()) {
  const reader = new ArraySpanReader(spans);
  const app = Fastify({ logger: false });
  registerNativeRoutes(app, reader);
  return { app, reader };
}

test('toOtlpAnyValue: every attribute type in OTLP/JSON form', () => {
  assert.deepEqual(toOtlpAnyValue('s'), { stringValue: 's' });
  assert.deepEqual(toOtlpAnyValue(true), { boolValue: true });
  assert.deepEqual(toOtlpAnyValue(9_007_199_254_740_993n), { intValue: '9007199254740993' });
  assert.deepEqual(toOtlpAnyValue(1.5), { doubleValue: 1.5 });
  assert.deepEqual(toOtlpAnyValue(Number.NaN), { doubleValue: 'NaN' });
  assert.deepEqual(toOtlpAnyValue(new Uint8Array([1, 2, 255])), { bytesValue: 'AQL/' });
  assert.deepEqual(toOtlpAnyValue(['a', 1n]), { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '1' }] } });
  assert.deepEqual(toOtlpAnyValue({ k: false }), { kvlistValue: { values: [{ key: 'k', value: { boolValue: false } }] } });
});

test('toOtlpJsonTraces: grouped by resource then scope, in order of first appearance', () => {
  const out = toOtlpJsonTraces(sampleTrace());
  assert.equal(out.resourceSpans.length, 2);
  const [frontend, backend] = out.resourceSpans;
  assert.deepEqual(frontend.resource, {
    attributes: [
      { key: 'service.name', value: { stringValue: 'frontend' } },
      { key: 'host.name', value: { stringValue: 'node-1' } },
      { key: 'process.pid', value: { intValue: '42' } },
    ],
    droppedAttributesCount: 0,
  });
  assert.equal(frontend.schemaUrl, 'https://opentelemetry.io/schemas/1.24.0');
  assert.equal(frontend.scopeSpans.length, 1);
  assert.deepEqual(frontend.scopeSpans[0].scope, {
    name: '@ariadne/sdk/http',
    version: '0.1.0',
    attributes: [{ key: 'scope.attr', value: { stringValue: 'x' } }],
    droppedAttributesCount: 0,
  });
  assert.deepEqual(
    frontend.scopeSpans[0].spans.map((s) => s.spanId),
    ['b7ad6b7169203331', '00f067aa0ba902b7'],
  );
  assert.deepEqual(backend.resource.droppedAttributesCount, 1);
  assert.deepEqual(
    backend.scopeSpans[0].spans.map((s) => s.spanId),
    ['1111111111111111'],
  );
});

test('toOtlpJsonTraces: equal copies of a resource share a group; a different scope gets its own', () => {
  const other = { ...httpScope(), name: 'db' };
  const out = toOtlpJsonTraces([span({ resource: backendResource() }), span({ resource: backendResource(), scope: other })]);
  assert.equal(out.resourceSpans.length, 1);
  assert.deepEqual(
    out.resourceSpans[0].scopeSpans.map((s) => s.scope.name),
    ['@ariadne/sdk/http', 'db'],
  );
});

test('GET /api/v1/traces/:traceId: the whole trace as OTLP/JSON, every span field', async () => {
  const full = span({
    parentSpanId: 'aaaaaaaaaaaaaaaa',
    traceState: 'k=v',
    kind: SpanKind.CONSUMER,
    attributes: { n: 1n },
    droppedAttributesCount: 1,
    events: [{ timeUnixNano: T0 + 1n, name: 'e', attributes: { d: 0.5 }, droppedAttributesCount: 2 }],
    droppedEventsCount: 3,
    links: [{ traceId: TRACE_ID, spanId: 'cccccccccccccccc', traceState: 'a=b', attributes: {}, droppedAttributesCount: 4, flags: 257 }],
    droppedLinksCount: 5,
    status: { code: StatusCode.ERROR, message: 'bad' },
  });
  const { app } = setup([full]);
  const res = await app.inject(`/api/v1/traces/${TRACE_ID}`);
  assert.equal(res.statusCode, 200);
  const body = res.json();
  assert.deepEqual(body.resourceSpans[0].scopeSpans[0].spans, [
    {
      traceId: TRACE_ID,
      spanId: 'b7ad6b7169203331',
      traceState: 'k=v',
      parentSpanId: 'aaaaaaaaaaaaaaaa',
      flags: 1,
      name: 'GET /cart',
      kind: 5,
      startTimeUnixNano: '1700000000000000000',
      endTimeUnixNano: '1700000000002500999',
      attributes: [{ key: 'n', value: { intValue: '1' } }],
      droppedAttributesCount: 1,
      events: [{ timeUnixNano: '1700000000000000001', name: 'e', attributes: [{ key: 'd', value: { doubleValue: 0.5 } }], droppedAttributesCount: 2 }],
      droppedEventsCount: 3,
      links: [{ traceId: TRACE_ID, spanId: 'cccccccccccccccc', traceState: 'a=b', attributes: [], droppedAttributesCount: 4, flags: 257 }],
      droppedLinksCount: 5,
      status: { code: 2, message: 'bad' },
    },
  ]);
});

test('GET /api/v1/traces/:traceId: 404 unknown, 400 malformed, 500 on storage failure', async () => {
  const { app, reader } = setup();
  const missing = await app.inject('/api/v1/traces/0123456789abcdef');
  assert.equal(missing.statusCode, 404);
  assert.deepEqual(missing.json(), {
    error: { code: 'ARIADNE_TRACE_NOT_FOUND', message: 'trace not found: 00000000000000000123456789abcdef' },
  });
  const bad = await app.inject('/api/v1/traces/xyz');
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().error.code, 'ARIADNE_BAD_REQUEST');
  reader.failWith = new Error('disk on fire');
  const failed = await app.inject(`/api/v1/traces/${TRACE_ID}`);
  assert.equal(failed.statusCode, 500);
  assert.deepEqual(failed.json(), { error: { code: 'ARIADNE_INTERNAL', message: 'internal error: disk on fire' } });
});

test('GET /api/v1/traces/:traceId/outline: the spans as columns, start order, parents by index', async () => {
  const { app } = setup();
  const res = await app.inject(`/api/v1/traces/${TRACE_ID}/outline`);
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), {
    traceId: TRACE_ID,
    startTimeUnixNano: '1700000000000000000',
    strings: ['frontend', 'GET /cart', '', 'POST', 'backend', 'POST /checkout', 'boom'],
    spanId: ['b7ad6b7169203331', '00f067aa0ba902b7', '1111111111111111'],
    parent: [-1, 0, 1],
    start: [0, 100_000, 200_000],
    duration: [2_500_999, 1_900_000, 1_700_000],
    service: [0, 0, 4],
    name: [1, 3, 5],
    kind: [SpanKind.SERVER, SpanKind.CLIENT, SpanKind.SERVER],
    statusCode: [0, 0, 2],
    statusMessage: [2, 2, 6],
  });
});

test('GET /api/v1/traces/:traceId/outline: a missing parent is -1, a redelivered copy shows once', async () => {
  const orphan = span({ spanId: '2222222222222222', parentSpanId: '9999999999999999', startTimeUnixNano: T0 + 5n });
  const { app } = setup([span(), orphan, { ...orphan }]);
  const body = (await app.inject(`/api/v1/traces/${TRACE_ID}/outline`)).json();
  assert.deepEqual(body.spanId, ['b7ad6b7169203331', '2222222222222222']);
  assert.deepEqual(body.parent, [-1, -1]);
});

test('GET /api/v1/traces/:traceId/outline: the reader\'s own outline when it has one; 404 unknown, 400 malformed', async () => {
  const { app, reader } = setup();
  const outline = (await app.inject(`/api/v1/traces/${TRACE_ID}/outline`)).json();
  const fast = Object.assign(reader, { getTraceOutline: async (traceId: string) => (traceId === TRACE_ID ? outline : undefined) });
  const app2 = Fastify({ logger: false });
  registerNativeRoutes(app2, fast);
  reader.calls.length = 0;
  assert.deepEqual((await app2.inject(`/api/v1/traces/${TRACE_ID}/outline`)).json(), outline);
  assert.deepEqual(reader.calls, [], 'getTrace not called');
  const missing = await app2.inject('/api/v1/traces/0123456789abcdef/outline');
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json().error.code, 'ARIADNE_TRACE_NOT_FOUND');
  assert.equal((await app.inject('/api/v1/traces/0123456789abcdef/outline')).statusCode, 404);
  assert.equal((await app.inject('/api/v1/traces/xyz/outline')).statusCode, 400);
});

test('GET /api/v1/traces/:traceId/spans/:spanId: one span in full as OTLP/JSON, with its resource and scope', async () => {
  const { app } = setup();
  const res = await app.inject(`/api/v1/traces/${TRACE_ID}/spans/1111111111111111`);
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), toOtlpJsonTraces([sampleTrace()[2]]));
  const missing = await app.inject(`/api/v1/traces/${TRACE_ID}/spans/2222222222222222`);
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json().error.code, 'ARIADNE_NOT_FOUND');
  assert.equal((await app.inject(`/api/v1/traces/${TRACE_ID}/spans/zz`)).statusCode, 400);
  assert.equal((await app.inject('/api/v1/traces/0123456789abcdef/spans/1111111111111111')).statusCode, 404);
});
