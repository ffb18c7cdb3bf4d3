import { diag, SpanStatusCode } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';

/** Any thrown value as text: String() throws for an object without a prototype, or one whose toString throws. */
function describe(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * Records a thrown value as an exception event and marks the span as failed. Never throws: it
 * runs while the app's own error is on its way, which must reach the app unchanged.
 */
export function recordError(span: Span, error: unknown): void {
  try {
    const isError = error instanceof Error;
    const text = isError ? error.message : describe(error);
    span.recordException(isError || typeof error === 'string' ? error : text);
    span.setStatus({ code: SpanStatusCode.ERROR, message: text });
    span.setAttribute('error.type', isError ? error.name : typeof error);
  } catch (err) {
    diag.error('ariadne: error not recorded on its span', err);
  }
}
