import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { pino } from 'pino';
import { SpanKind } from '../model/span.js';
import { ArraySpanReader } from './array-span-reader.js';
import { toJaegerTrace } from './jaeger-span-json.js';
import { registerJaegerRoutes } from './jaeger-routes.js';
import { SHORT_TRACE_ID, T0, TRACE_ID, backendResource, sampleTrace, span } from './test-spans.js';

const OTHER_TRACE_ID = '11111111111111112222222222222222';

function setup() {
  const spans = [...sampleTrace(), span({ traceId: OTHER_TRACE_ID, startTimeUnixNano: 1_800_000_000_000_000_000n, endTimeUnixNano: 1_800_000_000_001_000_000n })];
  const reader = new ArraySpanReader(spans);
  // A pino-logged instance, as the roles build it.
  const app = Fastify({ loggerInstance: pino({ level: 'silent' }) });
  registerJaegerRoutes(app, reader);
  return { app, reader };
}

const errorEnvelope = (code: number, msg: string) => ({ data: null, total: 0, limit: 0, offset: 0, errors: [{ code, msg }] });

test('GET /api/services', async () => {
  const { app } = setup();
  const res = await app.inject('/api/services');
  assert.equal(res.statusCode, 200);
  assert.match(res.headers['content-type'] as string, /^application\/json/);
  assert.deepEqual(res.json(), { data: ['backend', 'frontend'], total: 2, limit: 0, offset: 0, errors: null });
});

test('GET /api/services/:service/operations: unique names', async () => {
  const { app } = setup();
  const res = await app.inject('/api/services/frontend/operations');
  assert.deepEqual(res.json(), { data: ['GET /cart', 'POST'], total: 2, limit: 0, offset: 0, errors: null });
  const none = await app.inject('/api/services/nobody/operations');
  assert.deepEqual(none.json(), { data: [], total: 0, limit: 0, offset: 0, errors: null });
});

test('GET /api/operations: objects with Jaeger span kind names', async () => {
  const { app, reader } = setup();
  const res = await app.inject('/api/operations?service=frontend');
  assert.deepEqual(res.json(), {
    data: [
      { name: 'GET /cart', spanKind: 'server' },
      { name: 'POST', spanKind: 'client' },
    ],
    total: 2,
    limit: 0,
    offset: 0,
    errors: null,
  });
  const client = await app.inject('/api/operations?service=frontend&spanKind=client');
  assert.deepEqual(client.json().data, [{ name: 'POST', spanKind: 'client' }]);
  assert.deepEqual(reader.calls.at(-1), { method: 'getOperations', args: ['frontend', SpanKind.CLIENT] });
  const missing = await app.inject('/api/operations');
  assert.equal(missing.statusCode, 400);
  assert.deepEqual(missing.json(), errorEnvelope(400, "parameter 'service' is required"));
});

test('GET /api/traces: search returns full traces, newest first', async () => {
  const { app, reader } = setup();
  const res = await app.inject('/api/traces?limit=5&start=1&end=2000000000000000');
  assert.equal(res.statusCode, 200);
  const body = res.json();
  assert.deepEqual(Object.keys(body), ['data', 'total', 'limit', 'offset', 'errors']);
  assert.equal(body.total, 0);
  assert.equal(body.errors, null);
  assert.deepEqual(
    body.data.map((t: { traceID: string }) => t.traceID),
    [OTHER_TRACE_ID, TRACE_ID],
  );
  assert.deepEqual(body.data[1], JSON.parse(JSON.stringify(toJaegerTrace(sampleTrace()))));
  const find = reader.calls.find((c) => c.method === 'findTraceIds');
  assert.deepEqual(find?.args, [{ startUnixNano: 1000n, endUnixNano: 2_000_000_000_000_000_000n, limit: 5 }]);
});

test('GET /api/traces: service, operation and tags reach the reader', async () => {
  const { app, reader } = setup();
  const res = await app.inject('/api/traces?service=backend&operation=POST+%2Fcheckout&tag=a:1&tags=%7B%22b%22%3A%222%22%7D&minDuration=1ms');
  assert.deepEqual(
    res.json().data.map((t: { traceID: string }) => t.traceID),
    [TRACE_ID],
  );
  const query = reader.calls.find((c) => c.method === 'findTraceIds')?.args[0] as Record<string, unknown>;
  assert.equal(query.service, 'backend');
  assert.equal(query.operation, 'POST /checkout');
  assert.deepEqual(query.tags, { a: '1', b: '2' });
  assert.equal(query.minDurationNano, 1_000_000n);
  assert.equal(query.limit, 100);
});

test('GET /api/traces?traceID=…: those traces, and an error entry for each unknown one', async () => {
  const { app } = setup();
  const res = await app.inject(`/api/traces?traceID=${TRACE_ID}&traceID=${SHORT_TRACE_ID.slice(16)}`);
  assert.equal(res.statusCode, 200);
  const body = res.json();
  assert.deepEqual(
    body.data.map((t: { traceID: string }) => t.traceID),
    [TRACE_ID],
  );
  assert.deepEqual(body.errors, [{ msg: 'trace not found', traceID: '8448eb211c80319c' }]);
});

test('GET /api/traces: bad parameters get 400 in the Jaeger envelope', async () => {
  const { app } = setup();
  const res = await app.inject('/api/traces?minDuration=fast');
  assert.equal(res.statusCode, 400);
  assert.deepEqual(res.json(), errorEnvelope(400, `unable to parse param 'minDuration': time: invalid duration "fast"`));
});

