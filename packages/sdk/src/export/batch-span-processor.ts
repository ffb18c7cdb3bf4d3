import { diag, TraceFlags } from '@opentelemetry/api';
import type { RecordingSpan } from '../trace/recording-span.js';
import type { SpanProcessor } from '../trace/span-processor.js';
import { ExportResultCode } from './span-exporter.js';
import type { SpanExporter } from './span-exporter.js';

export interface BatchSpanProcessorOptions {
  /** Spans waiting beyond this are dropped and counted; default 2048. */
  maxQueueSize?: number;
  /** Default 512. */
  maxExportBatchSize?: number;
  /** Longest wait before queued spans are exported; default 5000 ms. */
  scheduledDelayMillis?: number;
  /** Longest one export may take; default 30000 ms. */
  exportTimeoutMillis?: number;
}

const TIMED_OUT = Symbol('timed out');

/**
 * Queues sampled spans in a bounded queue and exports them in batches, one export at a time,
 * off the application's call path. Its timers are unref'd: it never keeps the process alive.
 */
export class BatchSpanProcessor implements SpanProcessor {
  /** Spans dropped because the queue was full. */
  droppedSpans = 0;
  /** Spans whose export failed or timed out. */
  failedSpans = 0;
  exportedSpans = 0;
  private queue: RecordingSpan[] = [];
  /** The batch whose export is under way (or waiting to retry). */
  private exporting: RecordingSpan[] | undefined;
  private readonly maxQueueSize: number;
  private readonly maxExportBatchSize: number;
  private readonly scheduledDelayMillis: number;
  private readonly exportTimeoutMillis: number;
  private timer: NodeJS.Timeout | undefined;
  private timerIsImmediate = false;
  private running: Promise<void> | undefined;
  private flushAll = false;
  private stopped = false;
  private shutdownPromise: Promise<void> | undefined;

  constructor(
    private readonly exporter: SpanExporter,
    options: BatchSpanProcessorOptions = {},
  ) {
    this.maxQueueSize = Math.max(1, options.maxQueueSize ?? 2048);
    this.maxExportBatchSize = Math.max(1, Math.min(options.maxExportBatchSize ?? 512, this.maxQueueSize));
    this.scheduledDelayMillis = Math.max(0, options.scheduledDelayMillis ?? 5000);
    this.exportTimeoutMillis = Math.max(0, options.exportTimeoutMillis ?? 30_000);
  }

  get queuedSpans(): number {
    return this.queue.length;
  }

  /** Whether exportAtExit can send the queue (the exporter has an exportAtExit). */
  get exportsAtExit(): boolean {
    return this.exporter.exportAtExit !== undefined;
  }

  onStart(): void {}

  onEnd(span: RecordingSpan): void {
    if (this.stopped || (span.traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.queue.length >= this.maxQueueSize) {
      if (this.droppedSpans++ === 0) {
        diag.warn(`ariadne: span queue full (${this.maxQueueSize}); dropping spans (counted in droppedSpans)`);
      }
      return;
    }
    this.queue.push(span);
    if (this.queue.length >= this.maxExportBatchSize) this.schedule(0);
    else this.schedule(this.scheduledDelayMillis);
  }

  forceFlush(): Promise<void> {
    return this.drain();
  }

  shutdown(): Promise<void> {
    this.shutdownPromise ??= (async () => {
      await this.drain();
      this.stopped = true;
      this.clearTimer();
      try {
        await this.exporter.shutdown();
      } catch (err) {
        diag.error('ariadne: exporter shutdown failed', err);
      }
    })();
    return this.shutdownPromise;
  }

  /**
   * Exports the queued spans synchronously, for a process 'exit' listener (process.exit(), an
   * uncaught exception), where the asynchronous exports can no longer run; does nothing when the
   * exporter has no exportAtExit. The batch of an export under way goes too: its request dies
   * with the process (a natural exit waits for it), unless the collector had it already, which
   * then gets those spans twice rather than never (SIGTERM's flush, then the app's process.exit()).
   */
  exportAtExit(): void {
    const pending = this.exporting;
    this.exporting = undefined;
    if (this.stopped || this.exporter.exportAtExit === undefined) return;
    const batches: RecordingSpan[][] = pending === undefined ? [] : [pending];
    while (this.queue.length > 0) batches.push(this.queue.splice(0, this.maxExportBatchSize));
    if (batches.length === 0) return;
    const count = batches.reduce((n, b) => n + b.length, 0);
    try {
      const result = this.exporter.exportAtExit(batches);
      if (result.code === ExportResultCode.SUCCESS) this.exportedSpans += count;
      else {
        this.failedSpans += count;
        diag.warn(`ariadne: export of ${count} spans at exit failed: ${result.error?.message ?? 'unknown error'}`);
      }
    } catch (err) {
      this.failedSpans += count;
      diag.error('ariadne: span exporter threw at exit', err);
    }
  }

  private schedule(delay: number): void {
    if (this.running !== undefined) return;
    if (this.timer !== undefined) {
      if (delay !== 0 || this.timerIsImmediate) return;
      clearTimeout(this.timer);
    }
    this.timerIsImmediate = delay === 0;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.drain(false);
    }, delay);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * Exports a batch, then more while full batches are queued; a partial rest waits for the
   * scheduled delay (a busy service sends full batches, not one request per export's round trip).
   * `all` (flush, shutdown) exports until the queue is empty; concurrent callers share the one loop.
   */
  private drain(all = true): Promise<void> {
    this.clearTimer();
    if (all) this.flushAll = true;
    if (this.running !== undefined) return this.running;
    if (this.queue.length === 0) {
      this.flushAll = false;
      return Promise.resolve();
    }
    const running = (async () => {
      try {
        do {
          const batch = this.queue.splice(0, this.maxExportBatchSize);
          this.exporting = batch;
          await this.exportBatch(batch);
          if (this.exporting === batch) this.exporting = undefined;
        } while (this.queue.length > 0 && (this.flushAll || this.queue.length >= this.maxExportBatchSize));
      } finally {
        this.running = undefined;
        this.flushAll = false;
      }
      if (this.queue.length > 0) this.schedule(this.scheduledDelayMillis);
    })();
    this.running = running;
    return running;
  }

  private async exportBatch(spans: RecordingSpan[]): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(resolve, this.exportTimeoutMillis, TIMED_OUT);
      timer.unref();
    });
    try {
      const result = await Promise.race([this.exporter.export(spans), timeout]);
      if (result === TIMED_OUT) {
        this.failedSpans += spans.length;
        diag.warn(`ariadne: export of ${spans.length} spans timed out after ${this.exportTimeoutMillis} ms`);
      } else if (result.code !== ExportResultCode.SUCCESS) {
        this.failedSpans += spans.length;
        diag.warn(`ariadne: export of ${spans.length} spans failed: ${result.error?.message ?? 'unknown error'}`);
      } else {
        this.exportedSpans += spans.length;
      }
    } catch (err) {
      this.failedSpans += spans.length;
      diag.error('ariadne: span exporter threw', err);
    } finally {
      clearTimeout(timer);
    }
  }
}
