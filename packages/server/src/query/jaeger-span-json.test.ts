import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpanKind, StatusCode } from '../model/span.js';
import { toJaegerTag, toJaegerTrace } from './jaeger-span-json.js';
import { formatJaegerTraceId, parseJaegerPathTraceId, parseJaegerTraceIdHex } from './jaeger-trace-id.js';
import { SHORT_TRACE_ID, T0, TRACE_ID, backendResource, sampleTrace, span } from './test-spans.js';

test('toJaegerTrace: exact shape of a three-span trace, µs times, deduplicated processes', () => {
  const trace = toJaegerTrace(sampleTrace());
  assert.deepEqual(trace, {
    traceID: TRACE_ID,
    spans: [
      {
        traceID: TRACE_ID,
        spanID: 'b7ad6b7169203331',
        operationName: 'GET /cart',
        references: [],
        startTime: 1_700_000_000_000_000,
        duration: 2500,
        tags: [
          { key: 'otel.scope.name', type: 'string', value: '@ariadne/sdk/http' },
          { key: 'otel.scope.version', type: 'string', value: '0.1.0' },
          { key: 'http.method', type: 'string', value: 'GET' },
          { key: 'http.status_code', type: 'int64', value: 200 },
          { key: 'span.kind', type: 'string', value: 'server' },
        ],
        logs: [],
        processID: 'p1',
        warnings: null,
      },
      {
        traceID: TRACE_ID,
        spanID: '00f067aa0ba902b7',
        operationName: 'POST',
        references: [{ refType: 'CHILD_OF', traceID: TRACE_ID, spanID: 'b7ad6b7169203331' }],
        startTime: 1_700_000_000_000_100,
        duration: 1900,
        tags: [
          { key: 'otel.scope.name', type: 'string', value: '@ariadne/sdk/http' },
          { key: 'otel.scope.version', type: 'string', value: '0.1.0' },
          { key: 'span.kind', type: 'string', value: 'client' },
        ],
        logs: [],
        processID: 'p1',
        warnings: null,
      },
      {
        traceID: TRACE_ID,
        spanID: '1111111111111111',
        operationName: 'POST /checkout',
        references: [{ refType: 'CHILD_OF', traceID: TRACE_ID, spanID: '00f067aa0ba902b7' }],
        startTime: 1_700_000_000_000_200,
        duration: 1700,
        tags: [
          { key: 'otel.scope.name', type: 'string', value: '@ariadne/sdk/http' },
          { key: 'otel.scope.version', type: 'string', value: '0.1.0' },
          { key: 'span.kind', type: 'string', value: 'server' },
          { key: 'otel.status_code', type: 'string', value: 'ERROR' },
          { key: 'error', type: 'bool', value: true },
          { key: 'otel.status_description', type: 'string', value: 'boom' },
        ],
        logs: [],
        processID: 'p2',
        warnings: null,
      },
    ],
    processes: {
      p1: {
        serviceName: 'frontend',
        tags: [
          { key: 'host.name', type: 'string', value: 'node-1' },
          { key: 'process.pid', type: 'int64', value: 42 },
        ],
      },
      p2: { serviceName: 'backend', tags: [] },
    },
    warnings: null,
  });
  // No `flags`: the Collector translator does not carry OTLP flags, and uiconv omits 0.
  assert.ok(!('flags' in trace.spans[0]));
});

test('toJaegerTrace: equal resources that are different objects share one process', () => {
  const trace = toJaegerTrace([span({ resource: backendResource() }), span({ spanId: '2222222222222222', resource: backendResource() })]);
  assert.deepEqual(Object.keys(trace.processes), ['p1']);
  assert.deepEqual(
    trace.spans.map((s) => s.processID),
    ['p1', 'p1'],
  );
});

