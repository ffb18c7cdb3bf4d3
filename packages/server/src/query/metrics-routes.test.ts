import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import pino from 'pino';
import { Ingester } from '../ingest/ingester.js';
import { generateWorkload } from '../ingest/test-workload.js';
import { DuckDbSpanStore } from '../storage/duckdb/duckdb-span-store.js';
import { MINUTE_NANO } from '../storage/metrics-store.js';
import { registerMetricsRoutes } from './metrics-routes.js';

const T0 = 1_700_000_040_000_000_000n - (1_700_000_040_000_000_000n % MINUTE_NANO);
const T0_MS = Number(T0 / 1_000_000n);
const app = Fastify();
let store: DuckDbSpanStore;

before(async () => {
  store = await DuckDbSpanStore.open({ path: ':memory:' });
  const ingester = new Ingester(store, { metrics: store.metrics, traceWindowMs: 1000, log: pino({ level: 'silent' }) });
  // 600 traces over 3 minutes.
  await ingester.consumeSpans({ tenant: 'default', spans: generateWorkload({ traces: 600, startUnixNano: T0, intervalNano: 300_000_000n }) });
  await ingester.shutdown();
  registerMetricsRoutes(app, store.metrics);
});
after(async () => {
  await app.close();
  await store.shutdown();
});

const get = async (url: string) => {
  const res = await app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.json() };
};

describe('metrics routes', () => {
  it('serves RED series per operation with rates and percentiles in ms', async () => {
    const { status, body } = await get(`/api/v1/metrics/red?service=payments&groupBy=operation&start=${T0_MS}&end=${T0_MS + 180_000}&step=60000`);
    assert.equal(status, 200);
    assert.deepStrictEqual(body.series.map((s: { operation: string }) => s.operation), ['INSERT payments', 'POST /pay']);
    const pay = body.series[1];
    assert.equal(pay.points.length, 3);
    assert.deepStrictEqual(pay.points.map((p: { timestamp: number }) => p.timestamp), [T0_MS, T0_MS + 60_000, T0_MS + 120_000]);
    const first = pay.points[0];
    // Minute one: traces 0..199, every 5th weighted 2, every 7th failing.
    assert.equal(first.requests, 240);
    assert.equal(first.errorRate, first.errors / first.requests);
    assert.ok(first.p50 > 0 && first.p50 <= first.p95 && first.p95 <= first.p99);
  });

  it('serves the graph with cycles and top nodes, and error groups', async () => {
    const graph = (await get(`/api/v1/graph?start=${T0_MS}&end=${T0_MS + 180_000}`)).body;
    assert.deepStrictEqual(graph.edges.map((e: { parent: string; child: string; calls: number }) => [e.parent, e.child, e.calls]), [
      ['frontend', 'payments', 720],
      ['payments', 'postgresql/payments', 720],
    ]);
    assert.deepStrictEqual(graph.cycles, []);
    assert.equal(graph.topNodes[0].name, 'payments');
    const errors = (await get(`/api/v1/errors?start=${T0_MS}&end=${T0_MS + 180_000}`)).body;
    assert.equal(errors.groups.length, 1);
    assert.equal(errors.groups[0].message, 'card <n> declined');
    assert.equal(errors.groups[0].points.length, 3);
  });

  it("answers Jaeger's SPM API with its shapes and units", async () => {
    const end = T0_MS + 180_000;
    const calls = (await get(`/api/metrics/calls?service=payments&endTs=${end}&lookback=180000&step=60000&ratePer=60000`)).body;
    assert.equal(calls.name, 'service_call_rate');
    assert.equal(calls.type, 'GAUGE');
    assert.equal(calls.help, 'calls/sec, grouped by service');
    assert.deepStrictEqual(calls.metrics[0].labels, [{ name: 'service_name', value: 'payments' }]);
    const point = calls.metrics[0].metricPoints[0];
    assert.equal(calls.metrics[0].metricPoints.length, 3);
    assert.equal(point.timestamp, new Date(T0_MS + 60_000).toISOString());
    // The minute before T0+60s holds 240 weighted server calls: 4 per second.
    assert.equal(point.gaugeValue.doubleValue, 4);

    const latencies = (await get(`/api/metrics/latencies?service=payments&quantile=0.95&groupByOperation=true&spanKind=client&endTs=${end}&lookback=120000&step=60000&ratePer=60000`)).body;
    assert.equal(latencies.name, 'service_operation_latencies');
    assert.equal(latencies.help, '0.95th quantile latency, grouped by service & operation');
    assert.deepStrictEqual(latencies.metrics[0].labels, [{ name: 'operation', value: 'INSERT payments' }, { name: 'service_name', value: 'payments' }]);
    const ms = latencies.metrics[0].metricPoints[0].gaugeValue.doubleValue;
    assert.ok(ms > 2 && ms < 41, `${ms} ms`);

    const errors = (await get(`/api/metrics/errors?service=payments&endTs=${end}&lookback=60000&step=60000&ratePer=60000`)).body;
    assert.equal(errors.name, 'service_error_rate');
    const rate = errors.metrics[0].metricPoints[0].gaugeValue.doubleValue;
    assert.ok(rate > 0.1 && rate < 0.2, `${rate}`);

    assert.equal((await get('/api/metrics/calls')).status, 400);
    assert.equal((await get('/api/metrics/latencies?service=payments&quantile=2')).status, 400);
  });
});
