import type { Span } from '../../model/span.js';
import { StatusCode } from '../../model/span.js';

export interface TailSamplingPolicy {
  /** How long a trace is buffered, from its first span, before it is decided. */
  decisionWaitMs: number;
  /** Keep traces lasting at least this long (first start to last end); 0 disables. */
  slowThresholdMs: number;
  /** Keep up to this many traces per second per (service, operation) of the root span; 0 disables. */
  operationTracesPerSecond: number;
  /** Keep this fraction of the remaining traces, chosen by trace id (consistent across ingesters). */
  probability: number;
  /** Traces buffered at most; beyond it the oldest are decided early. */
  maxTraces?: number;
  /** Decisions remembered for late spans, at most. */
  maxDecisions?: number;
}

export type KeepReason = 'error' | 'slow' | 'rateLimit' | 'probabilistic';

export interface TailSamplingStats {
  tracesKept: number;
  tracesDropped: number;
  keptBy: Record<KeepReason, number>;
  spansKept: number;
  spansDropped: number;
  bufferedTraces: number;
}

interface Pending {
  tenant: string;
  spans: Span[];
  decideAt: number;
  error: boolean;
  start: bigint;
  end: bigint;
  /** service and name of the root span, once seen. */
  root: string;
}

/**
 * Buffers each trace for a decision window, then keeps it whole if a policy says so — any error
 * span, slower than the threshold, within its operation's rate limit, or the probabilistic
 * remainder. Spans arriving after the decision follow it. Spans to write come back from `route`
 * (already decided traces) and from `decide` (traces decided now), grouped by tenant.
 */
export class TailSampler {
  private readonly pending = new Map<string, Pending>();
  private readonly decisions = new Map<string, boolean>();
  // Kept traces decided early (buffer full), handed out by the next `decide`.
  private early = new Map<string, Span[]>();
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly stats: TailSamplingStats = {
    tracesKept: 0,
    tracesDropped: 0,
    keptBy: { error: 0, slow: 0, rateLimit: 0, probabilistic: 0 },
    spansKept: 0,
    spansDropped: 0,
    bufferedTraces: 0,
  };

  constructor(private readonly policy: TailSamplingPolicy) {}

  /** Buffers the spans of undecided traces; returns those of traces already kept. */
  route(tenant: string, spans: Span[], now: number): Span[] {
    const keep: Span[] = [];
    for (const span of spans) {
      const key = `${tenant}\0${span.traceId}`;
      const decision = this.decisions.get(key);
      if (decision !== undefined) {
        if (decision) keep.push(span);
        else this.stats.spansDropped++;
        continue;
      }
      let trace = this.pending.get(key);
      if (!trace) {
        trace = { tenant, spans: [], decideAt: now + this.policy.decisionWaitMs, error: false, start: span.startTimeUnixNano, end: span.endTimeUnixNano, root: '' };
        this.pending.set(key, trace);
      }
      trace.spans.push(span);
      if (span.status.code === StatusCode.ERROR) trace.error = true;
      if (span.startTimeUnixNano < trace.start) trace.start = span.startTimeUnixNano;
      if (span.endTimeUnixNano > trace.end) trace.end = span.endTimeUnixNano;
      if (span.parentSpanId === '') trace.root = `${span.resource.serviceName}\0${span.name}`;
    }
    this.stats.spansKept += keep.length;
    const limit = this.policy.maxTraces ?? 50_000;
    while (this.pending.size > limit) {
      const [key, trace] = this.pending.entries().next().value as [string, Pending];
      this.pending.delete(key);
      if (this.settle(key, trace, now)) this.collect(this.early, trace);
    }
    return keep;
  }

  /** Decides the traces whose window ended (all of them when `all`); returns the kept spans by tenant. */
  decide(now: number, all = false): Map<string, Span[]> {
    const kept = this.early;
    this.early = new Map();
    // Insertion order is decision order: every trace waits the same window.
    for (const [key, trace] of this.pending) {
      if (!all && trace.decideAt > now) break;
      this.pending.delete(key);
      if (this.settle(key, trace, now)) this.collect(kept, trace);
    }
    return kept;
  }

  getStats(): TailSamplingStats {
    return { ...this.stats, keptBy: { ...this.stats.keptBy }, bufferedTraces: this.pending.size };
  }

  private collect(into: Map<string, Span[]>, trace: Pending): void {
    const list = into.get(trace.tenant) ?? [];
    for (const span of trace.spans) list.push(span);
    into.set(trace.tenant, list);
  }

  private settle(key: string, trace: Pending, now: number): boolean {
    const reason = this.reason(trace, key, now);
    const keep = reason !== undefined;
    this.decisions.set(key, keep);
    if (this.decisions.size > (this.policy.maxDecisions ?? 500_000)) this.decisions.delete(this.decisions.keys().next().value as string);
    if (reason) {
      this.stats.keptBy[reason]++;
      this.stats.tracesKept++;
      this.stats.spansKept += trace.spans.length;
    } else {
      this.stats.tracesDropped++;
      this.stats.spansDropped += trace.spans.length;
    }
    return keep;
  }

  private reason(trace: Pending, key: string, now: number): KeepReason | undefined {
    if (trace.error) return 'error';
    const { slowThresholdMs, operationTracesPerSecond, probability } = this.policy;
    if (slowThresholdMs > 0 && Number(trace.end - trace.start) >= slowThresholdMs * 1e6) return 'slow';
    if (operationTracesPerSecond > 0 && this.takeToken(trace.tenant + '\0' + trace.root, now)) return 'rateLimit';
    // The trace id's low 32 bits are random (W3C), so every ingester picks the same traces.
    const traceId = key.slice(key.indexOf('\0') + 1);
    if (parseInt(traceId.slice(-8), 16) / 2 ** 32 < probability) return 'probabilistic';
    return undefined;
  }

  private takeToken(operation: string, now: number): boolean {
    const rate = this.policy.operationTracesPerSecond;
    let bucket = this.buckets.get(operation);
    if (!bucket) {
      bucket = { tokens: rate, at: now };
      this.buckets.set(operation, bucket);
    }
    bucket.tokens = Math.min(rate, bucket.tokens + ((now - bucket.at) / 1000) * rate);
    bucket.at = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens--;
    return true;
  }
}
