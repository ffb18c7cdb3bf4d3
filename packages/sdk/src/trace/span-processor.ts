import type { Context } from '@opentelemetry/api';
import type { RecordingSpan } from './recording-span.js';

/**
 * Hooks called on span start and end, synchronously on the application's path, so they must be
 * cheap and must not throw. forceFlush and shutdown resolve when queued spans are exported;
 * shutdown is idempotent, and after it spans are ignored.
 */
export interface SpanProcessor {
  onStart(span: RecordingSpan, parentContext: Context): void;
  onEnd(span: RecordingSpan): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}
