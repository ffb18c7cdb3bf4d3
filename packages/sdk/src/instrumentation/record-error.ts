import { SpanStatusCode } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';

/** Records a thrown value as an exception event and marks the span as failed. */
export function recordError(span: Span, error: unknown): void {
  const exception = error instanceof Error || typeof error === 'string' ? error : String(error);
  span.recordException(exception);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  const type = error instanceof Error ? error.name : typeof error;
  span.setAttribute('error.type', type);
}
