import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alertHarness, MINUTE } from './alert-test-harness.js';

describe('two evaluators over one store', () => {
  it('only the lease holder evaluates and notifies; the other takes over when it stops, without repeating the firing', async (t) => {
    const h = await alertHarness({ holders: ['a', 'b'] });
    t.after(() => h.close());
    const [a, b] = h.evaluators;
    const channel = await h.channel();
    await h.rule({ name: 'shared', signal: 'error_rate', scope: { service: 'api' }, comparison: '>', threshold: 0.1, windowSeconds: 60, channelIds: [channel.id] });
    await h.red(1, 3, 'api', 100, 50);
    await h.red(4, 9, 'api', 100, 0);

    // Both try every tick: one acts, the other stands by.
    h.at(2);
    const acted: string[] = [];
    for (const end = h.clock.now + 2 * MINUTE; h.clock.now <= end; h.clock.now += 30_000) {
      if (await a.evaluate()) acted.push('a');
      if (await b.evaluate()) acted.push('b');
    }
    assert.deepStrictEqual(acted, ['a', 'a', 'a', 'a', 'a']);
    await h.notifier.idle();
    assert.deepStrictEqual(h.receiver.received.map((r) => r.body.state), ['firing']);

    // a stops renewing (a crash: no release). b waits out the lease (3 intervals), then resolves the alert a fired.
    const lastRenewal = h.clock.now - 30_000;
    const takeover: number[] = [];
    for (; h.clock.now <= lastRenewal + 4 * MINUTE; h.clock.now += 30_000) {
      if (await b.evaluate()) takeover.push(h.clock.now - lastRenewal);
    }
    assert.equal(takeover[0], 90_000);
    await h.notifier.idle();
    assert.deepStrictEqual(h.receiver.received.map((r) => r.body.state), ['firing', 'resolved']);
    // And a, back, stands by while b renews.
    assert.equal(await a.evaluate(), false);
  });
});
