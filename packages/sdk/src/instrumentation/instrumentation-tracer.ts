import { trace } from '@opentelemetry/api';
import type { Tracer, TracerProvider } from '@opentelemetry/api';
import { SDK_VERSION } from '../version.js';

export const INSTRUMENTATION_NAME = '@ariadne/sdk';

interface Delegating {
  getDelegate?(): TracerProvider;
}

let cachedProvider: TracerProvider | undefined;
let cachedTracer: Tracer | undefined;

/**
 * The global tracer, looked up per use so that wrappers made before startTracing still trace;
 * remembered while the global provider (the API's proxy's delegate) stays the same.
 */
export function instrumentationTracer(tracer: Tracer | undefined): Tracer {
  if (tracer !== undefined) return tracer;
  const global = trace.getTracerProvider() as TracerProvider & Delegating;
  const provider = typeof global.getDelegate === 'function' ? global.getDelegate() : global;
  if (provider !== cachedProvider || cachedTracer === undefined) {
    cachedTracer = trace.getTracer(INSTRUMENTATION_NAME, SDK_VERSION);
    cachedProvider = provider;
  }
  return cachedTracer;
}
