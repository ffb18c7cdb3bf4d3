import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runMetricsStoreConformance } from '../metrics-store-conformance.js';
import { runSpanStoreConformance } from '../span-store-conformance.js';
import { conformanceTraces, traceIdOf } from '../span-store-conformance-data.js';
import { syntheticSpans } from '../synthetic-spans.js';
import { DuckDbSpanStore } from './duckdb-span-store.js';

let dir = '';
let files = 0;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ariadne-duckdb-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});
const nextPath = () => join(dir, `store-${++files}`, 'spans.duckdb');

runSpanStoreConformance('DuckDB file', () => DuckDbSpanStore.open({ path: nextPath() }));
runSpanStoreConformance('DuckDB in memory', () => DuckDbSpanStore.open({ path: ':memory:' }));

describe('DuckDbSpanStore', () => {
  it('keeps data across close and reopen', async () => {
    const path = nextPath();
    const trace = conformanceTraces().get(7)!;
    const first = await DuckDbSpanStore.open({ path });
    await first.writeSpans({ tenant: 'default', spans: trace });
    await first.shutdown();
    const second = await DuckDbSpanStore.open({ path });
    assert.deepStrictEqual(
      (await second.getTrace(traceIdOf(7))).sort((a, b) => a.spanId.localeCompare(b.spanId)),
      [...trace].sort((a, b) => a.spanId.localeCompare(b.spanId)),
    );
    await second.writeSpans({ tenant: 'default', spans: trace });
    assert.equal((await second.getTrace(traceIdOf(7))).length, trace.length, 'still idempotent after reopen');
    await second.shutdown();
  });

  it('rejects a batch with an unreadable id as a whole, and keeps working', async () => {
    const store = await DuckDbSpanStore.open({ path: ':memory:' });
    const spans = syntheticSpans({ traces: 500, startUnixNano: 1_700_000_000_000_000_000n });
    await assert.rejects(store.writeSpans({ tenant: 'default', spans: [...spans, { ...spans[0], spanId: 'not hex' }] }));
    assert.deepStrictEqual(await store.findTraceIds({ limit: 10 }), []);
    await store.writeSpans({ tenant: 'default', spans: spans.slice(0, 5) });
    assert.deepStrictEqual(await store.findTraceIds({ limit: 10 }), [spans[0].traceId]);
    await store.shutdown();
  });

  it('refuses writes after shutdown', async () => {
    const store = await DuckDbSpanStore.open({ path: ':memory:' });
    await store.shutdown();
    await assert.rejects(store.writeSpans({ tenant: 'default', spans: conformanceTraces().get(5)! }), { code: 'ARIADNE_SHUTTING_DOWN' });
  });

  it('stores the synthetic workload compactly', async () => {
    const path = nextPath();
    const store = await DuckDbSpanStore.open({ path });
    const spans = syntheticSpans({ traces: 20_000, startUnixNano: 1_700_000_000_000_000_000n });
    for (let i = 0; i < spans.length; i += 5000) await store.writeSpans({ tenant: 'default', spans: spans.slice(i, i + 5000) });
    await store.shutdown();
    const bytesPerSpan = (await stat(path)).size / spans.length;
    console.log(`DuckDB: ${spans.length} synthetic spans, ${bytesPerSpan.toFixed(1)} bytes/span on disk`);
    assert.ok(bytesPerSpan < 80, `${bytesPerSpan} bytes/span`);
  });
});

runMetricsStoreConformance('DuckDB', async () => {
  const store = await DuckDbSpanStore.open({ path: ':memory:' });
  return { store: store.metrics, close: () => store.shutdown() };
});
