import { LogHistogram } from '../ingest/sketch/log-histogram.js';
import { SpanKind } from '../model/span.js';
import type { TimeRange } from '../model/span.js';
import { MINUTE_NANO } from '../storage/metrics-store.js';
import type { MetricsReader } from '../storage/metrics-store.js';
import type { AlertRule } from './alert-model.js';

const MINUTE_MS = 60_000;
const MS_NANO = 1_000_000n;
const ERROR_GROUPS_LIMIT = 100_000;

/** A rule's window rounded up to whole minutes, the aggregates' resolution. */
export const windowMs = (rule: Pick<AlertRule, 'windowSeconds'>): number => Math.ceil(rule.windowSeconds / 60) * MINUTE_MS;

/**
 * The completed minutes of a rule's window at `nowMs`: the window rounded up to whole minutes,
 * ending at the start of the current minute (the aggregates are per minute; the current one is not
 * flushed yet).
 */
export function ruleWindow(rule: Pick<AlertRule, 'windowSeconds'>, nowMs: number): { startMs: number; endMs: number } {
  const endMs = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;
  return { startMs: endMs - windowMs(rule), endMs };
}

// The reader takes the minutes overlapping a range: end 1 ns before the boundary keeps the next minute out.
const range = (startMs: number, endMs: number): TimeRange => ({ startUnixNano: BigInt(startMs) * MS_NANO, endUnixNano: BigInt(endMs) * MS_NANO - 1n });

async function traffic(rule: AlertRule, reader: MetricsReader, window: TimeRange) {
  const sum = { requests: 0, errors: 0, latency: new LogHistogram() };
  if (rule.scope.type === 'edge') {
    const { parent, child } = rule.scope;
    for (const e of await reader.dependencies(window)) {
      if (e.parent !== parent || e.child !== child) continue;
      sum.requests += e.calls;
      sum.errors += e.errors;
      sum.latency.merge(e.latency);
    }
    return sum;
  }
  const { service, operation } = rule.scope;
  const series = await reader.red({
    services: [service],
    operation,
    // A service's own traffic is what it serves; an operation is whichever kind its spans are.
    spanKinds: operation === undefined ? [SpanKind.SERVER, SpanKind.CONSUMER] : undefined,
    range: window,
    stepNano: window.endUnixNano - window.startUnixNano + MINUTE_NANO,
  });
  for (const s of series) {
    for (const p of s.points) {
      sum.requests += p.requests;
      sum.errors += p.errors;
      sum.latency.merge(p.latency);
    }
  }
  return sum;
}

/** The rule's signal over its window at `nowMs`; null when there is nothing to measure (no requests for a rate or a percentile). */
export async function measureSignal(rule: AlertRule, reader: MetricsReader, nowMs: number): Promise<number | null> {
  const { startMs, endMs } = ruleWindow(rule, nowMs);
  const window = range(startMs, endMs);
  if (rule.signal === 'new_error_groups') {
    if (rule.scope.type !== 'service') return null;
    const service = rule.scope.service;
    const baselineStart = startMs - (rule.baselineSeconds ?? 0) * 1000;
    const key = (g: { errorType: string; message: string; frame: string }) => `${g.errorType}\0${g.message}\0${g.frame}`;
    const groups = (r: TimeRange) => reader.errorGroups({ service, range: r, stepNano: r.endUnixNano - r.startUnixNano + MINUTE_NANO, limit: ERROR_GROUPS_LIMIT });
    const before = new Set((await groups(range(baselineStart, startMs))).map(key));
    return (await groups(window)).filter((g) => !before.has(key(g))).length;
  }
  const { requests, errors, latency } = await traffic(rule, reader, window);
  switch (rule.signal) {
    case 'error_rate':
      return requests === 0 ? null : errors / requests;
    case 'latency':
      return requests === 0 ? null : latency.quantile((rule.percentile ?? 99) / 100) / 1e6;
    case 'request_rate':
      return requests / ((endMs - startMs) / 1000);
    case 'absence':
      return requests;
  }
}

/** Whether `value` meets the rule's condition; no data never does. */
export function conditionHolds(rule: Pick<AlertRule, 'comparison' | 'threshold'>, value: number | null): boolean {
  if (value === null) return false;
  switch (rule.comparison) {
    case '>':
      return value > rule.threshold;
    case '>=':
      return value >= rule.threshold;
    case '<':
      return value < rule.threshold;
    case '<=':
      return value <= rule.threshold;
  }
}
