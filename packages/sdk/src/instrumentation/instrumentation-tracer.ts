import { trace } from '@opentelemetry/api';
import type { Tracer } from '@opentelemetry/api';
import { SDK_VERSION } from '../version.js';

export const INSTRUMENTATION_NAME = '@ariadne/sdk';

/** The global tracer, looked up per use so that wrappers made before startTracing still trace. */
export function instrumentationTracer(tracer: Tracer | undefined): Tracer {
  return tracer ?? trace.getTracer(INSTRUMENTATION_NAME, SDK_VERSION);
}
