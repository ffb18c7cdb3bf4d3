import { diag, SpanStatusCode } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import { describeValue } from '../describe-value.js';

/**
 * Records a thrown value as an exception event and marks the span as failed. Never throws: it
 * runs while the app's own error is on its way, which must reach the app unchanged.
 */
export function recordError(span: Span, error: unknown): void {
  try {
    const isError = error instanceof Error;
    const text = isError ? error.message : describeValue(error);
    span.recordException(isError || typeof error === 'string' ? error : text);
    span.setStatus({ code: SpanStatusCode.ERROR, message: text });
    span.setAttribute('error.type', isError ? error.name : typeof error);
  } catch (err) {
    diag.error('ariadne: error not recorded on its span', err);
  }
}
