import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags } from '@opentelemetry/api';
import { W3CTraceState } from '../propagation/trace-state.js';
import { Resource } from '../resource/resource.js';
import { AlwaysOnSampler } from '../sampling/always-on-sampler.js';
import type { RecordingSpan } from '../trace/recording-span.js';
import { AriadneTracerProvider } from '../trace/tracer-provider.js';
import { encodeTraceRequestJson } from './otlp-json-encoder.js';
import { encodeTraceRequestProtobuf } from './otlp-protobuf-encoder.js';
import { OtlpHttpTraceExporter } from './otlp-http-trace-exporter.js';
import { ExportResultCode } from './span-exporter.js';
import { InMemorySpanExporter } from './in-memory-span-exporter.js';
import { SimpleSpanProcessor } from './simple-span-processor.js';
import { decodeRequest, loadExportTraceServiceRequest } from './testdata/otlp-proto.js';

const Request = loadExportTraceServiceRequest();

function makeSpans(): RecordingSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new AriadneTracerProvider({
    resource: new Resource({ 'service.name': 'wire', 'service.instance.id': 'i-1', 'host.cores': 2 }),
    sampler: new AlwaysOnSampler(),
    spanLimits: { attributeCountLimit: 12, eventCountLimit: 2, linkCountLimit: 1, attributePerEventCountLimit: 1 },
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('lib-a', '1.2.3');
  const other = provider.getTracer('lib-b');
  const remote = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
    traceState: W3CTraceState.parse('congo=t61rcWkgMzE,rojo=00f067aa0ba902b7'),
  });
  const root = tracer.startSpan(
    'GET /orders/:id',
    {
      kind: SpanKind.SERVER,
      startTime: [1_700_000_000, 123_456_789],
      attributes: {
        'str': 'value',
        'unicode': 'héllo ✓ 😀',
        'long': 'x'.repeat(300) + 'é',
        'int': 42,
        'negative': -7,
        'big': 2 ** 53 - 1,
        'double': 3.25,
        'bool': true,
        'strs': ['a', 'b'],
        'ints': [1, -2, 3],
        'bools': [false, true],
        'nulls': ['a', null as unknown as string, 'c'],
        'dropped1': 1,
        'dropped2': 2,
      },
      links: [
        { context: { traceId: '11111111111111111111111111111111', spanId: '2222222222222222', traceFlags: 1, isRemote: true }, attributes: { 'link.kind': 'follows' } },
        { context: { traceId: '33333333333333333333333333333333', spanId: '4444444444444444', traceFlags: 0 } },
      ],
    },
    remote,
  ) as RecordingSpan;
  root.addEvent('first', { a: 1, b: 2 }, [1_700_000_000, 200_000_000]);
  root.addEvent('second', [1_700_000_000, 300_000_000]);
  root.recordException(new TypeError('boom'), [1_700_000_000, 400_000_000]);
  root.setStatus({ code: SpanStatusCode.ERROR, message: 'it failed' });
  const child = tracer.startSpan('child', { kind: SpanKind.CLIENT, startTime: [1_700_000_000, 500_000_000] }, trace.setSpan(ROOT_CONTEXT, root)) as RecordingSpan;
  child.setStatus({ code: SpanStatusCode.OK });
  child.end([1_700_000_001, 0]);
  const lone = other.startSpan('lone', { startTime: new Date(1_700_000_002_000) }, ROOT_CONTEXT) as RecordingSpan;
  lone.end(new Date(1_700_000_002_500));
  root.end([1_700_000_003, 999_999_999]);
  return exporter.spans;
}

const expectedTime = (t: [number, number]) => (BigInt(t[0]) * 1_000_000_000n + BigInt(t[1])).toString();

