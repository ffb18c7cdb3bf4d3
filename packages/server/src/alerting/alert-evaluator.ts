import type { Logger } from 'pino';
import type { Component } from '../model/component.js';
import type { MetricsReader } from '../storage/metrics-store.js';
import { alertLabels } from './alert-payload.js';
import type { AlertNotifier } from './alert-notifier.js';
import type { AlertStore } from './alert-store.js';
import { conditionHolds, measureSignal } from './measure-signal.js';
import { nextAlertState } from './next-alert-state.js';
import { isSilenced } from './silence-matches.js';

export const EVALUATOR_LEASE = 'alert-evaluator';

export interface AlertEvaluatorOptions {
  store: AlertStore;
  metrics: MetricsReader;
  notifier: AlertNotifier;
  intervalMs: number;
  /** This evaluator's name in the lease; unique per process. */
  holder: string;
  log: Logger;
  /** Wall clock in ms; tests drive it. */
  now?: () => number;
}

/**
 * Evaluates every enabled rule on a schedule and notifies on transitions. Over one store only the
 * evaluator holding the lease acts; the others stand by and take over when it stops renewing.
 * `shutdown` waits for the running evaluation and the deliveries under way, then gives the lease up.
 */
export class AlertEvaluator implements Component {
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: AlertEvaluatorOptions) {
    this.now = options.now ?? Date.now;
  }

  async start(): Promise<void> {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.running = this.running.then(() => this.evaluate()).catch((err) => this.options.log.error({ err }, 'alert evaluation failed'));
    }, this.options.intervalMs);
    this.timer.unref();
  }

  /** One evaluation of every rule at the clock's time; resolves false when another evaluator holds the lease. */
  async evaluate(): Promise<boolean> {
    const { store, metrics, notifier, intervalMs, holder, log } = this.options;
    const now = this.now();
    // Three missed renewals before another evaluator takes over: a slow evaluation is not a dead one.
    if (!(await store.acquireLease(EVALUATOR_LEASE, holder, 3 * intervalMs, now))) return false;
    const [rules, states, silences] = await Promise.all([store.rules.list(), store.states.list(), store.silences.list()]);
    const stateOf = new Map(states.map((s) => [s.id, s]));
    for (const rule of rules) {
      if (!rule.enabled) continue;
      try {
        const value = await measureSignal(rule, metrics, now);
        const { state, notify } = nextAlertState(rule, stateOf.get(rule.id), conditionHolds(rule, value), value, now);
        await store.states.put(state);
        if (notify) await notifier.notify(rule, state, notify, isSilenced(silences, alertLabels(rule), now), now);
      } catch (err) {
        log.error({ err, rule: rule.id }, 'alert rule evaluation failed');
      }
    }
    return true;
  }

  async shutdown(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
    await this.options.notifier.idle();
    await this.options.store.releaseLease(EVALUATOR_LEASE, this.options.holder);
  }
}
