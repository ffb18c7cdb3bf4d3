import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { Component } from '../model/component.js';
import type { SpanBatch } from '../model/span.js';
import type { SpansConsumer } from '../model/spans-consumer.js';
import type { MetricsBatch, MetricsWriter } from '../storage/metrics-store.js';
import type { SpanWriter } from '../storage/span-store.js';
import { ErrorGrouper } from './error-groups/error-grouper.js';
import { RecentSpanKeys } from './recent-span-keys.js';
import { adjustedCount } from './red-metrics/adjusted-count.js';
import { RedAggregator } from './red-metrics/red-aggregator.js';
import { ServiceGraphBuilder } from './service-graph/service-graph-builder.js';
import type { ServiceGraphStats } from './service-graph/service-graph-builder.js';
import { TailSampler } from './tail-sampling/tail-sampler.js';
import type { TailSamplingPolicy, TailSamplingStats } from './tail-sampling/tail-sampler.js';

export interface IngesterProcessors {
  /** Where the per-minute aggregates go, at every minute boundary and on shutdown. */
  metrics: MetricsWriter;
  /** How long the service graph waits for the answer to an outgoing span. */
  traceWindowMs: number;
  /** Off when absent: every span is written. */
  tailSampling?: TailSamplingPolicy;
  log: Logger;
  /** Span keys remembered to recognize redelivered spans (twice this at most). */
  recentSpans?: number;
  /** Wall clock in ms; tests drive it. */
  now?: () => number;
}

export interface IngesterStats {
  spansReceived: number;
  spansWritten: number;
  /** Spans seen again within the recent window (redeliveries), not counted twice in metrics. */
  duplicateSpans: number;
  /** Time spent in the processors and in writing spans, ms. */
  processorMs: number;
  writeMs: number;
  metricsFlushes: number;
  metricsFlushErrors: number;
  serviceGraph?: ServiceGraphStats;
  tailSampling?: TailSamplingStats;
}

const TICK_MS = 1000;
const MINUTE_MS = 60_000;

/**
 * The stream processor's entry: takes batches from the queue, derives RED metrics, service graph
 * edges and error groups from every span (before sampling), applies tail sampling when configured
 * and writes storage. Without tail sampling `consumeSpans` resolves when the batch is durable; with
 * it, when the batch's spans are written or buffered for their trace's decision (buffered spans are
 * decided and written on shutdown, lost on a crash). Aggregates are flushed at each minute boundary
 * and on shutdown. A span redelivered within the recent window is written again (idempotently) but
 * not counted again.
 */
export class Ingester implements SpansConsumer, Component {
  private readonly stats: IngesterStats = {
    spansReceived: 0,
    spansWritten: 0,
    duplicateSpans: 0,
    processorMs: 0,
    writeMs: 0,
    metricsFlushes: 0,
    metricsFlushErrors: 0,
  };
  private readonly red = new RedAggregator();
  private readonly errors = new ErrorGrouper();
  private readonly graph: ServiceGraphBuilder | undefined;
  private readonly sampler: TailSampler | undefined;
  private readonly recent: RecentSpanKeys;
  private readonly now: () => number;
  // Aggregates drained but not yet written (a failed flush is retried at the next one).
  private unflushed: MetricsBatch = { red: [], edges: [], errors: [] };
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> = Promise.resolve();
  private flushedMinute = 0;
  private lastTraceState = '';
  private lastWeight = 1;

  constructor(
    private readonly writer: SpanWriter,
    private readonly processors?: IngesterProcessors,
  ) {
    this.now = processors?.now ?? Date.now;
    this.recent = new RecentSpanKeys(processors?.recentSpans ?? 500_000);
    if (processors) {
      this.graph = new ServiceGraphBuilder(processors.traceWindowMs);
      if (processors.tailSampling) this.sampler = new TailSampler(processors.tailSampling);
    }
  }

  async start(): Promise<void> {
    if (!this.processors || this.timer) return;
    this.flushedMinute = Math.floor(this.now() / MINUTE_MS);
    this.timer = setInterval(() => {
      // A failed flush is logged and retried at the next boundary; the chain must go on.
      this.ticking = this.ticking.then(() => this.tick()).catch(() => undefined);
    }, TICK_MS);
    this.timer.unref();
  }

  async consumeSpans(batch: SpanBatch): Promise<void> {
    this.stats.spansReceived += batch.spans.length;
    let spans = batch.spans;
    if (this.processors) {
      const t0 = performance.now();
      const now = this.now();
      const { tenant } = batch;
      for (const span of batch.spans) {
        if (this.recent.seen(`${tenant}\0${span.traceId}${span.spanId}`)) {
          this.stats.duplicateSpans++;
          continue;
        }
        const weight = this.weightOf(span.traceState);
        this.red.add(tenant, span, weight);
        this.graph!.add(tenant, span, weight, now);
        this.errors.add(tenant, span, weight);
      }
      // Redelivered spans are routed too: a retry after a failed write must still write them.
      if (this.sampler) spans = this.sampler.route(tenant, batch.spans, now);
      this.stats.processorMs += performance.now() - t0;
    }
    await this.write(batch.tenant, spans);
  }

  /** Settles what is due now: graph expiry, tail-sampling decisions, and the aggregates when a minute boundary passed. */
  async tick(): Promise<void> {
    const now = this.now();
    this.graph?.expire(now);
    if (this.sampler) await this.writeKept(this.sampler.decide(now));
    const minute = Math.floor(now / MINUTE_MS);
    if (minute !== this.flushedMinute) {
      this.flushedMinute = minute;
      await this.flush();
    }
  }

  /** Writes everything aggregated so far. */
  async flush(): Promise<void> {
    if (!this.processors) return;
    const pending = this.unflushed;
    pending.red.push(...this.red.drain());
    pending.edges.push(...this.graph!.drain());
    pending.errors.push(...this.errors.drain());
    if (pending.red.length + pending.edges.length + pending.errors.length === 0) return;
    try {
      await this.processors.metrics.writeMetrics(pending);
      this.unflushed = { red: [], edges: [], errors: [] };
      this.stats.metricsFlushes++;
    } catch (err) {
      this.stats.metricsFlushErrors++;
      this.processors.log.error({ err }, 'writing aggregates failed; retrying at the next flush');
      throw err;
    }
  }

  /** Stops the timer, settles every pending pairing and trace, writes kept spans and flushes the aggregates. */
  async shutdown(): Promise<void> {
    if (!this.processors) return;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.ticking;
    this.graph!.expire(Infinity);
    if (this.sampler) await this.writeKept(this.sampler.decide(this.now(), true));
    await this.flush();
  }

  getStats(): IngesterStats {
    return { ...this.stats, serviceGraph: this.graph?.getStats(), tailSampling: this.sampler?.getStats() };
  }

  private weightOf(traceState: string): number {
    if (traceState !== this.lastTraceState) {
      this.lastTraceState = traceState;
      this.lastWeight = adjustedCount(traceState);
    }
    return this.lastWeight;
  }

  private async write(tenant: string, spans: SpanBatch['spans']): Promise<void> {
    if (spans.length === 0) return;
    const t0 = performance.now();
    await this.writer.writeSpans({ tenant, spans });
    this.stats.writeMs += performance.now() - t0;
    this.stats.spansWritten += spans.length;
  }

  private async writeKept(kept: Map<string, SpanBatch['spans']>): Promise<void> {
    for (const [tenant, spans] of kept) {
      try {
        await this.write(tenant, spans);
      } catch (err) {
        this.processors!.log.error({ err, spans: spans.length }, 'writing sampled traces failed; they are lost');
      }
    }
  }
}