test('GET /api/traces/:traceID', async () => {
  const { app, reader } = setup();
  const res = await app.inject(`/api/traces/${TRACE_ID}`);
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), {
    data: [JSON.parse(JSON.stringify(toJaegerTrace(sampleTrace())))],
    total: 0,
    limit: 0,
    offset: 0,
    errors: null,
  });
  assert.deepEqual(reader.calls.at(-1), { method: 'getTrace', args: [TRACE_ID, undefined] });

  const windowed = await app.inject(`/api/traces/${TRACE_ID}?start=5&end=6`);
  assert.equal(windowed.statusCode, 200);
  assert.deepEqual(reader.calls.at(-1), { method: 'getTrace', args: [TRACE_ID, { startUnixNano: 5000n, endUnixNano: 6000n }] });

  const upper = await app.inject(`/api/traces/${TRACE_ID.toUpperCase()}`);
  assert.equal(upper.statusCode, 200);
});

test('GET /api/traces/:traceID: 404 when unknown, 400 when malformed', async () => {
  const { app } = setup();
  const missing = await app.inject('/api/traces/0123456789abcdef');
  assert.equal(missing.statusCode, 404);
  assert.deepEqual(missing.json(), errorEnvelope(404, 'trace not found'));
  const bad = await app.inject('/api/traces/not-a-trace!');
  assert.equal(bad.statusCode, 400);
  assert.deepEqual(bad.json(), errorEnvelope(400, 'strconv.ParseUint: parsing "not-a-trace!": invalid syntax'));
  // Valid base64 of neither 8 nor 16 bytes, as Jaeger answers it.
  const base64 = await app.inject('/api/traces/not-a-trace-id');
  assert.deepEqual(base64.json(), errorEnvelope(400, 'invalid length for TraceID'));
  const long = await app.inject(`/api/traces/${'a'.repeat(40)}`);
  assert.equal(long.statusCode, 400);
});

test('GET /api/dependencies: filtered by service, duplicates summed', async () => {
  const { app, reader } = setup();
  reader.dependencies = [
    { parent: 'frontend', child: 'backend', callCount: 3 },
    { parent: 'frontend', child: 'backend', callCount: 2 },
    { parent: 'backend', child: 'db', callCount: 7 },
    { parent: 'cron', child: 'mailer', callCount: 1 },
  ];
  const res = await app.inject('/api/dependencies?endTs=1700000000000&lookback=3600000');
  assert.deepEqual(res.json(), {
    data: [
      { parent: 'frontend', child: 'backend', callCount: 5 },
      { parent: 'backend', child: 'db', callCount: 7 },
      { parent: 'cron', child: 'mailer', callCount: 1 },
    ],
    total: 0,
    limit: 0,
    offset: 0,
    errors: null,
  });
  assert.deepEqual(reader.calls.at(-1), {
    method: 'getDependencies',
    args: [{ startUnixNano: 1_699_996_400_000_000_000n, endUnixNano: 1_700_000_000_000_000_000n }],
  });
  const filtered = await app.inject('/api/dependencies?service=backend');
  assert.deepEqual(filtered.json().data, [
    { parent: 'frontend', child: 'backend', callCount: 5 },
    { parent: 'backend', child: 'db', callCount: 7 },
  ]);
  const bad = await app.inject('/api/dependencies?endTs=soon');
  assert.equal(bad.statusCode, 400);
  assert.deepEqual(bad.json(), errorEnvelope(400, `unable to parse param 'endTs': strconv.ParseInt: parsing "soon": invalid syntax`));
});

test('storage failures become 500 with the message, and the server keeps serving', async () => {
  const { app, reader } = setup();
  reader.failWith = new Error('disk on fire');
  for (const url of ['/api/services', '/api/traces', `/api/traces/${TRACE_ID}`, '/api/dependencies', '/api/operations?service=a']) {
    const res = await app.inject(url);
    assert.equal(res.statusCode, 500, url);
    assert.deepEqual(res.json(), errorEnvelope(500, 'disk on fire'), url);
  }
  reader.failWith = undefined;
  assert.equal((await app.inject('/api/services')).statusCode, 200);
});

test('prettyPrint indents with 4 spaces', async () => {
  const { app } = setup();
  const res = await app.inject('/api/services?prettyPrint=true');
  assert.ok(res.body.startsWith('{\n    "data": ['));
});

test('GET /api/traces/:traceID adjusts clock skew between hosts, as Jaeger does', async () => {
  const skewedId = '33333333333333334444444444444444';
  const parent = span({ traceId: skewedId, spanId: 'aaaaaaaaaaaaaaaa', kind: SpanKind.CLIENT, endTimeUnixNano: T0 + 10_000_000n });
  // The backend's clock runs 5 s behind: its server span appears to start before its parent.
  const child = span({
    traceId: skewedId,
    spanId: 'bbbbbbbbbbbbbbbb',
    parentSpanId: 'aaaaaaaaaaaaaaaa',
    resource: backendResource(),
    startTimeUnixNano: T0 - 5_000_000_000n + 2_000_000n,
    endTimeUnixNano: T0 - 5_000_000_000n + 8_000_000n,
  });
  const app = Fastify({ loggerInstance: pino({ level: 'silent' }) });
  registerJaegerRoutes(app, new ArraySpanReader([parent, child]));
  const res = await app.inject(`/api/traces/${skewedId}`);
  const spans = res.json().data[0].spans as Array<{ spanID: string; startTime: number; duration: number }>;
  const [p, c] = ['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb'].map((id) => spans.find((s) => s.spanID === id)!);
  assert.ok(c.startTime >= p.startTime, 'child starts within its parent');
  assert.ok(c.startTime + c.duration <= p.startTime + p.duration, 'child ends within its parent');
  assert.equal(c.duration, 6000);
});