test('toJaegerTrace: every field of a span', () => {
  const [jspan] = toJaegerTrace([
    span({
      parentSpanId: 'aaaaaaaaaaaaaaaa',
      traceState: 'congo=t61rcWkgMzE',
      kind: SpanKind.PRODUCER,
      attributes: {
        zeta: 'last',
        str: 's',
        yes: false,
        int: -7n,
        big: 9_007_199_254_740_993n,
        dbl: 1.5,
        whole: 3,
        raw: new Uint8Array([1, 2, 255]),
        arr: ['a', 1n, 2.5, true],
        map: { z: 1n, a: '<b>', nested: [new Uint8Array([0])] },
      },
      droppedAttributesCount: 2,
      events: [
        { timeUnixNano: T0 + 1_999n, name: 'retry', attributes: { attempt: 2n }, droppedAttributesCount: 1 },
        { timeUnixNano: T0 + 5_000n, name: 'exception', attributes: { 'exception.message': 'x' }, droppedAttributesCount: 0 },
        { timeUnixNano: T0, name: 'named', attributes: { event: 'explicit' }, droppedAttributesCount: 0 },
        { timeUnixNano: T0, name: '', attributes: {}, droppedAttributesCount: 0 },
      ],
      droppedEventsCount: 3,
      links: [
        { traceId: SHORT_TRACE_ID, spanId: 'cccccccccccccccc', traceState: '', attributes: {}, droppedAttributesCount: 0, flags: 0 },
        {
          traceId: TRACE_ID,
          spanId: 'dddddddddddddddd',
          traceState: '',
          attributes: { 'opentracing.ref_type': 'child_of' },
          droppedAttributesCount: 0,
          flags: 0,
        },
      ],
      droppedLinksCount: 4,
      status: { code: StatusCode.OK, message: '' },
    }),
  ]).spans;

  assert.deepEqual(jspan.tags, [
    { key: 'otel.scope.name', type: 'string', value: '@ariadne/sdk/http' },
    { key: 'otel.scope.version', type: 'string', value: '0.1.0' },
    { key: 'arr', type: 'string', value: '["a",1,2.5,true]' },
    { key: 'big', type: 'int64', value: '9007199254740993' },
    { key: 'dbl', type: 'float64', value: 1.5 },
    { key: 'int', type: 'int64', value: -7 },
    { key: 'map', type: 'string', value: '{"a":"\\u003cb\\u003e","nested":["AA=="],"z":1}' },
    { key: 'raw', type: 'binary', value: 'AQL/' },
    { key: 'str', type: 'string', value: 's' },
    { key: 'whole', type: 'float64', value: 3 },
    { key: 'yes', type: 'bool', value: false },
    { key: 'zeta', type: 'string', value: 'last' },
    { key: 'span.kind', type: 'string', value: 'producer' },
    { key: 'otel.status_code', type: 'string', value: 'OK' },
    { key: 'w3c.tracestate', type: 'string', value: 'congo=t61rcWkgMzE' },
    { key: 'otel.dropped_attributes_count', type: 'int64', value: 2 },
    { key: 'otel.dropped_events_count', type: 'int64', value: 3 },
    { key: 'otel.dropped_links_count', type: 'int64', value: 4 },
  ]);
  // Events sorted by name (stable), timestamps in µs, name as the `event` field unless present.
  assert.deepEqual(jspan.logs, [
    { timestamp: 1_700_000_000_000_000, fields: [] },
    { timestamp: 1_700_000_000_000_005, fields: [{ key: 'event', type: 'string', value: 'exception' }, { key: 'exception.message', type: 'string', value: 'x' }] },
    { timestamp: 1_700_000_000_000_000, fields: [{ key: 'event', type: 'string', value: 'explicit' }] },
    {
      timestamp: 1_700_000_000_000_001,
      fields: [
        { key: 'event', type: 'string', value: 'retry' },
        { key: 'attempt', type: 'int64', value: 2 },
        { key: 'otel.dropped_attributes_count', type: 'int64', value: 1 },
      ],
    },
  ]);
  assert.deepEqual(jspan.references, [
    { refType: 'CHILD_OF', traceID: TRACE_ID, spanID: 'aaaaaaaaaaaaaaaa' },
    { refType: 'FOLLOWS_FROM', traceID: '8448eb211c80319c', spanID: 'cccccccccccccccc' },
    { refType: 'CHILD_OF', traceID: TRACE_ID, spanID: 'dddddddddddddddd' },
  ]);
});

