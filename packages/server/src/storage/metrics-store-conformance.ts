import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LogHistogram } from '../ingest/sketch/log-histogram.js';
import { SpanKind } from '../model/span.js';
import { MINUTE_NANO } from './metrics-store.js';
import type { MetricsBatch, MetricsStore } from './metrics-store.js';

const T0 = 1_700_000_040_000_000_000n - (1_700_000_040_000_000_000n % MINUTE_NANO);
const RANGE = { startUnixNano: T0, endUnixNano: T0 + 10n * MINUTE_NANO };

const histogram = (...values: number[]) => {
  const h = new LogHistogram();
  for (const v of values) h.add(v);
  return h;
};

/** Two flushes' worth of partials, overlapping on purpose: a group appears in both. */
function flushes(): MetricsBatch[] {
  const red = (minute: bigint, operation: string, kind: SpanKind, requests: number, errors: number, values: number[]) => ({
    tenant: 'default', minuteUnixNano: minute, service: 'api', operation, spanKind: kind, requests, errors, latency: histogram(...values),
  });
  return [
    {
      red: [red(T0, 'GET /a', SpanKind.SERVER, 3, 1, [1e6, 2e6, 3e6]), red(T0 + MINUTE_NANO, 'GET /a', SpanKind.SERVER, 1, 0, [4e6])],
      edges: [{ tenant: 'default', minuteUnixNano: T0, parent: 'web', child: 'api', calls: 3, errors: 1, latency: histogram(1e6, 2e6, 3e6) }],
      errors: [{ tenant: 'default', minuteUnixNano: T0, service: 'api', errorType: 'E', message: 'm <n>', frame: 'at f', count: 1, exampleTraceIds: ['a1', 'a2', 'a3'] }],
    },
    {
      red: [red(T0, 'GET /a', SpanKind.SERVER, 2, 2, [5e6, 6e6]), red(T0, 'db', SpanKind.CLIENT, 4, 0, [1e5, 1e5, 1e5, 1e5])],
      edges: [
        { tenant: 'default', minuteUnixNano: T0, parent: 'web', child: 'api', calls: 2, errors: 0, latency: histogram(9e6, 9e6) },
        { tenant: 'acme', minuteUnixNano: T0, parent: 'x', child: 'y', calls: 1, errors: 0, latency: histogram(1) },
      ],
      errors: [{ tenant: 'default', minuteUnixNano: T0 + MINUTE_NANO, service: 'api', errorType: 'E', message: 'm <n>', frame: 'at f', count: 2, exampleTraceIds: ['a3', 'b1', 'b2', 'b3'] }],
    },
  ];
}

/** The metrics contract: partial rows merge per group, whatever flush or ingester wrote them. `open` returns a new, empty store. */
export function runMetricsStoreConformance(name: string, open: () => Promise<{ store: MetricsStore; close: () => Promise<void> }>): void {
  describe(`MetricsStore conformance: ${name}`, () => {
    it('merges the partial rows of a group, and splits them by step', async () => {
      const { store, close } = await open();
      for (const batch of flushes()) await store.writeMetrics(batch);
      const [series, ...rest] = await store.red({ range: RANGE, stepNano: 10n * MINUTE_NANO, services: ['api'], spanKinds: [SpanKind.SERVER], groupByOperation: true });
      assert.equal(rest.length, 0);
      assert.equal(series.operation, 'GET /a');
      assert.equal(series.points.length, 1);
      assert.equal(series.points[0].requests, 6);
      assert.equal(series.points[0].errors, 3);
      assert.equal(series.points[0].latency.count, 6);
      assert.ok(Math.abs(series.points[0].latency.quantile(0.5) - 3e6) <= 3e4);
      const perMinute = await store.red({ range: RANGE, stepNano: MINUTE_NANO });
      assert.deepStrictEqual(perMinute.map((s) => [s.service, s.operation, s.points.map((p) => [p.startUnixNano - T0, p.requests])]), [
        ['api', undefined, [[0n, 9], [MINUTE_NANO, 1]]],
      ]);
      assert.deepStrictEqual(await store.red({ range: RANGE, stepNano: MINUTE_NANO, services: ['nope'] }), []);
      assert.deepStrictEqual(await store.red({ range: { startUnixNano: T0 - 5n * MINUTE_NANO, endUnixNano: T0 - MINUTE_NANO }, stepNano: MINUTE_NANO }), []);
      await close();
    });

    it('merges edges per tenant and error groups with bounded examples', async () => {
      const { store, close } = await open();
      for (const batch of flushes()) await store.writeMetrics(batch);
      const edges = await store.dependencies(RANGE);
      assert.deepStrictEqual(edges.map((e) => [e.parent, e.child, e.calls, e.errors, e.latency.count]), [['web', 'api', 5, 1, 5]]);
      assert.deepStrictEqual((await store.dependencies(RANGE, 'acme')).map((e) => e.child), ['y']);
      const [group] = await store.errorGroups({ range: RANGE, stepNano: MINUTE_NANO, limit: 10 });
      assert.equal(group.count, 3);
      assert.deepStrictEqual(group.points.map((p) => [p.startUnixNano - T0, p.count]), [[0n, 1], [MINUTE_NANO, 2]]);
      assert.deepStrictEqual(group.exampleTraceIds, ['a1', 'a2', 'a3', 'b1', 'b2']);
      assert.deepStrictEqual(await store.errorGroups({ range: RANGE, stepNano: MINUTE_NANO, limit: 10, service: 'web' }), []);
      await close();
    });

    it('writes a batch all or nothing', async () => {
      const { store, close } = await open();
      const [batch] = flushes();
      const bad = { ...batch, errors: [{ ...batch.errors[0], service: null as unknown as string }] };
      await assert.rejects(store.writeMetrics(bad));
      assert.deepStrictEqual(await store.red({ range: RANGE, stepNano: MINUTE_NANO }), []);
      await close();
    });
  });
}
