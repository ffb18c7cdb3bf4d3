import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import pino from 'pino';
import { Ingester } from '../ingest/ingester.js';
import { generateWorkload } from '../ingest/test-workload.js';
import { alertHarness, MINUTE, T0 } from './alert-test-harness.js';
import { startWebhookReceiver } from './test-webhook-receiver.js';

type Harness = Awaited<ReturnType<typeof alertHarness>>;
let h: Harness;
afterEach(() => h.close());

const iso = (minute: number) => new Date(T0 + minute * MINUTE).toISOString();

describe('alert evaluator against stored aggregates and a real webhook receiver', () => {
  it('error rate: pending for `for`, fires once, resolves once; a spike shorter than `for` sends nothing', async () => {
    h = await alertHarness();
    const channel = await h.channel();
    const rule = await h.rule({
      name: 'checkout errors',
      signal: 'error_rate',
      scope: { type: 'service', service: 'checkout' },
      comparison: '>',
      threshold: 0.1,
      windowSeconds: 60,
      forSeconds: 120,
      labels: { severity: 'page' },
      summary: '{{service}} error rate {{value}} > {{threshold}} ({{labels.severity}})',
      channelIds: [channel.id],
    });
    await h.red(0, 1, 'checkout', 100, 1);
    await h.red(2, 5, 'checkout', 100, 50);
    await h.red(6, 9, 'checkout', 100, 0);
    // Another service's errors are out of scope.
    await h.red(0, 9, 'payments', 100, 90);
    h.at(1);
    await h.runTo(4.5);
    assert.deepStrictEqual(h.events, [], 'nothing while pending');
    assert.equal((await h.store.alerts.states.get(rule.id))?.status, 'pending');
    await h.runTo(9);
    assert.deepStrictEqual(h.events, [
      [5, 'checkout errors', 'firing', 0.5],
      [7, 'checkout errors', 'resolved', 0],
    ]);
    assert.equal((await h.store.alerts.states.get(rule.id))?.status, 'inactive');

    const [firing, resolved] = h.receiver.received.map((r) => r.body);
    assert.equal(firing.summary, 'checkout error rate 0.5 > 0.1 (page)');
    assert.deepStrictEqual(firing.labels, { severity: 'page', service: 'checkout', rule: 'checkout errors', rule_id: rule.id });
    assert.deepStrictEqual(firing.rule, { id: rule.id, name: 'checkout errors', signal: 'error_rate', scope: { type: 'service', service: 'checkout' } });
    assert.equal(firing.threshold, 0.1);
    assert.equal(firing.comparison, '>');
    assert.equal(firing.startsAt, iso(5));
    assert.equal(firing.endsAt, null);
    // The window in which the condition began (minute 2) to now.
    const window = `range=custom&start=${T0 + 2 * MINUTE}&end=${T0 + 5 * MINUTE}`;
    assert.deepStrictEqual(firing.links, {
      traces: `http://ariadne.example/search?service=checkout&${window}`,
      errors: `http://ariadne.example/errors?service=checkout&${window}`,
    });
    assert.equal(resolved.startsAt, iso(5));
    assert.equal(resolved.endsAt, iso(7));
    assert.equal(resolved.links.traces, `http://ariadne.example/search?service=checkout&range=custom&start=${T0 + 2 * MINUTE}&end=${T0 + 7 * MINUTE}`);

    // One bad minute: pending for 60 s, then inactive again.
    await h.red(10, 10, 'checkout', 100, 50);
    await h.red(11, 13, 'checkout', 100, 0);
    await h.runTo(11.5);
    assert.equal((await h.store.alerts.states.get(rule.id))?.status, 'pending');
    await h.runTo(13);
    assert.equal(h.events.length, 2);
    assert.equal((await h.store.alerts.states.get(rule.id))?.status, 'inactive');
  });

  it('latency p95 and p99 cross and recover separately', async () => {
    h = await alertHarness();
    const channel = await h.channel();
    for (const percentile of [95, 99]) {
      await h.rule({ name: `p${percentile}`, signal: 'latency', percentile, scope: { service: 'api' }, comparison: '>', threshold: 500, windowSeconds: 60, channelIds: [channel.id] });
    }
    await h.red(0, 1, 'api', 100, 0);
    await h.red(2, 3, 'api', 100, 0, 2); // 2% slow: p99 only
    await h.red(4, 5, 'api', 100, 0, 10); // 10% slow: both
    await h.red(6, 7, 'api', 100, 0);
    h.at(1);
    await h.runTo(8);
    // To the nearest 100 ms: the histogram is accurate to 1%.
    const rounded = h.events
      .map(([t, name, state, value]) => [t, name, state, Math.round(value! / 100) * 100])
      .sort((a, b) => (a[0] as number) - (b[0] as number) || String(a[1]).localeCompare(String(b[1])));
    assert.deepStrictEqual(rounded, [
      [3, 'p99', 'firing', 900],
      [5, 'p95', 'firing', 900],
      [7, 'p95', 'resolved', 0],
      [7, 'p99', 'resolved', 0],
    ]);
  });

  it('request rate over a two-minute window', async () => {
    h = await alertHarness();
    const channel = await h.channel();
    await h.rule({ name: 'surge', signal: 'request_rate', scope: { service: 'api', operation: 'GET /' }, comparison: '>', threshold: 5, windowSeconds: 120, channelIds: [channel.id] });
    await h.red(0, 3, 'api', 60, 0);
    await h.red(4, 5, 'api', 1200, 0);
    await h.red(6, 9, 'api', 60, 0);
    h.at(2);
    await h.runTo(9);
    assert.deepStrictEqual(h.events, [
      [5, 'surge', 'firing', 10.5],
      [8, 'surge', 'resolved', 1],
    ]);
  });

  it('absence of traffic fires when a window has no requests and resolves when traffic returns', async () => {
    h = await alertHarness();
    const channel = await h.channel();
    await h.rule({ name: 'batch silent', signal: 'absence', scope: { service: 'batch' }, windowSeconds: 120, channelIds: [channel.id] });
    await h.red(0, 3, 'batch', 60, 0);
    await h.red(8, 9, 'batch', 60, 0);
    h.at(2);
    await h.runTo(10);
    assert.deepStrictEqual(h.events, [
      [6, 'batch silent', 'firing', 0],
      [9, 'batch silent', 'resolved', 60],
    ]);
    assert.equal(h.receiver.received[0].body.summary, 'batch silent: 0 requests in the window');
  });

  it('new error groups: a group unseen in the baseline fires; known groups do not', async () => {
    h = await alertHarness();
    const channel = await h.channel();
    await h.rule({ name: 'new errors', signal: 'new_error_groups', scope: { service: 'api' }, comparison: '>', threshold: 0, windowSeconds: 60, baselineSeconds: 3600, channelIds: [channel.id] });
    await h.errorGroup(0, 'api', 'TypeError');
    await h.errorGroup(1, 'api', 'TypeError');
    await h.errorGroup(3, 'api', 'TypeError');
    await h.errorGroup(3, 'api', 'RangeError');
    await h.errorGroup(3, 'other', 'SyntaxError');
    await h.errorGroup(4, 'api', 'TypeError');
    h.at(2);
    await h.runTo(6);
    assert.deepStrictEqual(h.events, [
      [4, 'new errors', 'firing', 1],
      [5, 'new errors', 'resolved', 0],
    ]);
  });

  it('an edge of the service graph, with a Slack-shaped message', async () => {
    h = await alertHarness();
    const slack = await h.channel({ type: 'slack' });
    await h.rule({ name: 'frontend→payments', signal: 'error_rate', scope: { type: 'edge', parent: 'frontend', child: 'payments' }, comparison: '>=', threshold: 0.2, windowSeconds: 60, channelIds: [slack.id] });
    await h.edge(0, 'frontend', 'payments', 100, 1);
    await h.edge(1, 'frontend', 'payments', 100, 40);
    await h.edge(1, 'frontend', 'search', 100, 100);
    await h.edge(2, 'frontend', 'payments', 100, 0);
    h.at(1);
    await h.runTo(3);
    const [firing, resolved] = h.receiver.received.map((r) => r.body);
    assert.deepStrictEqual(Object.keys(firing), ['text', 'blocks']);
    assert.equal(firing.text, '[FIRING] frontend→payments: error rate 0.4 >= 0.2');
    assert.equal(resolved.text, '[RESOLVED] frontend→payments: error rate 0 >= 0.2');
    assert.equal(firing.blocks[0].type, 'section');
    assert.equal(firing.blocks[0].text.type, 'mrkdwn');
    assert.match(firing.blocks[1].elements[0].text, /<http:\/\/ariadne\.example\/search\?service=frontend&[^|]+\|traces> · <http:\/\/ariadne\.example\/errors\?service=payments&[^|]+\|errors>/);
  });

  it('silences suppress matching notifications while active; they stay in the history as silenced', async () => {
    h = await alertHarness();
    const channel = await h.channel();
    const rule = await h.rule({ name: 'quiet', signal: 'error_rate', scope: { service: 'api' }, comparison: '>', threshold: 0.1, windowSeconds: 60, labels: { team: 'core' }, channelIds: [channel.id] });
    const silence = (id: string, matchers: unknown[], endMinute: number) =>
      h.store.alerts.silences.put({ id, matchers: matchers as never, startsAt: T0, endsAt: T0 + endMinute * MINUTE, comment: '', createdAt: T0, updatedAt: T0 });
    await silence('s1', [{ label: 'rule_id', value: rule.id }, { label: 'team', value: 'core' }], 6);
    await silence('s2', [{ label: 'team', value: 'other' }], 60);
    await h.red(1, 2, 'api', 100, 50);
    await h.red(3, 6, 'api', 100, 0);
    await h.red(7, 7, 'api', 100, 50);
    await h.red(8, 8, 'api', 100, 0);
    h.at(1);
    await h.runTo(9);
    assert.deepStrictEqual(h.events, [
      [8, 'quiet', 'firing', 0.5],
      [9, 'quiet', 'resolved', 0],
    ]);
    const history = (await h.store.alerts.notifications.list({ ref: rule.id })).reverse();
    assert.deepStrictEqual(history.map((n) => [n.state, n.status, n.attempts.length]), [
      ['firing', 'silenced', 0],
      ['resolved', 'silenced', 0],
      ['firing', 'delivered', 1],
      ['resolved', 'delivered', 1],
    ]);
  });

  it('retries with backoff: 500, 500, then 200 delivers once after three attempts; a 404 is not retried; attempts are bounded', async () => {
    h = await alertHarness({ attempts: 3 });
    const channel = await h.channel();
    const rule = await h.rule({ name: 'flaky', signal: 'error_rate', scope: { service: 'api' }, comparison: '>', threshold: 0.1, windowSeconds: 60, channelIds: [channel.id] });
    await h.red(1, 1, 'api', 100, 50);
    await h.red(2, 2, 'api', 100, 0);
    await h.red(3, 3, 'api', 100, 50);
    await h.red(4, 4, 'api', 100, 0);
    await h.red(5, 5, 'api', 100, 50);
    h.receiver.answer(500, 500);
    h.at(2);
    await h.runTo(2);
    assert.equal(h.receiver.requests(), 3);
    assert.deepStrictEqual(h.events, [[2, 'flaky', 'firing', 0.5]]);
    let [n] = await h.store.alerts.notifications.list({ ref: rule.id });
    assert.equal(n.status, 'delivered');
    assert.deepStrictEqual(n.attempts.map((a) => a.status), [500, 500, 200]);

    h.receiver.answer(404);
    await h.runTo(3);
    [n] = await h.store.alerts.notifications.list({ ref: rule.id });
    assert.deepStrictEqual([n.state, n.status, n.attempts.map((a) => a.status)], ['resolved', 'failed', [404]]);

    h.receiver.answer(503, 503, 503, 503);
    await h.runTo(4);
    [n] = await h.store.alerts.notifications.list({ ref: rule.id });
    assert.deepStrictEqual([n.state, n.status, n.attempts.map((a) => a.status)], ['firing', 'failed', [503, 503, 503]]);

    // A receiver that is not there: connection refused, retried, failed.
    const gone = await startWebhookReceiver();
    await gone.close();
    await h.store.alerts.channels.put({ ...channel, url: gone.url });
    await h.runTo(5);
    [n] = await h.store.alerts.notifications.list({ ref: rule.id });
    assert.equal(n.status, 'failed');
    assert.equal(n.attempts.length, 3);
    assert.match(n.attempts[0].error!, /fetch failed: ECONNREFUSED/);
  });

  it('re-notifies while firing when the rule asks', async () => {
    h = await alertHarness();
    const channel = await h.channel();
    await h.rule({ name: 'loud', signal: 'error_rate', scope: { service: 'api' }, comparison: '>', threshold: 0.1, windowSeconds: 60, renotifySeconds: 60, channelIds: [channel.id] });
    await h.red(1, 4, 'api', 100, 50);
    await h.red(5, 5, 'api', 100, 0);
    h.at(2);
    await h.runTo(7);
    assert.deepStrictEqual(h.events.map(([t, , state]) => [t, state]), [
      [2, 'firing'],
      [3, 'firing'],
      [4, 'firing'],
      [5, 'firing'],
      [6, 'resolved'],
    ]);
  });

  it('fires on spans written through the real ingester', async () => {
    h = await alertHarness();
    const channel = await h.channel();
    await h.rule({ name: 'payments errors', signal: 'error_rate', scope: { service: 'payments' }, comparison: '>', threshold: 0.1, windowSeconds: 120, channelIds: [channel.id] });
    const ingester = new Ingester(h.store, { metrics: h.store.metrics, traceWindowMs: 1000, log: pino({ level: 'silent' }), now: () => h.clock.now });
    // 240 traces over minutes 1-2, every 7th failing in payments (about 14%).
    await ingester.consumeSpans({ tenant: 'default', spans: generateWorkload({ traces: 240, startUnixNano: BigInt(T0 + MINUTE) * 1_000_000n, intervalNano: 500_000_000n }) });
    await ingester.shutdown();
    h.at(3);
    await h.runTo(5);
    assert.deepStrictEqual(h.events.map(([t, , state]) => [t, state]), [
      [3, 'firing'],
      [5, 'resolved'],
    ]);
    assert.ok(h.events[0][3]! > 0.1 && h.events[0][3]! < 0.2);
  });
});
