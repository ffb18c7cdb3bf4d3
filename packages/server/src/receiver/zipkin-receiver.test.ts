import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { SpanKind as OtelKind, SpanStatusCode } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { Errors } from '../errors.js';
import { SpanKind, StatusCode, type Span, type SpanBatch } from '../model/span.js';
import { createZipkinReceiver } from './zipkin-receiver.js';

const T = 1_700_000_000_000_000; // µs

describe('Zipkin receiver', () => {
  const received: SpanBatch[] = [];
  let full = false;
  let app: FastifyInstance;
  let url: string;
  const spans = (): Span[] => received.flatMap((b) => b.spans);

  before(async () => {
    const consumer = {
      async consumeSpans(batch: SpanBatch) {
        if (full) throw Errors.pipelineFull(1);
        received.push(batch);
      },
    };
    app = createZipkinReceiver({ consumer, maxBodyBytes: 64 * 1024, logger: pino({ level: 'silent' }) }).app;
    await app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/api/v2/spans`;
  });
  after(() => app.close());

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', body: Buffer.isBuffer(body) ? body : JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });

  it('takes what the official OpenTelemetry Zipkin exporter sends', async () => {
    received.length = 0;
    const memory = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'zipkin-svc', 'host.name': 'box-1' }),
      spanProcessors: [new SimpleSpanProcessor(memory)],
    });
    const tracer = provider.getTracer('zipkin-test');
    const server = tracer.startSpan('GET /x', { kind: OtelKind.SERVER, attributes: { 'http.route': '/x' } });
    server.addEvent('cache.miss');
    server.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
    server.end();
    tracer.startSpan('work', { kind: OtelKind.INTERNAL }).end();
    const exporter = new ZipkinExporter({ url });
    const result = await new Promise<ExportResult>((resolve) => exporter.export(memory.getFinishedSpans(), resolve));
    assert.equal(result.code, ExportResultCode.SUCCESS, String(result.error));
    const [a, b] = [...spans()].sort((x, y) => x.name.localeCompare(y.name));
    const official = memory.getFinishedSpans().find((s) => s.name === 'GET /x')!;
    assert.equal(a.name, 'GET /x');
    assert.equal(a.traceId, official.spanContext().traceId);
    assert.equal(a.spanId, official.spanContext().spanId);
    assert.equal(a.kind, SpanKind.SERVER);
    assert.equal(a.resource.serviceName, 'zipkin-svc');
    assert.equal(a.resource.attributes['host.name'], 'box-1');
    assert.equal(a.attributes['http.route'], '/x');
    assert.equal(a.attributes['host.name'], undefined, 'resource tags move to the resource');
    assert.deepEqual(a.status, { code: StatusCode.ERROR, message: 'boom' });
    assert.match(a.events[0].name, /^cache\.miss/);
    assert.equal(a.endTimeUnixNano - a.startTimeUnixNano >= 0n, true);
    assert.equal(b.name, 'work');
    assert.equal(b.kind, SpanKind.UNSPECIFIED, 'the exporter sends INTERNAL as no kind, and the Collector keeps it unspecified');
  });

  it('maps endpoints, 64-bit trace ids, span.kind=internal, annotations with attributes, as the Collector does', async () => {
    received.length = 0;
    const res = await post([
      {
        traceId: '00000000000000AB',
        id: '00000000000000cd',
        parentId: '00000000000000ef',
        name: 'call',
        kind: 'CLIENT',
        timestamp: T,
        duration: 1500,
        localEndpoint: { serviceName: 'front', ipv4: '10.0.0.1', port: 8080 },
        remoteEndpoint: { serviceName: 'back', ipv6: '::1', port: 9000 },
        tags: { 'http.method': 'GET', error: 'timeout', 'w3c.tracestate': 'k=v', 'otel.library.name': 'lib', 'otel.library.version': '1.2' },
        annotations: [
          { timestamp: T + 10, value: 'retry|{"attempt":2,"ratio":0.5,"ok":true,"who":"x"}|1' },
          { timestamp: T + 20, value: 'plain' },
        ],
        shared: true,
      },
      { traceId: 'a'.repeat(32), id: '1'.repeat(16), name: 'local', timestamp: T, duration: 1, tags: { 'span.kind': 'internal' } },
    ]);
    assert.equal(res.status, 202);
    const [call, local] = spans();
    assert.equal(call.traceId, '000000000000000000000000000000ab');
    assert.equal(call.parentSpanId, '00000000000000ef');
    assert.equal(call.kind, SpanKind.CLIENT);
    assert.equal(call.startTimeUnixNano, BigInt(T) * 1000n);
    assert.equal(call.endTimeUnixNano, BigInt(T + 1500) * 1000n);
    assert.equal(call.resource.serviceName, 'front');
    assert.deepEqual(call.scope.name + '@' + call.scope.version, 'lib@1.2');
    assert.equal(call.traceState, 'k=v');
    assert.deepEqual(call.status, { code: StatusCode.ERROR, message: 'timeout' });
    assert.deepEqual(call.attributes, {
      'http.method': 'GET',
      'net.host.ip': '10.0.0.1',
      'net.host.port': 8080n,
      'peer.service': 'back',
      'net.peer.ip': '::1',
      'net.peer.port': 9000n,
    });
    assert.deepEqual(call.events[0], { timeUnixNano: BigInt(T + 10) * 1000n, name: 'retry', attributes: { attempt: 2n, ratio: 0.5, ok: true, who: 'x' }, droppedAttributesCount: 1 });
    assert.equal(call.events[1].name, 'plain');
    assert.equal(local.kind, SpanKind.INTERNAL);
    assert.equal(local.resource.serviceName, 'unknown_service');
    assert.equal(local.attributes['span.kind'], undefined);
  });

  it('takes gzip bodies and drops spans with bad ids, keeping the rest', async () => {
    received.length = 0;
    const body = gzipSync(JSON.stringify([
      { traceId: 'zz', id: '1', name: 'bad' },
      { traceId: '0'.repeat(32), id: '1'.repeat(16), name: 'zero' },
      { traceId: 'b'.repeat(32), id: '2'.repeat(16), name: 'good', timestamp: T },
    ]));
    const res = await post(body, { 'content-encoding': 'gzip' });
    assert.equal(res.status, 202);
    assert.deepEqual(spans().map((s) => s.name), ['good']);
  });

  it('answers 400 for a body that is not a JSON array, 415 for other types, 503 when full, and keeps serving', async () => {
    const notJson = await post(Buffer.from('{nope'));
    assert.equal(notJson.status, 400);
    assert.match(await notJson.text(), /cannot decode Zipkin JSON/);
    const notArray = await post({ traceId: 'a' });
    assert.equal(notArray.status, 400);
    assert.match(await notArray.text(), /JSON array/);
    assert.equal((await post(Buffer.from('x'), { 'content-type': 'application/x-thrift' })).status, 415);
    full = true;
    const busy = await post([{ traceId: 'c'.repeat(32), id: '3'.repeat(16), timestamp: T }]);
    full = false;
    assert.equal(busy.status, 503);
    assert.equal(busy.headers.get('retry-after'), '1');
    assert.equal((await post(Buffer.alloc(70 * 1024, 32))).status, 413);
    assert.equal((await post([{ traceId: 'c'.repeat(32), id: '3'.repeat(16), timestamp: T }])).status, 202);
  });
});
