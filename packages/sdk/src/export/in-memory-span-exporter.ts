import type { RecordingSpan } from '../trace/recording-span.js';
import { ExportResultCode } from './span-exporter.js';
import type { ExportResult, SpanExporter } from './span-exporter.js';

/** Keeps exported spans in an array, for tests and examples. */
export class InMemorySpanExporter implements SpanExporter {
  readonly spans: RecordingSpan[] = [];
  private stopped = false;

  export(spans: readonly RecordingSpan[]): Promise<ExportResult> {
    if (this.stopped) return Promise.resolve({ code: ExportResultCode.FAILED, error: new Error('exporter is shut down') });
    this.spans.push(...spans);
    return Promise.resolve({ code: ExportResultCode.SUCCESS });
  }

  reset(): void {
    this.spans.length = 0;
  }

  shutdown(): Promise<void> {
    this.stopped = true;
    return Promise.resolve();
  }
}
