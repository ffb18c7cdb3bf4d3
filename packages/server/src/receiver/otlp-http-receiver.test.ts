import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import type { SpanBatch } from '../model/span.js';
import { createOtlpHttpReceiver } from './otlp-http-receiver.js';

function officialSpans(count: number) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('receiver-test');
  for (let i = 0; i < count; i++) tracer.startSpan(`op-${i}`, { attributes: { i } }).end();
  return exporter.getFinishedSpans();
}

const MAX_BODY = 64 * 1024;

describe('OTLP/HTTP receiver', () => {
  const received: SpanBatch[] = [];
  let full = false;
  let app: FastifyInstance;
  const protobufBody = Buffer.from(ProtobufTraceSerializer.serializeRequest(officialSpans(3))!);
  const jsonBody = Buffer.from(JsonTraceSerializer.serializeRequest(officialSpans(2))!);

  before(async () => {
    const consumer = {
      async consumeSpans(batch: SpanBatch) {
        if (full) throw (await import('../errors.js')).Errors.pipelineFull(1);
        received.push(batch);
      },
    };
    app = createOtlpHttpReceiver({ consumer, maxBodyBytes: MAX_BODY, logger: pino({ level: 'silent' }) }).app;
    await app.ready();
  });
  after(() => app.close());

  const post = (payload: Buffer | string, headers: Record<string, string>) =>
    app.inject({ method: 'POST', url: '/v1/traces', payload, headers });

  it('accepts protobuf from the official serializer and answers an empty ExportTraceServiceResponse', async () => {
    received.length = 0;
    const res = await post(protobufBody, { 'content-type': 'application/x-protobuf' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/x-protobuf');
    assert.equal(res.rawPayload.length, 0);
    assert.deepEqual(received[0].spans.map((s) => s.name).sort(), ['op-0', 'op-1', 'op-2']);
    assert.equal(received[0].spans[0].resource.serviceName, 'checkout');
  });

  it('accepts JSON and gzip bodies', async () => {
    received.length = 0;
    const json = await post(jsonBody, { 'content-type': 'application/json; charset=utf-8' });
    assert.equal(json.statusCode, 200);
    assert.deepEqual(json.json(), {});
    const gz = await post(gzipSync(protobufBody), { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' });
    assert.equal(gz.statusCode, 200);
    assert.deepEqual(received.map((b) => b.spans.length), [2, 3]);
  });

  it('reports spans with invalid ids as partial success and keeps the rest', async () => {
    received.length = 0;
    const doc = JSON.parse(jsonBody.toString());
    doc.resourceSpans[0].scopeSpans[0].spans[0].traceId = '00000000000000000000000000000000';
    const res = await post(JSON.stringify(doc), { 'content-type': 'application/json' });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(Number(body.partialSuccess.rejectedSpans), 1);
    assert.match(body.partialSuccess.errorMessage, /trace/i);
    assert.equal(received[0].spans.length, 1);
  });

  it('answers 400 with a message for truncated protobuf, bad JSON and bad gzip, and keeps serving', async () => {
    const truncated = await post(protobufBody.subarray(0, protobufBody.length - 7), { 'content-type': 'application/x-protobuf' });
    assert.equal(truncated.statusCode, 400);
    const badJson = await post('{"resourceSpans": [', { 'content-type': 'application/json' });
    assert.equal(badJson.statusCode, 400);
    assert.match(badJson.json().message, /cannot decode json body/);
    const wrongShape = await post('{"resourceSpans": 5}', { 'content-type': 'application/json' });
    assert.equal(wrongShape.statusCode, 400);
    const badGzip = await post(Buffer.from('not gzip'), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    assert.equal(badGzip.statusCode, 400);
    assert.match(badGzip.json().message, /gzip/);
    const ok = await post(protobufBody, { 'content-type': 'application/x-protobuf' });
    assert.equal(ok.statusCode, 200);
  });

  it('answers 413 above the body limit, also after gunzip', async () => {
    const huge = Buffer.alloc(MAX_BODY + 1, 1);
    const res = await post(huge, { 'content-type': 'application/json' });
    assert.equal(res.statusCode, 413);
    assert.match(res.json().message, /larger than the limit of 65536 bytes/);
    const bomb = await post(gzipSync(Buffer.alloc(MAX_BODY * 4, 32)), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    assert.equal(bomb.statusCode, 413);
  });

  it('answers 415 for other content types and encodings', async () => {
    const res = await post('x', { 'content-type': 'text/plain' });
    assert.equal(res.statusCode, 415);
    assert.match(res.json().message, /unsupported content type 'text\/plain'/);
    const enc = await post(protobufBody, { 'content-type': 'application/x-protobuf', 'content-encoding': 'br' });
    assert.equal(enc.statusCode, 415);
  });

  it('answers 503 with Retry-After when the pipeline is full', async () => {
    full = true;
    try {
      const res = await post(protobufBody, { 'content-type': 'application/x-protobuf' });
      assert.equal(res.statusCode, 503);
      assert.equal(res.headers['retry-after'], '1');
      assert.equal(res.headers['content-type'], 'application/x-protobuf');
    } finally {
      full = false;
    }
  });
});
