import { diag, TraceFlags } from '@opentelemetry/api';
import type { RecordingSpan } from '../trace/recording-span.js';
import type { SpanProcessor } from '../trace/span-processor.js';
import { ExportResultCode } from './span-exporter.js';
import type { ExportResult, SpanExporter } from './span-exporter.js';

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

/** Spans waiting for export: either the span objects or their bytes, encoded as they ended. */
interface PendingBatch {
  readonly count: number;
  add(span: RecordingSpan): void;
}

class SpanList implements PendingBatch {
  readonly spans: RecordingSpan[] = [];
  get count(): number {
    return this.spans.length;
  }
  add(span: RecordingSpan): void {
    this.spans.push(span);
  }
}

/**
 * An internal capability of OtlpHttpTraceExporter (OTLP protobuf): spans encoded as they end,
 * so that they die young instead of waiting in the queue. `newEncodedBatch` answers undefined
 * when the exporter cannot (OTLP JSON).
 */
export interface EncodingSpanExporter<B extends PendingBatch = PendingBatch> extends SpanExporter {
  newEncodedBatch(): B | undefined;
  exportEncoded(batch: B): Promise<ExportResult>;
}

function encodingExporter(exporter: SpanExporter): EncodingSpanExporter | undefined {
  const e = exporter as Partial<EncodingSpanExporter>;
  if (typeof e.newEncodedBatch !== 'function' || typeof e.exportEncoded !== 'function') return undefined;
  return e.newEncodedBatch() === undefined ? undefined : (e as EncodingSpanExporter);
}

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
  /** Batches of at most maxExportBatchSize spans, the last one filling. */
  private queue: PendingBatch[] = [];
  private queued = 0;
  private readonly encoder: EncodingSpanExporter | undefined;
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
    this.encoder = encodingExporter(exporter);
  }

  get queuedSpans(): number {
    return this.queued;
  }

  private newBatch(): PendingBatch {
    return this.encoder?.newEncodedBatch() ?? new SpanList();
  }

  onStart(): void {}

  onEnd(span: RecordingSpan): void {
    if (this.stopped || (span.traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.queued >= this.maxQueueSize) {
      if (this.droppedSpans++ === 0) {
        diag.warn(`ariadne: span queue full (${this.maxQueueSize}); dropping spans (counted in droppedSpans)`);
      }
      return;
    }
    let batch = this.queue.length > 0 ? this.queue[this.queue.length - 1] : undefined;
    const fresh = batch === undefined || batch.count >= this.maxExportBatchSize;
    if (fresh) batch = this.newBatch();
    try {
      batch!.add(span);
    } catch (err) {
      this.failedSpans++;
      diag.error('ariadne: span encoding failed', err);
      return;
    }
    if (fresh) this.queue.push(batch!);
    this.queued++;
    if (this.queued >= this.maxExportBatchSize) this.schedule(0);
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
    if (this.queued === 0) {
      this.flushAll = false;
      return Promise.resolve();
    }
    const running = (async () => {
      try {
        do {
          const batch = this.queue.shift()!;
          this.queued -= batch.count;
          await this.exportBatch(batch);
        } while (this.queued > 0 && (this.flushAll || this.queued >= this.maxExportBatchSize));
      } finally {
        this.running = undefined;
        this.flushAll = false;
      }
      if (this.queued > 0) this.schedule(this.scheduledDelayMillis);
    })();
    this.running = running;
    return running;
  }

  private async exportBatch(batch: PendingBatch): Promise<void> {
    const n = batch.count;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(resolve, this.exportTimeoutMillis, TIMED_OUT);
      timer.unref();
    });
    try {
      const result = await Promise.race([
        batch instanceof SpanList ? this.exporter.export(batch.spans) : this.encoder!.exportEncoded(batch),
        timeout,
      ]);
      if (result === TIMED_OUT) {
        this.failedSpans += n;
        diag.warn(`ariadne: export of ${n} spans timed out after ${this.exportTimeoutMillis} ms`);
      } else if (result.code !== ExportResultCode.SUCCESS) {
        this.failedSpans += n;
        diag.warn(`ariadne: export of ${n} spans failed: ${result.error?.message ?? 'unknown error'}`);
      } else {
        this.exportedSpans += n;
      }
    } catch (err) {
      this.failedSpans += n;
      diag.error('ariadne: span exporter threw', err);
    } finally {
      clearTimeout(timer);
    }
  }
}
