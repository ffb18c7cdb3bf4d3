import { diag, TraceFlags } from '@opentelemetry/api';
import type { RecordingSpan } from '../trace/recording-span.js';
import type { SpanProcessor } from '../trace/span-processor.js';
import type { ExportResult, SpanExporter } from './span-exporter.js';

/** Exports each sampled span as it ends; for tests and debugging, not production load. */
export class SimpleSpanProcessor implements SpanProcessor {
  private readonly pending = new Set<Promise<ExportResult | void>>();

  constructor(private readonly exporter: SpanExporter) {}

  onStart(): void {}

  onEnd(span: RecordingSpan): void {
    if ((span.traceFlags & TraceFlags.SAMPLED) === 0) return;
    const done = this.exporter.export([span]).catch((err: unknown) => diag.error('ariadne: span exporter threw', err));
    this.pending.add(done);
    void done.finally(() => this.pending.delete(done));
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.pending);
  }

  async shutdown(): Promise<void> {
    await this.forceFlush();
    await this.exporter.shutdown();
  }
}
