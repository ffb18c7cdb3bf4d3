import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { traceOutlineOf } from '../../model/trace-outline.js';
import { runMetricsStoreConformance } from '../metrics-store-conformance.js';
import { runSpanStoreConformance } from '../span-store-conformance.js';
import { conformanceTraces, traceIdOf } from '../span-store-conformance-data.js';
import { ClickHouseSpanStore } from './clickhouse-span-store.js';
import { startClickHouseTestEngine } from './clickhouse-test-engine.js';
import type { ClickHouseTestEngine } from './clickhouse-test-engine.js';

let engine: ClickHouseTestEngine | undefined;
let databases = 0;
const run = `${process.pid}_${Date.now()}`;

before(async () => {
  engine = await startClickHouseTestEngine();
  console.log(`ClickHouse ${engine.version} at ${engine.url}`);
});
after(async () => {
  await engine?.stop();
});

/** A fresh database for each store. */
const open = (retentionHours?: number) => {
  if (!engine) throw new Error('ClickHouse test engine did not start');
  return ClickHouseSpanStore.open({ url: engine.url, database: `ariadne_${run}_${++databases}`, retentionHours });
};

runSpanStoreConformance('ClickHouse', () => open());

runMetricsStoreConformance('ClickHouse', async () => {
  const store = await open();
  return { store: store.metrics, close: () => store.shutdown() };
});

describe('ClickHouseSpanStore', () => {
  it('creates its schema idempotently; the retention TTL drops expired spans', async () => {
    const old = conformanceTraces().get(7)!;
    const shift = BigInt(Date.now()) * 1_000_000n - old[0].startTimeUnixNano;
    const recent = conformanceTraces().get(1)!.map((span) => ({ ...span, startTimeUnixNano: span.startTimeUnixNano + shift, endTimeUnixNano: span.endTimeUnixNano + shift }));
    const first = await open(48);
    await first.writeSpans({ tenant: 'default', spans: [...old, ...recent] });
    await first.shutdown();
    const second = await ClickHouseSpanStore.open({ url: engine!.url, database: `ariadne_${run}_${databases}`, retentionHours: 48 });
    assert.equal((await second.getTrace(traceIdOf(1))).length, recent.length);
    assert.deepStrictEqual(await second.getTrace(traceIdOf(7)), [], 'older than the retention');
    await second.shutdown();
  });

  it('shows a redelivered span once in getTraceOutline and getSpan before the copies merge', async () => {
    const store = await open();
    const spans = conformanceTraces().get(2)!;
    await store.writeSpans({ tenant: 'default', spans });
    await store.writeSpans({ tenant: 'default', spans });
    assert.deepStrictEqual(await store.getTraceOutline(traceIdOf(2)), traceOutlineOf(traceIdOf(2), spans));
    for (const span of spans) assert.deepStrictEqual(await store.getSpan(traceIdOf(2), span.spanId), span);
    assert.equal(await store.getTraceOutline(traceIdOf(2), 'other'), undefined, 'another tenant');
    assert.equal(await store.getSpan(traceIdOf(2), spans[0].spanId, 'other'), undefined, 'another tenant');
    await store.shutdown();
  });

  it('rejects a batch with an unreadable id as a whole', async () => {
    const store = await open();
    const spans = conformanceTraces().get(1)!;
    await assert.rejects(store.writeSpans({ tenant: 'default', spans: [...spans, { ...spans[0], spanId: 'not hex' }] }));
    assert.deepStrictEqual(await store.findTraceIds({ limit: 10 }), []);
    await store.shutdown();
  });

  it('refuses writes after shutdown', async () => {
    const store = await open();
    await store.shutdown();
    await assert.rejects(store.writeSpans({ tenant: 'default', spans: conformanceTraces().get(5)! }), { code: 'ARIADNE_SHUTTING_DOWN' });
  });
});
