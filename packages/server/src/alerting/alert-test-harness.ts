import pino from 'pino';
import { LogHistogram } from '../ingest/sketch/log-histogram.js';
import { DEFAULT_TENANT, SpanKind } from '../model/span.js';
import { DuckDbSpanStore } from '../storage/duckdb/duckdb-span-store.js';
import type { AlertChannel, AlertRule } from './alert-model.js';
import { AlertEvaluator } from './alert-evaluator.js';
import { AlertNotifier } from './alert-notifier.js';
import { startWebhookReceiver } from './test-webhook-receiver.js';
import { validateChannel, validateRule } from './validate-alert-input.js';
import { WebhookSender } from './webhook-sender.js';

/** A minute boundary: evaluation times in tests are T0 + minutes. */
export const T0 = Date.UTC(2024, 0, 1);
export const MINUTE = 60_000;
const NS = 1_000_000n;

const latencyOf = (fastMs: number, slowMs: number, total: number, slow: number) => {
  const h = new LogHistogram();
  if (total > slow) h.add(fastMs * 1e6, total - slow);
  if (slow > 0) h.add(slowMs * 1e6, slow);
  return h;
};

/** A DuckDB store, a webhook receiver, and the real evaluator on a clock the test moves. */
export async function alertHarness(options: { holders?: string[]; attempts?: number } = {}) {
  const store = await DuckDbSpanStore.open({ path: ':memory:' });
  const receiver = await startWebhookReceiver();
  const clock = { now: T0 };
  const log = pino({ level: 'silent' });
  const notifier = new AlertNotifier(store.alerts, new WebhookSender(store.alerts.notifications, { attempts: options.attempts ?? 4, timeoutMs: 2000, backoffMs: 5 }), 'http://ariadne.example');
  const evaluators = (options.holders ?? ['a']).map(
    (holder) => new AlertEvaluator({ store: store.alerts, metrics: store.metrics, notifier, intervalMs: 30_000, holder, log, now: () => clock.now }),
  );
  /** Each event: [minutes since T0 when sent, rule name, state, value]. */
  const events: Array<[number, string, string, number | null]> = [];

  const h = {
    store,
    receiver,
    clock,
    notifier,
    evaluators,
    events,
    async channel(input: Record<string, unknown> = {}): Promise<AlertChannel> {
      const channel = { ...validateChannel({ name: 'hook', url: receiver.url + '/hook', ...input }), id: `c${Math.random()}`, createdAt: clock.now, updatedAt: clock.now };
      await store.alerts.channels.put(channel);
      return channel;
    },
    async rule(input: Record<string, unknown>): Promise<AlertRule> {
      const rule = { ...validateRule(input, () => true), id: String(input.name), createdAt: clock.now, updatedAt: clock.now };
      await store.alerts.rules.put(rule);
      return rule;
    },
    /** Per-minute RED rows for minutes [from, to] of a service: `slow` of `requests` take slowMs, the rest 10 ms. */
    async red(from: number, to: number, service: string, requests: number, errors: number, slow = 0, slowMs = 900) {
      const red = [];
      for (let m = from; m <= to; m++) {
        red.push({ tenant: DEFAULT_TENANT, minuteUnixNano: BigInt(T0 + m * MINUTE) * NS, service, operation: 'GET /', spanKind: SpanKind.SERVER, requests, errors, latency: latencyOf(10, slowMs, requests, slow) });
      }
      await store.metrics.writeMetrics({ red, edges: [], errors: [] });
    },
    async edge(minute: number, parent: string, child: string, calls: number, errors: number) {
      await store.metrics.writeMetrics({ red: [], edges: [{ tenant: DEFAULT_TENANT, minuteUnixNano: BigInt(T0 + minute * MINUTE) * NS, parent, child, calls, errors, latency: latencyOf(10, 10, calls, 0) }], errors: [] });
    },
    async errorGroup(minute: number, service: string, errorType: string, count = 3) {
      const g = { tenant: DEFAULT_TENANT, minuteUnixNano: BigInt(T0 + minute * MINUTE) * NS, service, errorType, message: `${errorType} happened`, frame: 'at f (a.js:1)', count, exampleTraceIds: [] };
      await store.metrics.writeMetrics({ red: [], edges: [], errors: [g] });
    },
    /** Evaluates every 30 s from the clock's time to minute `to` (inclusive), waiting for deliveries after each. */
    async runTo(to: number) {
      for (; clock.now <= T0 + to * MINUTE; clock.now += 30_000) {
        const before = receiver.received.length;
        for (const e of evaluators) await e.evaluate();
        await notifier.idle();
        for (const r of receiver.received.slice(before)) {
          events.push([(clock.now - T0) / MINUTE, r.body.rule?.name ?? r.body.text, r.body.state, r.body.value]);
        }
      }
    },
    at(minute: number) {
      clock.now = T0 + minute * MINUTE;
    },
    async close() {
      for (const e of evaluators) await e.shutdown();
      await receiver.close();
      await store.shutdown();
    },
  };
  return h;
}
