import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { AlertNotification } from './alert-model.js';
import type { AlertStore } from './alert-store.js';

/** A store under test: `reopen` closes it and opens the same data again, as a restart would. */
export interface OpenedAlertStore {
  store: AlertStore;
  reopen(): Promise<AlertStore>;
  close(): Promise<void>;
}

const notification = (id: string, ruleId: string, createdAt: number): AlertNotification => ({
  id, ruleId, ruleName: ruleId, channelId: 'c', state: 'firing', status: 'sending', summary: '', createdAt, attempts: [], payload: {},
});

/** The AlertStore contract, run against every backend that keeps alerting's documents. */
export function alertStoreConformance(open: () => Promise<OpenedAlertStore>): void {
  it('keeps documents across a reopen; lists newest first, filtered by rule; deletes once', async () => {
    const opened = await open();
    try {
      let n = opened.store.notifications;
      await n.put(notification('n1', 'r1', 1));
      await n.put(notification('n2', 'r2', 2));
      await n.put(notification('n3', 'r1', 3));
      await n.put({ ...notification('n1', 'r1', 1), status: 'delivered' });
      n = (await opened.reopen()).notifications;
      assert.deepStrictEqual((await n.list()).map((x) => x.id), ['n3', 'n2', 'n1']);
      assert.deepStrictEqual((await n.list({ ref: 'r1', limit: 1 })).map((x) => x.id), ['n3']);
      assert.equal((await n.get('n1'))?.status, 'delivered');
      assert.equal(await n.delete('n1'), true);
      assert.equal(await n.delete('n1'), false);
      assert.equal(await n.get('n1'), undefined);
      assert.equal(await n.get('../no such id'), undefined);
      assert.deepStrictEqual((await n.list()).map((x) => x.id), ['n3', 'n2']);
    } finally {
      await opened.close();
    }
  });

  it('grants the lease to one holder at a time: renewals by the holder, takeover after expiry, release', async () => {
    const opened = await open();
    try {
      const { store } = opened;
      const lease = (holder: string, now: number) => store.acquireLease('l', holder, 1000, now);
      assert.equal(await lease('a', 0), true);
      assert.equal(await lease('b', 10), false);
      assert.equal(await lease('a', 900), true); // renewed to 1900
      assert.equal(await lease('b', 1500), false);
      assert.equal(await lease('b', 1900), true);
      assert.equal(await lease('a', 2000), false);
      await store.releaseLease('a', 'a'); // not a's to release
      assert.equal(await lease('a', 2100), false);
      await store.releaseLease('l', 'b');
      assert.equal(await lease('a', 2100), true);
      // Concurrent tries: exactly one wins.
      const wins = await Promise.all(['x', 'y', 'z'].map((h) => store.acquireLease('m', h, 1000, 0)));
      assert.equal(wins.filter(Boolean).length, 1);
    } finally {
      await opened.close();
    }
  });
}
