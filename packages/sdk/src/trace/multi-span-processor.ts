import { diag } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import type { RecordingSpan } from './recording-span.js';
import type { SpanProcessor } from './span-processor.js';

/** Calls each processor in order; one failing processor does not stop the others. */
export class MultiSpanProcessor implements SpanProcessor {
  constructor(private readonly processors: readonly SpanProcessor[]) {}

  onStart(span: RecordingSpan, parentContext: Context): void {
    for (const p of this.processors) {
      try {
        p.onStart(span, parentContext);
      } catch (err) {
        diag.error('ariadne: span processor onStart failed', err);
      }
    }
  }

  onEnd(span: RecordingSpan): void {
    for (const p of this.processors) {
      try {
        p.onEnd(span);
      } catch (err) {
        diag.error('ariadne: span processor onEnd failed', err);
      }
    }
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.processors.map((p) => p.forceFlush()));
  }

  async shutdown(): Promise<void> {
    await Promise.all(this.processors.map((p) => p.shutdown()));
  }
}
