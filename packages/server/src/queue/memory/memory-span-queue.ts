import type { Logger } from 'pino';
import { Errors } from '../../errors.js';
import type { Component } from '../../model/component.js';
import type { SpanBatch } from '../../model/span.js';
import type { SpansConsumer } from '../../model/spans-consumer.js';

export interface MemorySpanQueueOptions {
  /** Spans held at most; beyond it `consumeSpans` rejects with ARIADNE_PIPELINE_FULL. */
  maxSpans: number;
  /** Spans handed downstream in one call at most (batches of one tenant are merged up to this). */
  maxBatchSpans: number;
  /** Attempts per batch before it is dropped and counted (storage down for good). */
  maxAttempts?: number;
  retryDelayMs?: number;
}

export interface QueueStats {
  queuedSpans: number;
  deliveredSpans: number;
  droppedSpans: number;
}

/**
 * The all-in-one queue: a bounded in-process buffer between the receiver and the ingester.
 * `consumeSpans` resolves as soon as the batch is buffered; `shutdown` stops taking batches and
 * resolves once everything buffered was delivered downstream.
 */
export class MemorySpanQueue implements SpansConsumer, Component {
  private readonly pending: SpanBatch[] = [];
  private pendingSpans = 0;
  private draining: Promise<void> | undefined;
  private closed = false;
  private readonly stats: QueueStats = { queuedSpans: 0, deliveredSpans: 0, droppedSpans: 0 };

  constructor(
    private readonly downstream: SpansConsumer,
    private readonly options: MemorySpanQueueOptions,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {}

  async consumeSpans(batch: SpanBatch): Promise<void> {
    if (this.closed) throw Errors.shuttingDown();
    if (batch.spans.length === 0) return;
    // An oversized batch still gets in when the queue is empty, or it could never be accepted.
    if (this.pendingSpans > 0 && this.pendingSpans + batch.spans.length > this.options.maxSpans) {
      throw Errors.pipelineFull(1);
    }
    this.pending.push(batch);
    this.pendingSpans += batch.spans.length;
    this.draining ??= this.drain().finally(() => (this.draining = undefined));
  }

  getStats(): QueueStats {
    return { ...this.stats, queuedSpans: this.pendingSpans };
  }

  async shutdown(): Promise<void> {
    this.closed = true;
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.takeBatch();
      await this.deliver(batch);
      this.pendingSpans -= batch.spans.length;
    }
  }

  /** Merges queued batches of the first batch's tenant, in order, up to maxBatchSpans. */
  private takeBatch(): SpanBatch {
    const first = this.pending.shift()!;
    if (first.spans.length >= this.options.maxBatchSpans) return first;
    const spans = [...first.spans];
    for (let i = 0; i < this.pending.length; ) {
      const next = this.pending[i];
      if (next.tenant !== first.tenant) {
        i++;
        continue;
      }
      if (spans.length + next.spans.length > this.options.maxBatchSpans) break;
      for (const span of next.spans) spans.push(span);
      this.pending.splice(i, 1);
    }
    return { tenant: first.tenant, spans };
  }

  private async deliver(batch: SpanBatch): Promise<void> {
    const maxAttempts = this.options.maxAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.downstream.consumeSpans(batch);
        this.stats.deliveredSpans += batch.spans.length;
        return;
      } catch (err) {
        if (attempt >= maxAttempts) {
          this.stats.droppedSpans += batch.spans.length;
          this.log.error({ err, spans: batch.spans.length }, 'dropping spans: storage kept failing');
          return;
        }
        const delay = (this.options.retryDelayMs ?? 200) * 2 ** (attempt - 1);
        this.log.warn({ err, attempt, delayMs: delay }, 'writing spans failed, retrying');
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }
}
