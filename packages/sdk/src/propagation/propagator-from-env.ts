import { diag } from '@opentelemetry/api';
import type { TextMapPropagator } from '@opentelemetry/api';
import { B3Propagator } from './b3-propagator.js';
import { CompositePropagator } from './composite-propagator.js';
import { W3CBaggagePropagator } from './w3c-baggage-propagator.js';
import { W3CTraceContextPropagator } from './w3c-trace-context-propagator.js';

/** OTEL_PROPAGATORS: a comma list of tracecontext, baggage, b3, b3multi, none (default tracecontext,baggage). */
export function propagatorFromEnv(value: string | undefined): TextMapPropagator {
  const names = (value ?? '').split(',').map((n) => n.trim().toLowerCase()).filter((n) => n !== '');
  if (names.length === 0) names.push('tracecontext', 'baggage');
  if (names.includes('none')) return new CompositePropagator([]);
  const propagators: TextMapPropagator[] = [];
  for (const name of new Set(names)) {
    if (name === 'tracecontext') propagators.push(new W3CTraceContextPropagator());
    else if (name === 'baggage') propagators.push(new W3CBaggagePropagator());
    else if (name === 'b3') propagators.push(new B3Propagator('single'));
    else if (name === 'b3multi') propagators.push(new B3Propagator('multi'));
    else diag.warn(`ariadne: unknown propagator "${name}" in OTEL_PROPAGATORS, ignored`);
  }
  return new CompositePropagator(propagators);
}
