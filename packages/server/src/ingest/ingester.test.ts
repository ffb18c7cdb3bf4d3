import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import type { Span } from '../model/span.js';
import { SpanKind, StatusCode } from '../model/span.js';
import { DuckDbSpanStore } from '../storage/duckdb/duckdb-span-store.js';
import { MINUTE_NANO } from '../storage/metrics-store.js';
import type { RedSeries } from '../storage/metrics-store.js';
import { Ingester } from './ingester.js';
import { adjustedCount } from './red-metrics/adjusted-count.js';
import { RELATIVE_ACCURACY } from './sketch/log-histogram.js';
import { generateWorkload } from './test-workload.js';

const T0 = 1_700_000_040_000_000_000n - (1_700_000_040_000_000_000n % MINUTE_NANO);
const RANGE = { startUnixNano: T0, endUnixNano: T0 + 10n * MINUTE_NANO };
const log = pino({ level: 'silent' });

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ariadne-ingester-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The true RED numbers of a span list, per (service, operation, kind), weighted. */
function truth(spans: Span[]) {
  const groups = new Map<string, { requests: number; errors: number; durations: number[] }>();
  for (const span of spans) {
    const key = `${span.resource.serviceName} ${span.name} ${span.kind}`;
    const g = groups.get(key) ?? { requests: 0, errors: 0, durations: [] };
    const weight = adjustedCount(span.traceState);
    g.requests += weight;
    if (span.status.code === StatusCode.ERROR) g.errors += weight;
    for (let i = 0; i < weight; i++) g.durations.push(Number(span.endTimeUnixNano - span.startTimeUnixNano));
    groups.set(key, g);
  }
  return groups;
}

function assertMatchesTruth(series: RedSeries[], spans: Span[]): void {
  const expected = truth(spans);
  assert.equal(series.length, expected.size);
  for (const s of series) {
    const kind = s.operation === 'GET /checkout' || s.operation === 'POST /pay' && s.service === 'payments' ? SpanKind.SERVER : SpanKind.CLIENT;
    const t = expected.get(`${s.service} ${s.operation} ${kind}`);
    assert.ok(t, `${s.service} ${s.operation}`);
    assert.equal(s.points.length, 1, 'one point for the whole range');
    const [point] = s.points;
    assert.equal(point.requests, t.requests);
    assert.equal(point.errors, t.errors);
    const sorted = t.durations.sort((a, b) => a - b);
    for (const q of [0.5, 0.95, 0.99]) {
      const real = sorted[Math.floor(q * (sorted.length - 1))];
      const estimate = point.latency.quantile(q);
      assert.ok(Math.abs(estimate - real) <= RELATIVE_ACCURACY * real * (1 + 1e-9), `${s.service} ${s.operation} p${q * 100}: ${estimate} vs ${real}`);
    }
  }
}

const redQuery = { range: RANGE, stepNano: 10n * MINUTE_NANO, groupByOperation: true };

async function ingest(ingester: Ingester, spans: Span[], batchSize: number, clock: { now: number }): Promise<void> {
  for (let i = 0; i < spans.length; i += batchSize) {
    await ingester.consumeSpans({ tenant: 'default', spans: spans.slice(i, i + batchSize) });
    clock.now += 100;
    await ingester.tick();
  }
}

