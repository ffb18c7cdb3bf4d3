import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { AlertNotification } from '../../alerting/alert-model.js';
import { DuckDbSpanStore } from './duckdb-span-store.js';

const notification = (id: string, ruleId: string, createdAt: number): AlertNotification => ({
  id, ruleId, ruleName: ruleId, channelId: 'c', state: 'firing', status: 'sending', summary: '', createdAt, attempts: [], payload: {},
});

describe('DuckDB alert store', () => {
  it('keeps documents across a reopen; lists newest first, filtered by rule', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ariadne-alerts-'));
    try {
      let store = await DuckDbSpanStore.open({ path: join(dir, 'db.duckdb') });
      await store.alerts.notifications.put(notification('n1', 'r1', 1));
      await store.alerts.notifications.put(notification('n2', 'r2', 2));
      await store.alerts.notifications.put(notification('n3', 'r1', 3));
      await store.alerts.notifications.put({ ...notification('n1', 'r1', 1), status: 'delivered' });
      await store.shutdown();
      store = await DuckDbSpanStore.open({ path: join(dir, 'db.duckdb') });
      const n = store.alerts.notifications;
      assert.deepStrictEqual((await n.list()).map((x) => x.id), ['n3', 'n2', 'n1']);
      assert.deepStrictEqual((await n.list({ ref: 'r1', limit: 1 })).map((x) => x.id), ['n3']);
      assert.equal((await n.get('n1'))?.status, 'delivered');
      assert.equal(await n.delete('n1'), true);
      assert.equal(await n.delete('n1'), false);
      assert.equal(await n.get('n1'), undefined);
      await store.shutdown();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('grants the lease to one holder at a time: renewals by the holder, takeover after expiry, release', async () => {
    const store = await DuckDbSpanStore.open({ path: ':memory:' });
    const lease = (holder: string, now: number) => store.alerts.acquireLease('l', holder, 1000, now);
    assert.equal(await lease('a', 0), true);
    assert.equal(await lease('b', 10), false);
    assert.equal(await lease('a', 900), true); // renewed to 1900
    assert.equal(await lease('b', 1500), false);
    assert.equal(await lease('b', 1900), true);
    assert.equal(await lease('a', 2000), false);
    await store.alerts.releaseLease('a', 'a'); // not a's to release
    assert.equal(await lease('a', 2100), false);
    await store.alerts.releaseLease('l', 'b');
    assert.equal(await lease('a', 2100), true);
    // Concurrent tries: exactly one wins.
    const wins = await Promise.all(['x', 'y', 'z'].map((h) => store.alerts.acquireLease('m', h, 1000, 0)));
    assert.equal(wins.filter(Boolean).length, 1);
    await store.shutdown();
  });
});