test('toJaegerTrace: a link to the parent sets the parent reference type instead of repeating it', () => {
  const [jspan] = toJaegerTrace([
    span({
      parentSpanId: 'aaaaaaaaaaaaaaaa',
      links: [{ traceId: TRACE_ID, spanId: 'aaaaaaaaaaaaaaaa', traceState: '', attributes: {}, droppedAttributesCount: 0, flags: 0 }],
    }),
  ]).spans;
  assert.deepEqual(jspan.references, [{ refType: 'FOLLOWS_FROM', traceID: TRACE_ID, spanID: 'aaaaaaaaaaaaaaaa' }]);
});

test('toJaegerTrace: unspecified kind and unset status add no tags; negative duration is 0', () => {
  const [jspan] = toJaegerTrace([span({ kind: SpanKind.UNSPECIFIED, scope: { name: '', version: '', attributes: {}, droppedAttributesCount: 0, schemaUrl: '' }, endTimeUnixNano: T0 - 5n })]).spans;
  assert.deepEqual(jspan.tags, []);
  assert.equal(jspan.duration, 0);
});

test('toJaegerTag: int64 at the edges of the safe range', () => {
  assert.deepEqual(toJaegerTag('k', 9_007_199_254_740_991n), { key: 'k', type: 'int64', value: 9_007_199_254_740_991 });
  assert.deepEqual(toJaegerTag('k', -9_007_199_254_740_992n), { key: 'k', type: 'int64', value: '-9007199254740992' });
});

test('trace ids: Jaeger drops a zero high half when printing', () => {
  assert.equal(formatJaegerTraceId(TRACE_ID), TRACE_ID);
  assert.equal(formatJaegerTraceId(SHORT_TRACE_ID), '8448eb211c80319c');
  assert.equal(toJaegerTrace([span({ traceId: SHORT_TRACE_ID })]).traceID, '8448eb211c80319c');
});

test('trace ids: parsing hex and base64 like Jaeger', () => {
  assert.equal(parseJaegerTraceIdHex('8448eb211c80319c'), SHORT_TRACE_ID);
  assert.equal(parseJaegerTraceIdHex('0AF7651916CD43DD8448EB211C80319C'), TRACE_ID);
  assert.equal(parseJaegerTraceIdHex('abc'), '00000000000000000000000000000abc');
  assert.equal(parseJaegerTraceIdHex('1' + '0'.repeat(16)), '0000000000000001' + '0'.repeat(16));
  assert.throws(() => parseJaegerTraceIdHex('a'.repeat(33)), { message: `TraceID cannot be longer than 32 hex characters: ${'a'.repeat(33)}` });
  assert.throws(() => parseJaegerTraceIdHex('xyz'), { message: 'strconv.ParseUint: parsing "xyz": invalid syntax' });
  const base64 = Buffer.from(TRACE_ID, 'hex').toString('base64');
  assert.equal(parseJaegerPathTraceId(base64), TRACE_ID);
  assert.equal(parseJaegerPathTraceId(base64.replace(/=+$/, '')), TRACE_ID);
  assert.equal(parseJaegerPathTraceId(Buffer.from('8448eb211c80319c', 'hex').toString('base64url')), SHORT_TRACE_ID);
  assert.throws(() => parseJaegerPathTraceId('zzzz'), { message: 'invalid length for TraceID' });
  assert.throws(() => parseJaegerPathTraceId('not-a-trace!'), { message: 'strconv.ParseUint: parsing "not-a-trace!": invalid syntax' });
});
