import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import { DuckDbSpanStore } from '../storage/duckdb/duckdb-span-store.js';
import { AlertNotifier } from './alert-notifier.js';
import { registerAlertRoutes } from './alert-routes.js';
import { startWebhookReceiver } from './test-webhook-receiver.js';
import { WebhookSender } from './webhook-sender.js';

const app = Fastify();
let store: DuckDbSpanStore;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
const NOW = Date.UTC(2024, 0, 1, 12);

before(async () => {
  store = await DuckDbSpanStore.open({ path: ':memory:' });
  receiver = await startWebhookReceiver();
  const notifier = new AlertNotifier(store.alerts, new WebhookSender(store.alerts.notifications, { attempts: 2, timeoutMs: 2000, backoffMs: 5 }), 'https://ariadne.example.com/');
  registerAlertRoutes(app, { store: store.alerts, notifier, publicUrl: 'https://ariadne.example.com/', now: () => NOW });
});
after(async () => {
  await app.close();
  await receiver.close();
  await store.shutdown();
});

const call = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) => {
  const res = await app.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: res.statusCode, body: res.body === '' ? undefined : res.json() };
};

const validRule = (channelId: string) => ({
  name: 'checkout errors',
  signal: 'error_rate',
  scope: { type: 'service', service: 'checkout' },
  comparison: '>',
  threshold: 0.05,
  windowSeconds: 300,
  forSeconds: 60,
  labels: { severity: 'page' },
  summary: '{{service}} error rate {{value}} > {{threshold}}',
  channelIds: [channelId],
});

