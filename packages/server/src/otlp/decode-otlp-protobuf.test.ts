import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { SpanStatusCode, context, trace } from '@opentelemetry/api';
import { decodeOtlpProtobuf } from './decode-otlp-protobuf.js';
import { expectedSpans, madeSpans } from './otel-test-spans.js';

const serialize = (spans: Parameters<typeof ProtobufTraceSerializer.serializeRequest>[0]) => ProtobufTraceSerializer.serializeRequest(spans)!;

describe('decodeOtlpProtobuf', () => {
  it('decodes every field the official serializer writes', () => {
    const result = decodeOtlpProtobuf(serialize(madeSpans()), 'acme');
    assert.equal(result.batch.tenant, 'acme');
    assert.equal(result.rejectedSpans, 0);
    assert.equal(result.errorMessage, '');
    assert.deepEqual(result.batch.spans, expectedSpans());
  });

  it('shares resource and scope objects between the spans of one ResourceSpans and ScopeSpans', () => {
    const [a, b, c] = decodeOtlpProtobuf(serialize(madeSpans()), 't').batch.spans;
    assert.equal(a.resource, b.resource);
    assert.notEqual(a.resource, c.resource);
    assert.notEqual(a.scope, b.scope);
  });

  it('decodes spans made by a real tracer', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'shop' }),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const tracer = provider.getTracer('real', '0.1.0');
    const parent = tracer.startSpan('parent', { kind: 1, attributes: { 'http.route': '/x', 'http.status': 500 } });
    const child = tracer.startSpan('child', { links: [{ context: parent.spanContext() }] }, trace.setSpan(context.active(), parent));
    child.recordException(new Error('boom'));
    child.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
    child.end();
    parent.end();
    const made = exporter.getFinishedSpans();
    const spans = decodeOtlpProtobuf(serialize(made), 't').batch.spans;
    assert.equal(spans.length, 2);
    for (const [i, m] of made.entries()) {
      const s = spans[i];
      assert.equal(s.traceId, m.spanContext().traceId);
      assert.equal(s.spanId, m.spanContext().spanId);
      assert.equal(s.parentSpanId, m.parentSpanContext?.spanId ?? '');
      assert.equal(s.name, m.name);
      assert.equal(s.kind, m.kind + 1);
      assert.equal(s.startTimeUnixNano, BigInt(m.startTime[0]) * 1_000_000_000n + BigInt(m.startTime[1]));
      assert.equal(s.endTimeUnixNano, BigInt(m.endTime[0]) * 1_000_000_000n + BigInt(m.endTime[1]));
      assert.equal(s.resource.serviceName, 'shop');
      assert.deepEqual(s.scope, { name: 'real', version: '0.1.0', attributes: {}, droppedAttributesCount: 0, schemaUrl: '' });
    }
    assert.deepEqual(spans[1].attributes, { 'http.route': '/x', 'http.status': 500n });
    assert.equal(spans[0].status.code, 2);
    assert.equal(spans[0].events[0].name, 'exception');
    assert.equal(spans[0].events[0].attributes['exception.message'], 'boom');
    assert.deepEqual(spans[0].links.map((l) => [l.traceId, l.spanId]), [[spans[1].traceId, spans[1].spanId]]);
  });

  it('decodes an empty body as an empty batch', () => {
    assert.deepEqual(decodeOtlpProtobuf(new Uint8Array(0), 't'), { batch: { tenant: 't', spans: [] }, rejectedSpans: 0, errorMessage: '' });
  });
});
