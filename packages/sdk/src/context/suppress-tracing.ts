import { createContextKey } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';

// The key @opentelemetry/core uses (createContextKey is Symbol.for), so OpenTelemetry
// instrumentations and Ariadne suppress each other's tracing alike.
const SUPPRESS_TRACING_KEY = createContextKey('OpenTelemetry SDK Context Key SUPPRESS_TRACING');

/** A context in which no span is recorded and no header injected, e.g. the exporter's own requests. */
export function suppressTracing(context: Context): Context {
  return context.setValue(SUPPRESS_TRACING_KEY, true);
}

export function isTracingSuppressed(context: Context): boolean {
  return context.getValue(SUPPRESS_TRACING_KEY) === true;
}
