import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import type { SpanBatch } from '../model/span.js';
import { partitionForKey } from '../queue/partition-for-key.js';
import type { QueueProducer } from '../queue/queue.js';
import { decodeSpanBatch } from '../queue/span-batch-codec.js';
import { createGateway } from './create-gateway.js';
import { IngestTokens } from './ingest-tokens.js';

function exportBody(traces: number, spansPerTrace: number): Buffer {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'gw' }), spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('gw-test');
  for (let t = 0; t < traces; t++) {
    tracer.startActiveSpan('root', (root) => {
      for (let s = 1; s < spansPerTrace; s++) tracer.startSpan(`child-${s}`).end();
      root.end();
    });
  }
  return Buffer.from(ProtobufTraceSerializer.serializeRequest(exporter.getFinishedSpans())!);
}

const PARTITIONS = 4;

describe('gateway', () => {
  const published: Array<{ key: string; batch: SpanBatch }> = [];
  const producer: QueueProducer = {
    start: async () => {},
    shutdown: async () => {},
    publish: async (key, payload) => void published.push({ key, batch: decodeSpanBatch(payload) }),
  };
  let app: FastifyInstance;
  let now = 1_000_000;

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ariadne-gw-'));
    const file = join(dir, 'tokens.json');
    writeFileSync(
      file,
      JSON.stringify({
        'tok-acme-web-0001': { tenant: 'acme', project: 'web' },
        'tok-globex-api-01': { tenant: 'globex', project: 'api', rateLimitSpansPerSecond: 10 },
        'tok-revoked-00001': { tenant: 'acme', project: 'old', revoked: true },
      }),
    );
    // The rate limiter reads Date.now; the tests drive it.
    Date.now = () => now;
    app = createGateway({ producer, partitions: PARTITIONS, tokens: IngestTokens.load(file), defaultRateLimit: 0, maxBodyBytes: 16 * 1024, logger: pino({ level: 'silent' }) }).app;
    await app.ready();
  });
  const realNow = Date.now;
  after(async () => {
    Date.now = realNow;
    await app.close();
  });

  const post = (body: Buffer, token?: string) =>
    app.inject({
      method: 'POST',
      url: '/v1/traces',
      payload: body,
      headers: { 'content-type': 'application/x-protobuf', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    });

  it('answers 401 without a token and 403 with an unknown or revoked one, publishing nothing', async () => {
    published.length = 0;
    const body = exportBody(1, 1);
    const none = await post(body);
    assert.equal(none.statusCode, 401);
    const wrong = await post(body, 'tok-nobody-000000');
    assert.equal(wrong.statusCode, 403);
    const revoked = await post(body, 'tok-revoked-00001');
    assert.equal(revoked.statusCode, 403);
    const basic = await app.inject({ method: 'POST', url: '/v1/traces', payload: body, headers: { 'content-type': 'application/x-protobuf', authorization: 'Basic eDp5' } });
    assert.equal(basic.statusCode, 401);
    assert.equal(published.length, 0);
  });

  it("publishes the token's tenant, every trace whole in the partition its id hashes to", async () => {
    published.length = 0;
    const res = await post(exportBody(20, 3), 'tok-acme-web-0001');
    assert.equal(res.statusCode, 200, res.body);
    const spans = published.flatMap((m) => m.batch.spans);
    assert.equal(spans.length, 60);
    assert.ok(published.length <= PARTITIONS, 'one message per partition at most');
    for (const { key, batch } of published) {
      assert.equal(batch.tenant, 'acme');
      for (const span of batch.spans) assert.equal(partitionForKey(span.traceId, PARTITIONS), partitionForKey(key, PARTITIONS));
    }
  });

  it('answers 413 above the body limit', async () => {
    const res = await post(Buffer.alloc(20 * 1024), 'tok-acme-web-0001');
    assert.equal(res.statusCode, 413);
  });

  it("answers 429 with Retry-After once a tenant is over its rate, other tenants unaffected, then lets it in again", async () => {
    published.length = 0;
    const ten = exportBody(5, 2);
    assert.equal((await post(ten, 'tok-globex-api-01')).statusCode, 200);
    assert.equal((await post(ten, 'tok-globex-api-01')).statusCode, 200, 'the burst is two seconds of the rate');
    const over = await post(ten, 'tok-globex-api-01');
    assert.equal(over.statusCode, 429);
    assert.equal(over.headers['retry-after'], '1');
    assert.equal((await post(ten, 'tok-acme-web-0001')).statusCode, 200);
    now += 1000;
    assert.equal((await post(ten, 'tok-globex-api-01')).statusCode, 200);
    assert.equal(published.flatMap((m) => m.batch.spans).length, 40);
  });
});

describe('IngestTokens.load', () => {
  it('fails naming the entry for a bad tokens file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ariadne-gw-'));
    const file = join(dir, 'tokens.json');
    writeFileSync(file, JSON.stringify({ 'tok-acme-web-0001': { project: 'web' } }));
    assert.throws(() => IngestTokens.load(file), /'tok-…': tenant must be a non-empty string/);
    writeFileSync(file, JSON.stringify({ short: { tenant: 'a', project: 'b' } }));
    assert.throws(() => IngestTokens.load(file), /at least 8 characters/);
    assert.throws(() => IngestTokens.load(join(dir, 'missing.json')), /cannot read tokens file/);
  });
});
