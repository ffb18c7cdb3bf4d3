import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { EVALUATOR_LEASE } from '../../packages/server/src/alerting/alert-evaluator.js';
import { startClickHouseTestEngine, type ClickHouseTestEngine } from '../../packages/server/src/storage/clickhouse/clickhouse-test-engine.js';
import { freePort } from '@ariadne/testing';
import { startNats, type RunningNats } from '../../packages/server/src/queue/testing/start-nats.js';
import { startRole, type RunningRole } from './start-role.js';

// Two query instances over ClickHouse share alerting's documents and lease in NATS: what one
// creates the other serves, and exactly one evaluates until it dies.
describe('query role alerting with ClickHouse storage and NATS', { timeout: 120_000 }, () => {
  let nats: RunningNats;
  let clickhouse: ClickHouseTestEngine;
  let nc: NatsConnection;
  const queries: Array<{ role: RunningRole; url: string }> = [];

  before(async () => {
    [nats, clickhouse] = await Promise.all([startNats(), startClickHouseTestEngine()]);
    nc = await connect({ servers: nats.url });
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const args = ['--storage', 'clickhouse', '--clickhouse-url', clickhouse.url, '--nats-url', nats.url, '--query-port', String(port), '--alerting-interval-seconds', '1'];
      queries.push({ role: await startRole('query', args, /^UI and query API listening/), url: `http://127.0.0.1:${port}` });
    }
  });

  after(async () => {
    await Promise.allSettled(queries.map((q) => q.role.stop('SIGKILL')));
    await nc?.close();
    await Promise.allSettled([nats?.stop(), clickhouse?.stop()]);
  });

  const leaseHolderPid = async (): Promise<number | undefined> => {
    const kv = await new Kvm(nc).open('ARIADNE_ALERTS');
    const entry = await kv.get(`lease.${EVALUATOR_LEASE}`);
    if (entry === null || entry.operation !== 'PUT') return undefined;
    return Number((entry.json<{ holder: string }>().holder).split('/')[1]);
  };

  it('serves from one instance the rule made through the other', async () => {
    const post = (url: string, body: object) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const channel = await post(`${queries[0].url}/api/v1/alerts/channels`, { name: 'hook', url: 'http://127.0.0.1:9/hook' });
    assert.equal(channel.status, 201, await channel.clone().text());
    const { id: channelId } = (await channel.json()) as { id: string };
    const rule = await post(`${queries[0].url}/api/v1/alerts/rules`, {
      name: 'checkout errors', signal: 'error_rate', scope: { service: 'checkout' }, comparison: '>', threshold: 0.05, windowSeconds: 60, channelIds: [channelId],
    });
    assert.equal(rule.status, 201, await rule.clone().text());
    const { id } = (await rule.json()) as { id: string };
    const other = await fetch(`${queries[1].url}/api/v1/alerts/rules/${id}`);
    assert.equal(other.status, 200);
    assert.equal(((await other.json()) as { name: string }).name, 'checkout errors');
    const bad = await post(`${queries[1].url}/api/v1/alerts/rules`, { name: 'x', signal: 'nope' });
    assert.equal(bad.status, 400);
  });

  it('lets exactly one instance evaluate, and the other take over when it is killed', async () => {
    const pids = queries.map((q) => q.role.child.pid);
    let holder: number | undefined;
    for (let i = 0; i < 50 && holder === undefined; i++) {
      holder = await leaseHolderPid();
      if (holder === undefined) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(holder !== undefined && pids.includes(holder), `lease held by one of ${pids.join()}: ${holder}`);
    // It stays with its holder while the holder renews.
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(await leaseHolderPid(), holder);
    await queries[pids.indexOf(holder)].role.stop('SIGKILL');
    const survivor = pids.find((p) => p !== holder);
    let next: number | undefined;
    for (let i = 0; i < 60 && next !== survivor; i++) {
      await new Promise((r) => setTimeout(r, 200));
      next = await leaseHolderPid();
    }
    assert.equal(next, survivor, 'the surviving instance took the lease over after it expired');
  });
});