describe('OTLP wire format, decoded with the official opentelemetry-proto definitions', () => {
  it('encodes protobuf that decodes into exactly the spans made', () => {
    const spans = makeSpans();
    const decoded = decodeRequest(Request, encodeTraceRequestProtobuf(spans));
    assert.equal(decoded.resourceSpans.length, 1);
    const rs = decoded.resourceSpans[0];
    assert.deepEqual(rs.resource.attributes, [
      { key: 'service.name', value: { stringValue: 'wire' } },
      { key: 'service.instance.id', value: { stringValue: 'i-1' } },
      { key: 'host.cores', value: { intValue: '2' } },
    ]);
    assert.deepEqual(rs.scopeSpans.map((s: any) => s.scope), [{ name: 'lib-a', version: '1.2.3' }, { name: 'lib-b' }]);
    const [child, root] = rs.scopeSpans[0].spans;
    const [lone] = rs.scopeSpans[1].spans;

    assert.equal(root.traceId, '0af7651916cd43dd8448eb211c80319c');
    assert.equal(root.spanId, spans[2].spanContext().spanId);
    assert.equal(root.parentSpanId, 'b7ad6b7169203331');
    assert.equal(root.traceState, 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7');
    assert.equal(root.name, 'GET /orders/:id');
    assert.equal(root.kind, 2);
    assert.equal(root.startTimeUnixNano, '1700000000123456789');
    assert.equal(root.endTimeUnixNano, '1700000003999999999');
    assert.equal(root.flags, 0x01 | 0x100 | 0x200);
    assert.deepEqual(root.attributes, [
      { key: 'str', value: { stringValue: 'value' } },
      { key: 'unicode', value: { stringValue: 'héllo ✓ 😀' } },
      { key: 'long', value: { stringValue: 'x'.repeat(300) + 'é' } },
      { key: 'int', value: { intValue: '42' } },
      { key: 'negative', value: { intValue: '-7' } },
      { key: 'big', value: { intValue: String(2 ** 53 - 1) } },
      { key: 'double', value: { doubleValue: 3.25 } },
      { key: 'bool', value: { boolValue: true } },
      { key: 'strs', value: { arrayValue: { values: [{ stringValue: 'a' }, { stringValue: 'b' }] } } },
      { key: 'ints', value: { arrayValue: { values: [{ intValue: '1' }, { intValue: '-2' }, { intValue: '3' }] } } },
      { key: 'bools', value: { arrayValue: { values: [{ boolValue: false }, { boolValue: true }] } } },
      { key: 'nulls', value: { arrayValue: { values: [{ stringValue: 'a' }, {}, { stringValue: 'c' }] } } },
    ]);
    assert.equal(root.droppedAttributesCount, 2);
    // Three events against a limit of two: the oldest goes.
    assert.deepEqual(
      root.events.map((e: any) => [e.name, e.timeUnixNano, e.attributes?.length ?? 0, e.droppedAttributesCount ?? 0]),
      [
        ['second', '1700000000300000000', 0, 0],
        ['exception', '1700000000400000000', 1, 2],
      ],
    );
    assert.deepEqual(root.events[1].attributes[0], { key: 'exception.type', value: { stringValue: 'TypeError' } });
    assert.equal(root.droppedEventsCount, 1);
    assert.deepEqual(root.links, [
      {
        traceId: '11111111111111111111111111111111',
        spanId: '2222222222222222',
        attributes: [{ key: 'link.kind', value: { stringValue: 'follows' } }],
        flags: 0x01 | 0x100 | 0x200,
      },
    ]);
    assert.equal(root.droppedLinksCount, 1);
    assert.deepEqual(root.status, { code: 2, message: 'it failed' });

    assert.equal(child.parentSpanId, root.spanId);
    assert.equal(child.traceId, root.traceId);
    assert.equal(child.kind, 3);
    assert.deepEqual(child.status, { code: 1 });
    assert.equal(child.flags, 0x01 | 0x100);
    assert.equal(child.startTimeUnixNano, expectedTime([1_700_000_000, 500_000_000]));
    assert.equal(child.endTimeUnixNano, '1700000001000000000');

    assert.equal(lone.parentSpanId, undefined);
    assert.equal(lone.kind, 1);
    assert.equal(lone.startTimeUnixNano, '1700000002000000000');
    assert.equal(lone.endTimeUnixNano, '1700000002500000000');
    assert.equal(lone.flags, 0x03 | 0x100);
    assert.equal(lone.status, undefined);
  });

  it('encodes OTLP/JSON that the official definitions accept, equal to the protobuf', () => {
    const spans = makeSpans();
    const fromProto = decodeRequest(Request, encodeTraceRequestProtobuf(spans), true);
    const json = JSON.parse(Buffer.from(encodeTraceRequestJson(spans)).toString('utf8'));
    // OTLP/JSON writes ids as hex where protobuf JSON would use base64.
    const rebased = JSON.parse(JSON.stringify(json), (key, value) =>
      /^(traceId|spanId|parentSpanId)$/.test(key) ? Buffer.from(value, 'hex').toString('base64') : value,
    );
    // fromObject ignores unknown names, so any misnamed field shows up as a difference below.
    const fromJson = decodeRequest(Request, Request.encode(Request.fromObject(rebased)).finish(), true);
    assert.deepEqual(fromJson, fromProto);
    assert.equal(typeof json.resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano, 'string');
  });

  it('encodes spans that repeat the previous span\'s name and attributes as the JSON encoder does', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new AriadneTracerProvider({
      resource: new Resource({ 'service.name': 'wire' }),
      sampler: new AlwaysOnSampler(),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const tracers = [provider.getTracer('a'), provider.getTracer('b')];
    for (let i = 0; i < 60; i++) {
      const span = tracers[i % 7 === 0 ? 1 : 0].startSpan(i % 5 === 0 ? `op ${i}` : 'GET /orders/:id', { startTime: [1_700_000_000, i], kind: i % 11 === 0 ? SpanKind.SERVER : SpanKind.INTERNAL }, ROOT_CONTEXT);
      // Short spans (a one-byte length: their bytes move when joined) between long ones.
      if (i % 3 !== 0) {
        span.setAttribute('http.request.method', i % 4 === 0 ? 'POST' : 'GET');
        span.setAttribute('http.response.status_code', i % 6 === 0 ? 500 : 200);
        span.setAttribute('user.id', i);
        span.setAttribute('ratio', i % 2 === 0 ? 0.5 : 1.5);
        span.setAttribute('flags', [true, i % 2 === 0]);
        span.setAttribute('big', 'é'.repeat(i % 4 === 0 ? 100 : 2));
        span.setAttribute('✓'.repeat(36 + (i % 6)), -i * 1e12);
        for (let k = 0; k < (i % 9 === 1 ? 20 : 3); k++) span.setAttribute(`k${k}`, `v${k}`);
      }
      span.end([1_700_000_001, i]);
    }
    const spans = exporter.spans;
    const fromProto = decodeRequest(Request, encodeTraceRequestProtobuf(spans), true);
    const json = JSON.parse(Buffer.from(encodeTraceRequestJson(spans)).toString('utf8'));
    const rebased = JSON.parse(JSON.stringify(json), (key, value) =>
      /^(traceId|spanId|parentSpanId)$/.test(key) ? Buffer.from(value, 'hex').toString('base64') : value,
    );
    const fromJson = decodeRequest(Request, Request.encode(Request.fromObject(rebased)).finish(), true);
    assert.deepEqual(fromJson, fromProto);
    const decoded = decodeRequest(Request, encodeTraceRequestProtobuf(spans.slice(0, 12)));
    const names = decoded.resourceSpans[0].scopeSpans.flatMap((ss: any) => ss.spans.map((sp: any) => sp.name));
    assert.equal(names.length, 12);
    assert.equal(decoded.resourceSpans[0].scopeSpans[0].spans[1].attributes[0].value.stringValue, 'GET');
  });

  it('encodes spans of several resources and tracers, with schema URLs, into one request as the JSON encoder does', () => {
    const exporter = new InMemorySpanExporter();
    const providers = ['one', 'two'].map(
      (name, i) =>
        new AriadneTracerProvider({
          resource: new Resource({ 'service.name': name }, i === 0 ? 'https://opentelemetry.io/schemas/1.26.0' : undefined),
          sampler: new AlwaysOnSampler(),
          spanProcessors: [new SimpleSpanProcessor(exporter)],
        }),
    );
    const tracers = [
      providers[0].getTracer('a', '1.0.0', { schemaUrl: 'https://example.com/a' }),
      providers[1].getTracer('b'),
      providers[0].getTracer('c'),
    ];
    for (let i = 0; i < 9; i++) {
      tracers[i % 3].startSpan(`span ${i}`, { startTime: [1_700_000_000, i], attributes: { i } }, ROOT_CONTEXT).end([1_700_000_001, i]);
    }
    const spans = exporter.spans;
    const fromProto = decodeRequest(Request, encodeTraceRequestProtobuf(spans), true);
    const json = JSON.parse(Buffer.from(encodeTraceRequestJson(spans)).toString('utf8'));
    const rebased = JSON.parse(JSON.stringify(json), (key, value) =>
      /^(traceId|spanId|parentSpanId)$/.test(key) ? Buffer.from(value, 'hex').toString('base64') : value,
    );
    assert.deepEqual(decodeRequest(Request, Request.encode(Request.fromObject(rebased)).finish(), true), fromProto);
    assert.deepEqual(
      fromProto.resourceSpans.map((rs: any) => [rs.schemaUrl, rs.scopeSpans.map((ss: any) => [ss.scope.name, ss.schemaUrl, ss.spans.length])]),
      [
        ['https://opentelemetry.io/schemas/1.26.0', [['a', 'https://example.com/a', 3], ['c', '', 3]]],
        ['', [['b', '', 3]]],
      ],
    );
  });
});

interface Captured {
  headers: IncomingHttpHeaders;
  body: Buffer;
  at: number;
}

describe('OtlpHttpTraceExporter against a local collector', () => {
  let server: Server;
  let url: string;
  const captured: Captured[] = [];
  let answers: Array<{ status: number; headers?: Record<string, string> }> = [];

  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        captured.push({ headers: req.headers, body: Buffer.concat(chunks), at: Date.now() });
        const answer = answers.shift() ?? { status: 200 };
        res.writeHead(answer.status, answer.headers);
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const reset = (next: typeof answers = []) => {
    captured.length = 0;
    answers = next;
  };

  it('posts protobuf with the configured headers', async () => {
    reset();
    const spans = makeSpans();
    const exporter = new OtlpHttpTraceExporter({ url, headers: { authorization: 'Bearer t' } });
    assert.deepEqual(await exporter.export(spans), { code: ExportResultCode.SUCCESS });
    assert.equal(captured.length, 1);
    assert.equal(captured[0].headers['content-type'], 'application/x-protobuf');
    assert.equal(captured[0].headers.authorization, 'Bearer t');
    assert.deepEqual(decodeRequest(Request, captured[0].body), decodeRequest(Request, encodeTraceRequestProtobuf(spans)));
  });

  it('posts JSON when asked', async () => {
    reset();
    const spans = makeSpans();
    const exporter = new OtlpHttpTraceExporter({ url, protocol: 'http/json' });
    assert.equal((await exporter.export(spans)).code, ExportResultCode.SUCCESS);
    assert.equal(captured[0].headers['content-type'], 'application/json');
    assert.equal(JSON.parse(captured[0].body.toString('utf8')).resourceSpans[0].scopeSpans.length, 2);
  });

  it('gzips the body', async () => {
    reset();
    const spans = makeSpans();
    const exporter = new OtlpHttpTraceExporter({ url, compression: 'gzip' });
    assert.equal((await exporter.export(spans)).code, ExportResultCode.SUCCESS);
    assert.equal(captured[0].headers['content-encoding'], 'gzip');
    const decoded = decodeRequest(Request, gunzipSync(captured[0].body));
    assert.equal(decoded.resourceSpans[0].scopeSpans[0].spans.length, 2);
  });

  it('retries a 503 after the Retry-After delay', async () => {
    reset([{ status: 503, headers: { 'retry-after': '1' } }, { status: 200 }]);
    const exporter = new OtlpHttpTraceExporter({ url, retry: { initialBackoffMillis: 10 } });
    assert.equal((await exporter.export(makeSpans())).code, ExportResultCode.SUCCESS);
    assert.equal(captured.length, 2);
    assert.ok(captured[1].at - captured[0].at >= 950, `retried after ${captured[1].at - captured[0].at} ms`);
    assert.deepEqual(captured[1].body, captured[0].body);
  });

  it('retries 429, 502 and 504 with backoff', async () => {
    reset([{ status: 429 }, { status: 502 }, { status: 504 }, { status: 200 }]);
    const exporter = new OtlpHttpTraceExporter({ url, retry: { initialBackoffMillis: 5, maxBackoffMillis: 20 } });
    assert.equal((await exporter.export(makeSpans())).code, ExportResultCode.SUCCESS);
    assert.equal(captured.length, 4);
  });

  it('does not retry a 400, and reports it', async () => {
    reset([{ status: 400 }]);
    const exporter = new OtlpHttpTraceExporter({ url, retry: { initialBackoffMillis: 5 } });
    const result = await exporter.export(makeSpans());
    assert.equal(result.code, ExportResultCode.FAILED);
    assert.match(result.error?.message ?? '', /HTTP 400/);
    assert.equal(captured.length, 1);
  });

  it('gives up after the attempts on network errors, without throwing', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const exporter = new OtlpHttpTraceExporter({
      url: `http://127.0.0.1:${port}/v1/traces`,
      retry: { maxAttempts: 3, initialBackoffMillis: 5 },
    });
    const result = await exporter.export(makeSpans());
    assert.equal(result.code, ExportResultCode.FAILED);
    assert.match(result.error?.message ?? '', /ECONNREFUSED/);
  });

  it('refuses exports after shutdown', async () => {
    const exporter = new OtlpHttpTraceExporter({ url });
    await exporter.shutdown();
    assert.equal((await exporter.export(makeSpans())).code, ExportResultCode.FAILED);
  });
});
