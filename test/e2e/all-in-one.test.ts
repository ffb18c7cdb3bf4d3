import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter as OtlpHttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { eventually, startAriadne, type RunningAriadne } from './start-ariadne.js';

/**
 * The official OpenTelemetry JS SDK sends a generated data set whose answers are known to the real
 * `ariadne` process; every Jaeger endpoint is checked for shapes, units and exact search results.
 */

const TRACES = 20;
const base = Date.now() - 10 * 60_000; // ten minutes ago, in ms

interface Made {
  traceIds: string[];
}

function provider(exporter: OtlpProtoExporter | OtlpHttpJsonExporter, service: string, attributes: Record<string, string> = {}) {
  return new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service, ...attributes }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
}

/** Trace i: frontend SERVER root (error when i%5==0) → frontend CLIENT → backend SERVER. */
function makeTraces(frontend: Tracer, backend: Tracer): Made {
  const traceIds: string[] = [];
  for (let i = 0; i < TRACES; i++) {
    const start = base + i * 1000;
    const duration = (i + 1) * 10;
    const root = frontend.startSpan(
      i % 2 === 0 ? 'GET /checkout' : 'GET /cart',
      {
        kind: SpanKind.SERVER,
        startTime: start,
        attributes: { customer: `c${i % 4}`, 'http.response.status_code': i % 5 === 0 ? 500 : 200, ratio: 0.5 },
      },
      ROOT_CONTEXT,
    );
    if (i % 5 === 0) root.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
    root.addEvent('cache.miss', { key: `k${i}` }, start + 1);
    const rootCtx = trace.setSpan(ROOT_CONTEXT, root);
    const client = frontend.startSpan('call backend', { kind: SpanKind.CLIENT, startTime: start + 1 }, rootCtx);
    const server = backend.startSpan(
      'handle',
      { kind: SpanKind.SERVER, startTime: start + 2, attributes: { region: i % 2 === 0 ? 'eu' : 'us' } },
      trace.setSpan(ROOT_CONTEXT, client),
    );
    server.end(start + duration - 2);
    client.end(start + duration - 1);
    root.end(start + duration);
    traceIds.push(root.spanContext().traceId);
  }
  return { traceIds };
}

