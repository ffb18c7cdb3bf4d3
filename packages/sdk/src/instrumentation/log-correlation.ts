import { context, isSpanContextValid, trace } from '@opentelemetry/api';

export interface LogCorrelation {
  trace_id: string;
  span_id: string;
  trace_flags: string;
}

/** The fields log records get, as LogCorrelation's keys. */
export const LOG_CORRELATION_KEYS = ['trace_id', 'span_id', 'trace_flags'] as const;

/** The active span's ids under the names OpenTelemetry's log instrumentations use; none outside a span. */
export function logCorrelation(): LogCorrelation | undefined {
  const span = trace.getSpan(context.active());
  if (span === undefined) return undefined;
  const { traceId, spanId, traceFlags } = span.spanContext();
  if (!isSpanContextValid(span.spanContext())) return undefined;
  return { trace_id: traceId, span_id: spanId, trace_flags: traceFlags.toString(16).padStart(2, '0') };
}
