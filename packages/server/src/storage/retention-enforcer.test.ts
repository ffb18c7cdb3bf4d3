import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { DuckDbSpanStore } from './duckdb/duckdb-span-store.js';
import { RetentionEnforcer } from './retention-enforcer.js';
import { syntheticSpans } from './synthetic-spans.js';

const HOUR = 3_600_000_000_000n;

describe('RetentionEnforcer', () => {
  it('removes exactly the traces older than the window and keeps the rest', async () => {
    const store = await DuckDbSpanStore.open({ path: ':memory:' });
    const now = BigInt(Date.now()) * 1_000_000n;
    const old = syntheticSpans({ traces: 4, startUnixNano: now - 10n * HOUR, seed: 1 });
    const fresh = syntheticSpans({ traces: 3, startUnixNano: now - 1n * HOUR, seed: 2 });
    await store.writeSpans({ tenant: 'default', spans: [...old, ...fresh] });

    const retention = new RetentionEnforcer(store, 5, pino({ level: 'silent' }));
    await retention.start();
    await retention.shutdown();

    for (const span of old) assert.deepEqual(await store.getTrace(span.traceId), [], 'old trace still stored');
    for (const span of fresh) assert.ok((await store.getTrace(span.traceId)).length > 0, 'fresh trace removed');
    await store.shutdown();
  });
});