describe('all-in-one with the official OpenTelemetry SDK', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ariadne-e2e-'));
  let ariadne: RunningAriadne;
  let made: Made;

  const api = async (path: string) => {
    const res = await fetch(ariadne.queryUrl + path);
    return { status: res.status, body: (await res.json()) as { data: any; total: number; errors: any } };
  };
  const search = async (params: Record<string, string | number>) => {
    const qs = new URLSearchParams({ start: String((base - 60_000) * 1000), end: String((base + 60_000 + TRACES * 1000) * 1000), limit: '100', ...params } as Record<string, string>);
    const { status, body } = await api(`/api/traces?${qs}`);
    assert.equal(status, 200, JSON.stringify(body));
    return (body.data as Array<{ traceID: string }>).map((t) => t.traceID).sort();
  };
  const expect = (pred: (i: number) => boolean) => made.traceIds.filter((_, i) => pred(i)).sort();

  before(async () => {
    ariadne = await startAriadne(dataDir);
    const url = `${ariadne.otlpUrl}/v1/traces`;
    const frontend = provider(new OtlpProtoExporter({ url }), 'frontend', { 'deployment.environment': 'prod' });
    const backend = provider(new OtlpHttpJsonExporter({ url }), 'backend');
    made = makeTraces(frontend.getTracer('e2e'), backend.getTracer('e2e'));
    await Promise.all([frontend.forceFlush(), backend.forceFlush()]);
    await Promise.all([frontend.shutdown(), backend.shutdown()]);
    await eventually(async () => ((await search({ service: 'backend' })).length === TRACES ? true : undefined));
  });
  after(async () => {
    await ariadne?.stop();
  });

  it('lists services and operations', async () => {
    const services = await api('/api/services');
    assert.deepEqual([...services.body.data].sort(), ['backend', 'frontend']);
    assert.equal(services.body.total, 2);
    const ops = await api('/api/services/frontend/operations');
    assert.deepEqual([...ops.body.data].sort(), ['GET /cart', 'GET /checkout', 'call backend']);
    const serverOps = await api('/api/operations?service=frontend&spanKind=server');
    assert.deepEqual(
      serverOps.body.data.map((o: { name: string; spanKind: string }) => `${o.name}|${o.spanKind}`).sort(),
      ['GET /cart|server', 'GET /checkout|server'],
    );
  });

  it('returns a trace with Jaeger shapes and units', async () => {
    const i = 5;
    const { status, body } = await api(`/api/traces/${made.traceIds[i]}`);
    assert.equal(status, 200);
    const [t] = body.data;
    assert.equal(t.traceID, made.traceIds[i]);
    assert.equal(t.spans.length, 3);
    const byName = Object.fromEntries(t.spans.map((s: any) => [s.operationName, s]));
    const root = byName['GET /cart'];
    assert.equal(root.startTime, (base + i * 1000) * 1000);
    assert.equal(root.duration, (i + 1) * 10 * 1000);
    assert.deepEqual(root.references, []);
    const tag = (s: any, key: string) => s.tags.find((x: any) => x.key === key);
    assert.deepEqual(tag(root, 'http.response.status_code'), { key: 'http.response.status_code', type: 'int64', value: 500 });
    assert.deepEqual(tag(root, 'ratio'), { key: 'ratio', type: 'float64', value: 0.5 });
    assert.deepEqual(tag(root, 'error'), { key: 'error', type: 'bool', value: true });
    assert.deepEqual(tag(root, 'span.kind'), { key: 'span.kind', type: 'string', value: 'server' });
    assert.equal(root.logs.length, 1);
    assert.equal(root.logs[0].timestamp, (base + i * 1000 + 1) * 1000);
    assert.ok(root.logs[0].fields.some((f: any) => f.key === 'event' && f.value === 'cache.miss'));
    const client = byName['call backend'];
    assert.deepEqual(client.references, [{ refType: 'CHILD_OF', traceID: t.traceID, spanID: root.spanID }]);
    const server = byName['handle'];
    assert.deepEqual(server.references, [{ refType: 'CHILD_OF', traceID: t.traceID, spanID: client.spanID }]);
    assert.equal(t.processes[root.processID].serviceName, 'frontend');
    assert.equal(t.processes[server.processID].serviceName, 'backend');
    assert.notEqual(root.processID, server.processID);
    assert.ok(t.processes[root.processID].tags.some((x: any) => x.key === 'deployment.environment' && x.value === 'prod'));
  });

  it('answers 404 for an unknown trace and 400 for a malformed id', async () => {
    const missing = await api('/api/traces/0123456789abcdef0123456789abcdef');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.errors[0].code, 404);
    const bad = await api('/api/traces/not-hex');
    assert.equal(bad.status, 400);
  });

  it('finds exactly the right traces for each search filter', async () => {
    assert.deepEqual(await search({ service: 'frontend' }), expect(() => true));
    assert.deepEqual(await search({ service: 'frontend', operation: 'GET /checkout' }), expect((i) => i % 2 === 0));
    assert.deepEqual(await search({ service: 'frontend', tags: JSON.stringify({ customer: 'c1' }) }), expect((i) => i % 4 === 1));
    assert.deepEqual(await search({ service: 'frontend', tag: 'customer:c1' }), expect((i) => i % 4 === 1));
    assert.deepEqual(
      await search({ service: 'frontend', tags: JSON.stringify({ customer: 'c0', 'http.response.status_code': '500' }) }),
      expect((i) => i % 4 === 0 && i % 5 === 0),
    );
    assert.deepEqual(await search({ service: 'frontend', tags: JSON.stringify({ 'deployment.environment': 'prod' }) }), expect(() => true));
    assert.deepEqual(await search({ service: 'backend', tags: JSON.stringify({ region: 'eu' }) }), expect((i) => i % 2 === 0));
    assert.deepEqual(await search({ service: 'frontend', minDuration: '100ms' }), expect((i) => (i + 1) * 10 >= 100));
    assert.deepEqual(await search({ service: 'frontend', maxDuration: '50ms' }), expect((i) => i <= 4));
    assert.deepEqual(await search({ service: 'frontend', minDuration: '0.1s', maxDuration: '150ms' }), expect((i) => i >= 9 && i <= 14));
    assert.deepEqual(
      await search({ service: 'frontend', operation: 'GET /checkout', start: (base + 5000) * 1000, end: (base + 9500) * 1000 }),
      expect((i) => i >= 5 && i <= 9 && i % 2 === 0),
    );
    const limited = await api(`/api/traces?service=frontend&limit=3&start=${(base - 1000) * 1000}&end=${(base + 60_000) * 1000}`);
    assert.deepEqual(limited.body.data.map((t: any) => t.traceID).sort(), expect((i) => i >= 17));
  });

  it('returns the traces asked for by traceID', async () => {
    const ids = [made.traceIds[1], made.traceIds[7]];
    const { body } = await api(`/api/traces?traceID=${ids[0]}&traceID=${ids[1]}`);
    assert.deepEqual(body.data.map((t: any) => t.traceID).sort(), [...ids].sort());
  });

  it('answers 400 with a message for bad query parameters and keeps serving', async () => {
    const bad = await api('/api/traces?service=frontend&minDuration=fast');
    assert.equal(bad.status, 400);
    assert.match(bad.body.errors[0].msg, /minDuration/);
    const badTags = await api('/api/traces?service=frontend&tags=%7Bnope');
    assert.equal(badTags.status, 400);
    assert.equal((await api('/api/services')).status, 200);
  });

  it('derives service dependencies', async () => {
    const { body } = await api(`/api/dependencies?endTs=${Date.now()}&lookback=${3_600_000}`);
    assert.deepEqual(body.data, [{ parent: 'frontend', child: 'backend', callCount: TRACES }]);
  });

  it('serves full OTLP-shaped spans on the native API', async () => {
    const res = await fetch(`${ariadne.queryUrl}/api/v1/traces/${made.traceIds[0]}`);
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.match(text, /"service\.name"/);
    assert.match(text, /deployment\.environment/);
    assert.match(text, /"e2e"/); // scope name
  });

  it('keeps every accepted span across a restart', async () => {
    assert.equal(await ariadne.stop('SIGTERM'), 0);
    assert.ok(ariadne.logs.some((l) => /every accepted span was written/.test(String(l.msg))));
    ariadne = await startAriadne(dataDir);
    assert.deepEqual(await search({ service: 'backend' }), expect(() => true));
    const { body } = await api(`/api/traces/${made.traceIds[3]}`);
    assert.equal(body.data[0].spans.length, 3);
  });
});
