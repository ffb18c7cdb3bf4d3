import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'node:test';
import { alertStoreConformance } from '../../alerting/alert-store-conformance.js';
import { DuckDbSpanStore } from './duckdb-span-store.js';

describe('DuckDB alert store', () => {
  alertStoreConformance(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ariadne-alerts-'));
    const path = join(dir, 'db.duckdb');
    let store = await DuckDbSpanStore.open({ path });
    return {
      store: store.alerts,
      async reopen() {
        await store.shutdown();
        store = await DuckDbSpanStore.open({ path });
        return store.alerts;
      },
      async close() {
        await store.shutdown();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  });
});