describe('alert routes', () => {
  let channelId = '';

  it('creates, lists, changes and deletes channels and rules; tests a channel', async () => {
    const created = await call('POST', '/api/v1/alerts/channels', { name: 'ops', type: 'slack', url: receiver.url + '/slack' });
    assert.equal(created.status, 201);
    channelId = created.body.id;
    assert.deepStrictEqual({ ...created.body, id: undefined }, { id: undefined, name: 'ops', type: 'slack', url: receiver.url + '/slack', headers: {}, createdAt: NOW, updatedAt: NOW });

    const test = await call('POST', `/api/v1/alerts/channels/${channelId}/test`);
    assert.equal(test.status, 200);
    assert.equal(test.body.status, 'delivered');
    assert.equal(test.body.state, 'test');
    assert.match(receiver.received[0].body.text, /^\[TEST\] Test of channel ops/);

    const rule = await call('POST', '/api/v1/alerts/rules', validRule(channelId));
    assert.equal(rule.status, 201, JSON.stringify(rule.body));
    assert.equal(rule.body.renotifySeconds, 0);
    assert.equal(rule.body.enabled, true);
    const id = rule.body.id;
    assert.deepStrictEqual((await call('GET', '/api/v1/alerts/rules')).body.rules.map((r: { id: string }) => r.id), [id]);

    const changed = await call('PUT', `/api/v1/alerts/rules/${id}`, { ...validRule(channelId), threshold: 0.2 });
    assert.equal(changed.status, 200);
    assert.equal((await call('GET', `/api/v1/alerts/rules/${id}`)).body.threshold, 0.2);

    const state = (await call('GET', '/api/v1/alerts/state')).body.alerts[0];
    assert.equal(state.status, 'inactive');
    assert.equal(state.links.traces, `https://ariadne.example.com/search?service=checkout&range=custom&start=${NOW - 3_600_000}&end=${NOW}`);

    const inUse = await call('DELETE', `/api/v1/alerts/channels/${channelId}`);
    assert.equal(inUse.status, 409);
    assert.equal(inUse.body.code, 'ARIADNE_IN_USE');

    const history = (await call('GET', '/api/v1/alerts/notifications')).body.notifications;
    assert.deepStrictEqual(history.map((n: { state: string; status: string }) => [n.state, n.status]), [['test', 'delivered']]);

    assert.equal((await call('DELETE', `/api/v1/alerts/rules/${id}`)).status, 204);
    assert.equal((await call('GET', `/api/v1/alerts/rules/${id}`)).status, 404);
    assert.equal((await call('DELETE', `/api/v1/alerts/rules/${id}`)).status, 404);
  });

  it('creates and lists silences', async () => {
    const s = await call('POST', '/api/v1/alerts/silences', { matchers: [{ label: 'service', value: 'checkout' }], endsAt: new Date(NOW + 3_600_000).toISOString(), comment: 'deploy' });
    assert.equal(s.status, 201);
    assert.equal(s.body.startsAt, NOW);
    assert.equal(s.body.endsAt, NOW + 3_600_000);
    assert.equal((await call('GET', '/api/v1/alerts/silences')).body.silences.length, 1);
  });

  const ruleCases: Array<[string, (r: Record<string, unknown>) => unknown, string]> = [
    ['not an object', () => [1], 'rules: must be a JSON object'],
    ['no name', (r) => ({ ...r, name: undefined }), 'rules.name: must be a non-empty string'],
    ['blank name', (r) => ({ ...r, name: '  ' }), 'rules.name: must be a non-empty string'],
    ['unknown signal', (r) => ({ ...r, signal: 'cpu' }), 'rules.signal: must be one of error_rate, latency, request_rate, absence, new_error_groups'],
    ['threshold as a string', (r) => ({ ...r, threshold: '0.5' }), 'rules.threshold: must be a number'],
    ['no threshold', (r) => ({ ...r, threshold: undefined }), 'rules.threshold: must be a number'],
    ['negative threshold', (r) => ({ ...r, threshold: -1 }), 'rules.threshold: must be zero or more'],
    ['error rate above 1', (r) => ({ ...r, threshold: 5 }), 'rules.threshold: must be between 0 and 1 for error_rate (a fraction of requests)'],
    ['bad comparison', (r) => ({ ...r, comparison: '=>' }), 'rules.comparison: must be one of >, >=, <, <='],
    ['latency without percentile', (r) => ({ ...r, signal: 'latency', threshold: 100 }), 'rules.percentile: must be a number'],
    ['odd percentile', (r) => ({ ...r, signal: 'latency', percentile: 42, threshold: 100 }), 'rules.percentile: must be one of 50, 75, 90, 95, 99, 99.9'],
    ['percentile on error rate', (r) => ({ ...r, percentile: 99 }), 'rules.percentile: applies only to latency rules'],
    ['no scope', (r) => ({ ...r, scope: undefined }), 'rules.scope: must be a JSON object'],
    ['scope without service', (r) => ({ ...r, scope: { type: 'service' } }), 'rules.scope.service: must be a non-empty string'],
    ['edge without child', (r) => ({ ...r, scope: { type: 'edge', parent: 'a' } }), 'rules.scope.child: must be a non-empty string'],
    ['bad scope type', (r) => ({ ...r, scope: { type: 'pod', service: 'a' } }), 'rules.scope.type: must be one of service, edge'],
    ['typo in scope', (r) => ({ ...r, scope: { service: 'a', operatoin: 'x' } }), 'rules.scope.operatoin: is not a known field'],
    ['new error groups on an edge', (r) => ({ ...r, signal: 'new_error_groups', threshold: 0, scope: { type: 'edge', parent: 'a', child: 'b' } }), 'rules.scope.type: must be service for new_error_groups rules (error groups belong to services)'],
    ['window under a minute', (r) => ({ ...r, windowSeconds: 30 }), 'rules.windowSeconds: must be a whole number of seconds from 60 to 604800'],
    ['fractional for', (r) => ({ ...r, forSeconds: 1.5 }), 'rules.forSeconds: must be a whole number of seconds from 0 to 604800'],
    ['baseline on error rate', (r) => ({ ...r, baselineSeconds: 600 }), 'rules.baselineSeconds: applies only to new_error_groups rules'],
    ['label not a string', (r) => ({ ...r, labels: { severity: 1 } }), 'rules.labels.severity: must be a non-empty string'],
    ['bad label name', (r) => ({ ...r, labels: { 'a-b': 'x' } }), 'rules.labels.a-b: is not a valid name (^[A-Za-z_][A-Za-z0-9_]*$)'],
    ['unknown summary variable', (r) => ({ ...r, summary: '{{servcie}} is bad' }), 'rules.summary: unknown variable {{servcie}}; use rule, signal, service, operation, parent, child, value, threshold, comparison, state or labels.NAME of a label of the rule'],
    ['summary label not on the rule', (r) => ({ ...r, summary: '{{labels.team}}' }), 'rules.summary: unknown variable {{labels.team}}; use rule, signal, service, operation, parent, child, value, threshold, comparison, state or labels.NAME of a label of the rule'],
    ['unknown channel', (r) => ({ ...r, channelIds: ['nope'] }), "rules.channelIds[0]: no channel with id 'nope'"],
    ['channel id not a string', (r) => ({ ...r, channelIds: [7] }), 'rules.channelIds[0]: must be a string'],
    ['enabled not a boolean', (r) => ({ ...r, enabled: 'yes' }), 'rules.enabled: must be true or false'],
    ['unknown field', (r) => ({ ...r, treshold: 1 }), 'rules.treshold: is not a known field'],
  ];
  for (const [name, change, message] of ruleCases) {
    it(`rejects a rule: ${name}`, async () => {
      const res = await call('POST', '/api/v1/alerts/rules', change(validRule(channelId)));
      assert.equal(res.status, 400);
      assert.equal(res.body.code, 'ARIADNE_INVALID_FIELD');
      assert.equal(res.body.message, message);
    });
  }

  const otherCases: Array<[string, string, unknown, string]> = [
    ['channel without url', 'channels', { name: 'x' }, 'channels.url: must be a non-empty string'],
    ['channel with ftp url', 'channels', { name: 'x', url: 'ftp://h/x' }, 'channels.url: must be an http or https URL'],
    ['channel of unknown type', 'channels', { name: 'x', url: 'http://h', type: 'pager' }, 'channels.type: must be one of webhook, slack'],
    ['header not a string', 'channels', { name: 'x', url: 'http://h', headers: { a: 1 } }, 'channels.headers.a: must be a non-empty string'],
    ['body template outside a string', 'channels', { name: 'x', url: 'http://h', bodyTemplate: '{"a": {{value}}}' }, 'channels.bodyTemplate: must give valid JSON once filled in (placeholders belong inside strings)'],
    ['silence without matchers', 'silences', { endsAt: NOW + 1 }, 'silences.matchers: must hold at least one {label, value}'],
    ['matcher without label', 'silences', { matchers: [{ value: 'x' }], endsAt: NOW + 1 }, 'silences.matchers[0].label: must be a non-empty string'],
    ['silence ending before it starts', 'silences', { matchers: [{ label: 'a', value: 'b' }], endsAt: NOW - 1 }, 'silences.endsAt: must be after startsAt'],
    ['silence end not a time', 'silences', { matchers: [{ label: 'a', value: 'b' }], endsAt: 'tomorrow' }, 'silences.endsAt: must be a time: ms since the epoch or an ISO 8601 string'],
  ];
  for (const [name, kind, body, message] of otherCases) {
    it(`rejects a ${name}`, async () => {
      const res = await call('POST', `/api/v1/alerts/${kind}`, body);
      assert.equal(res.status, 400);
      assert.ok(res.body.message.startsWith(message), res.body.message);
    });
  }

  it('answers 404 for unknown ids and 400 for a bad history limit', async () => {
    assert.equal((await call('PUT', '/api/v1/alerts/channels/nope', { name: 'x', url: 'http://h' })).status, 404);
    assert.equal((await call('POST', '/api/v1/alerts/channels/nope/test')).status, 404);
    const bad = await call('GET', '/api/v1/alerts/notifications?limit=0');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.message, 'limit: must be a whole number from 1 to 10000');
  });
});
