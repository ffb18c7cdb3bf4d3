import type { Component } from '../model/component.js';
import type { SpanBatch } from '../model/span.js';
import type { SpansConsumer } from '../model/spans-consumer.js';

export interface SpanBatchCoalescerOptions {
  /** A batch is written once it holds this many spans (it may pass it by one message). */
  maxSpans: number;
  /** … or this many message bytes. */
  maxBytes: number;
  /** … or when its first message has waited this long. */
  lingerMs: number;
  /** … or when no message came for this long and no write is in flight. Default max(1, linger ÷ 5). */
  quietMs?: number;
  /** A source that added nothing for this long no longer holds a batch back. Default max(1 s, 20 × linger). */
  activeWindowMs?: number;
  /** Wall clock in ms; tests drive it. */
  now?: () => number;
}

export interface SpanBatchCoalescerStats {
  /** Downstream calls made (one per tenant of a batch), failed ones included. */
  writes: number;
  failedWrites: number;
  /** Messages and spans in the writes that succeeded. */
  messagesWritten: number;
  spansWritten: number;
}

interface Entry {
  batch: SpanBatch;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Combines the span batches of queue messages handled concurrently (a queue hands each partition's
 * messages one at a time, so one batch holds at most one message per partition) into one
 * `consumeSpans` per tenant, one write at a time. `add` resolves once its spans' write resolved
 * (durable) and rejects when it failed, so the caller acks only what is written and a failed write
 * is redelivered whole. A batch goes when it reaches `maxSpans` or `maxBytes`, when every source
 * active lately has a message in it (none could add more before it is written), when no message
 * came for `quietMs` while no write was in flight (sources shared with other consumers, as NATS
 * partitions are, may never all come), or `lingerMs` after its first message.
 * `shutdown` writes what is pending at once and waits for the writes; later adds are written
 * without lingering.
 */
export class SpanBatchCoalescer implements Component {
  private pending: Entry[] = [];
  private pendingSpans = 0;
  private pendingBytes = 0;
  private readonly pendingSources = new Set<number>();
  private readonly lastSeen = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;
  private firstAt = 0;
  /** When the current quiet period began: the last add, or the end of the last write. */
  private quietFrom = 0;
  private readonly quietMs: number;
  /** The pending batch should be written as soon as the write in flight ends. */
  private due = false;
  private writing: Promise<void> | undefined;
  private draining = false;
  private readonly activeWindowMs: number;
  private readonly now: () => number;
  private readonly stats: SpanBatchCoalescerStats = { writes: 0, failedWrites: 0, messagesWritten: 0, spansWritten: 0 };

  constructor(
    private readonly downstream: SpansConsumer,
    private readonly options: SpanBatchCoalescerOptions,
  ) {
    this.activeWindowMs = options.activeWindowMs ?? Math.max(1_000, 20 * options.lingerMs);
    this.now = options.now ?? Date.now;
    this.quietMs = options.quietMs ?? Math.max(1, Math.round(options.lingerMs / 5));
  }

  async start(): Promise<void> {}

  /** Adds the spans of one message from `source` (its partition); the batch must not be mutated afterwards. */
  add(batch: SpanBatch, bytes: number, source: number): Promise<void> {
    if (batch.spans.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const now = this.now();
      if (this.pending.length === 0) this.firstAt = now;
      this.pending.push({ batch, resolve, reject });
      this.pendingSpans += batch.spans.length;
      this.pendingBytes += bytes;
      this.pendingSources.add(source);
      this.lastSeen.set(source, now);
      this.quietFrom = now;
      if (this.ready()) this.flushSoon();
      else this.schedule();
    });
  }

  /** Writes what is pending now and every later add without lingering; resolves when nothing is pending or in flight. */
  async shutdown(): Promise<void> {
    this.draining = true;
    if (this.pending.length > 0) this.flushSoon();
    while (this.writing) await this.writing;
  }

  getStats(): SpanBatchCoalescerStats {
    return { ...this.stats };
  }

  private ready(): boolean {
    return this.draining || this.pendingSpans >= this.options.maxSpans || this.pendingBytes >= this.options.maxBytes || this.coversActiveSources();
  }

  private coversActiveSources(): boolean {
    const since = this.now() - this.activeWindowMs;
    for (const [source, seen] of this.lastSeen) {
      if (seen < since) this.lastSeen.delete(source);
      else if (!this.pendingSources.has(source)) return false;
    }
    return true;
  }

  /** Arms the timer for the linger deadline or the end of the quiet period, whichever is first. */
  private schedule(): void {
    if (this.due) return;
    clearTimeout(this.timer);
    const deadline = Math.min(this.firstAt + this.options.lingerMs, this.quietFrom + this.quietMs);
    this.timer = setTimeout(() => this.onTimer(), Math.max(0, deadline - this.now()));
  }

  private onTimer(): void {
    this.timer = undefined;
    const now = this.now();
    if (now >= this.firstAt + this.options.lingerMs) this.flushSoon();
    // While a write is in flight its sources are away; the quiet period restarts when it ends.
    else if (this.writing) return;
    else if (now >= this.quietFrom + this.quietMs) this.flushSoon();
    else this.schedule();
  }

  private flushSoon(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.due = true;
    this.writing ??= this.writeDue();
  }

  private async writeDue(): Promise<void> {
    // Lets the messages handed out in this tick join.
    await new Promise(setImmediate);
    while (this.due && this.pending.length > 0) {
      this.due = false;
      const entries = this.pending;
      this.pending = [];
      this.pendingSpans = 0;
      this.pendingBytes = 0;
      this.pendingSources.clear();
      await this.write(entries);
      this.quietFrom = this.now();
      if (this.pending.length > 0 && !this.due) {
        if (this.ready()) {
          clearTimeout(this.timer);
          this.timer = undefined;
          this.due = true;
        } else {
          this.schedule();
        }
      }
    }
    this.due = false;
    this.writing = undefined;
  }

  private async write(entries: Entry[]): Promise<void> {
    const byTenant = new Map<string, Entry[]>();
    for (const entry of entries) {
      const group = byTenant.get(entry.batch.tenant);
      if (group) group.push(entry);
      else byTenant.set(entry.batch.tenant, [entry]);
    }
    await Promise.all(
      [...byTenant].map(async ([tenant, group]) => {
        const spans = group.length === 1 ? group[0]!.batch.spans : group.flatMap((e) => e.batch.spans);
        this.stats.writes++;
        try {
          await this.downstream.consumeSpans({ tenant, spans });
        } catch (err) {
          this.stats.failedWrites++;
          for (const e of group) e.reject(err);
          return;
        }
        this.stats.messagesWritten += group.length;
        this.stats.spansWritten += spans.length;
        for (const e of group) e.resolve();
      }),
    );
  }
}
