import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { pino } from 'pino';
import { Errors } from '../errors.js';
import type { SpanBatch } from '../model/span.js';
import { OtlpGrpcReceiver } from './otlp-grpc-receiver.js';

function officialSpans(count: number): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'grpc-svc' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('grpc-test');
  for (let i = 0; i < count; i++) tracer.startSpan(`op-${i}`, { attributes: { i } }).end();
  return exporter.getFinishedSpans();
}

const EXPORT = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const identity = (b: Buffer) => b;

describe('OTLP/gRPC receiver', () => {
  const received: SpanBatch[] = [];
  let full = false;
  let receiver: OtlpGrpcReceiver;
  let client: Client;
  const consumer = {
    async consumeSpans(batch: SpanBatch) {
      if (full) throw Errors.pipelineFull(1);
      received.push(batch);
    },
  };

  before(async () => {
    receiver = new OtlpGrpcReceiver({ consumer, host: '127.0.0.1', port: 0, maxBodyBytes: 64 * 1024, log: pino({ level: 'silent' }) });
    await receiver.start();
    client = new Client(`127.0.0.1:${receiver.port}`, credentials.createInsecure());
  });
  after(async () => {
    client.close();
    await receiver.shutdown();
  });

  const call = (body: Buffer) =>
    new Promise<{ err: ServiceError | null; res?: Buffer }>((resolve) =>
      client.makeUnaryRequest(EXPORT, identity, identity, body, new Metadata(), (err, res) => resolve({ err, res })),
    );

  it('takes gzip-compressed exports from the official OpenTelemetry gRPC exporter', async () => {
    received.length = 0;
    const exporter = new OTLPTraceExporter({ url: `http://127.0.0.1:${receiver.port}`, compression: CompressionAlgorithm.GZIP });
    const result = await new Promise<ExportResult>((resolve) => exporter.export(officialSpans(3), resolve));
    await exporter.shutdown();
    assert.equal(result.code, ExportResultCode.SUCCESS, String(result.error));
    const spans = received.flatMap((b) => b.spans);
    assert.deepEqual(spans.map((s) => s.name).sort(), ['op-0', 'op-1', 'op-2']);
    assert.equal(spans[0].resource.serviceName, 'grpc-svc');
    assert.equal(spans[0].attributes.i, 0n);
  });

  it('answers INVALID_ARGUMENT with a message for a body that is not OTLP, and keeps serving', async () => {
    const { err } = await call(Buffer.from([0x0a, 0xff, 0xff, 0xff]));
    assert.equal(err?.code, status.INVALID_ARGUMENT);
    assert.match(err.details, /cannot decode/);
    const ok = await call(Buffer.from(ProtobufTraceSerializer.serializeRequest(officialSpans(1))!));
    assert.equal(ok.err, null);
    assert.equal(ok.res?.length, 0, 'an empty ExportTraceServiceResponse');
  });

  it('answers UNAVAILABLE while the pipeline is full, so clients retry', async () => {
    full = true;
    try {
      const { err } = await call(Buffer.from(ProtobufTraceSerializer.serializeRequest(officialSpans(1))!));
      assert.equal(err?.code, status.UNAVAILABLE);
    } finally {
      full = false;
    }
  });

  it('answers RESOURCE_EXHAUSTED above the message size limit', async () => {
    const { err } = await call(Buffer.alloc(100 * 1024));
    assert.equal(err?.code, status.RESOURCE_EXHAUSTED);
  });
});