describe('Ingester processors', () => {
  it('derives exact counts, error rates and 1%-accurate percentiles, ignores redeliveries, and survives a restart', async () => {
    const path = join(dir, 'restart', 'ariadne.duckdb');
    const spans = generateWorkload({ traces: 3000, startUnixNano: T0, intervalNano: 100_000_000n });
    const clock = { now: 1_000_000 };
    let store = await DuckDbSpanStore.open({ path });
    const first = new Ingester(store, { metrics: store.metrics, traceWindowMs: 5000, log, now: () => clock.now });
    await first.start();
    // The first half, then a redelivery of part of it (at-least-once queue), then a restart.
    const half = spans.length / 2;
    await ingest(first, spans.slice(0, half), 500, clock);
    await ingest(first, spans.slice(half - 1000, half), 250, clock);
    assert.equal(first.getStats().duplicateSpans, 1000);
    await first.shutdown();
    await store.shutdown();

    store = await DuckDbSpanStore.open({ path });
    const second = new Ingester(store, { metrics: store.metrics, traceWindowMs: 5000, log, now: () => clock.now });
    await second.start();
    await ingest(second, spans.slice(half), 700, clock);
    await second.shutdown();
    await store.shutdown();

    store = await DuckDbSpanStore.open({ path });
    assertMatchesTruth(await store.metrics.red(redQuery), spans);
    const edges = await store.metrics.dependencies(RANGE);
    assert.deepStrictEqual(
      edges.map((e) => [e.parent, e.child, e.calls, e.errors]),
      [
        ['frontend', 'payments', ...edgeTruth(spans, 'frontend')],
        ['payments', 'postgresql/payments', ...edgeTruth(spans, 'payments')],
      ],
    );
    assert.deepStrictEqual(
      (await store.getDependencies(RANGE)).map((e) => [e.parent, e.child, e.callCount]),
      [
        ['frontend', 'payments', edgeTruth(spans, 'frontend')[0]],
        ['payments', 'postgresql/payments', edgeTruth(spans, 'payments')[0]],
      ],
      'the Jaeger dependencies come from the derived edges, peers included',
    );
    const [group] = await store.metrics.errorGroups({ range: RANGE, stepNano: MINUTE_NANO, limit: 10 });
    assert.equal(group.errorType, 'CardDeclined');
    assert.equal(group.message, 'card <n> declined');
    assert.equal(group.frame, 'at charge (pay.js:3:9)');
    assert.equal(group.count, truth(spans).get(`payments POST /pay ${SpanKind.SERVER}`)!.errors);
    assert.equal(group.points.reduce((n, p) => n + p.count, 0), group.count);
    assert.ok(group.points.length >= 5, 'per-minute counts');
    assert.equal(group.exampleTraceIds.length, 5);
    await store.shutdown();
  });

  it('merges the partials of two ingesters sharing a store', async () => {
    const store = await DuckDbSpanStore.open({ path: ':memory:' });
    const spans = generateWorkload({ traces: 2000, startUnixNano: T0, intervalNano: 150_000_000n, seed: 11 });
    const clock = { now: 5_000_000 };
    const ingesters = [0, 1].map(() => new Ingester(store, { metrics: store.metrics, traceWindowMs: 5000, log, now: () => clock.now }));
    // Keyed by trace id as the queue would: every span of a trace reaches the same ingester.
    const byIngester = [0, 1].map((i) => spans.filter((s) => parseInt(s.traceId.slice(-1), 16) % 2 === i));
    await Promise.all(ingesters.map((ingester, i) => ingest(ingester, byIngester[i], 300, clock)));
    await Promise.all(ingesters.map((ingester) => ingester.shutdown()));
    assertMatchesTruth(await store.metrics.red(redQuery), spans);
    assert.deepStrictEqual(
      (await store.metrics.dependencies(RANGE)).map((e) => [e.parent, e.child, e.calls]),
      [
        ['frontend', 'payments', edgeTruth(spans, 'frontend')[0]],
        ['payments', 'postgresql/payments', edgeTruth(spans, 'payments')[0]],
      ],
    );
    const perService = await store.metrics.red({ range: RANGE, stepNano: MINUTE_NANO, services: ['payments'], spanKinds: [SpanKind.SERVER] });
    assert.equal(perService.length, 1);
    assert.equal(perService[0].operation, undefined);
    assert.equal(perService[0].points.reduce((n, p) => n + p.requests, 0), truth(spans).get(`payments POST /pay ${SpanKind.SERVER}`)!.requests);
    await store.shutdown();
  });
});

/** Calls and errors of the edge leaving `service`, weighted: its CLIENT spans, failing when the answer failed. */
function edgeTruth(spans: Span[], service: string): [number, number] {
  const childOf = new Map(spans.map((s) => [s.traceId + s.parentSpanId, s]));
  let calls = 0;
  let errors = 0;
  for (const s of spans) {
    if (s.kind !== SpanKind.CLIENT || s.resource.serviceName !== service) continue;
    const weight = adjustedCount(s.traceState);
    calls += weight;
    const child = childOf.get(s.traceId + s.spanId);
    if (s.status.code === StatusCode.ERROR || child?.status.code === StatusCode.ERROR) errors += weight;
  }
  return [calls, errors];
}
