import { isSpanContextValid, trace } from '@opentelemetry/api';
import type { Context, SpanContext, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { isTracingSuppressed } from '../context/suppress-tracing.js';
import { RecordingSpan } from '../trace/recording-span.js';
import { UnsampledSpan } from '../trace/unsampled-span.js';
import { W3CTraceState } from './trace-state.js';

export const TRACEPARENT_HEADER = 'traceparent';
export const TRACESTATE_HEADER = 'tracestate';

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE_ID = /^0{32}$/;
const ZERO_SPAN_ID = /^0{16}$/;
// Sampled and (Level 2) random; other flags are unknown and are not propagated.
const KNOWN_FLAGS = 0x03;

function trimOws(value: string): string {
  return value.replace(/^[ \t]+|[ \t]+$/g, '');
}

/**
 * Parses a traceparent header. Version ff is invalid; version 00 has exactly four fields;
 * a higher (future) version may carry more fields after a dash, which are ignored.
 */
export function parseTraceParent(header: string): SpanContext | undefined {
  const match = TRACEPARENT.exec(trimOws(header));
  if (match === null) return undefined;
  const [, version, traceId, spanId, flags, rest] = match;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (ZERO_TRACE_ID.test(traceId) || ZERO_SPAN_ID.test(spanId)) return undefined;
  return { traceId, spanId, traceFlags: parseInt(flags, 16), isRemote: true };
}

function single(value: string | string[] | undefined): string | undefined {
  if (Array.isArray(value)) return value.length === 1 ? value[0] : undefined;
  return value;
}

/** W3C Trace Context Level 2: traceparent and tracestate headers. */
export class W3CTraceContextPropagator implements TextMapPropagator {
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const span = trace.getSpan(context);
    const spanContext = span?.spanContext();
    if (spanContext === undefined || isTracingSuppressed(context)) return;
    // The SDK's own spans have valid ids by construction: no need to check their hex.
    if (!(span instanceof RecordingSpan || span instanceof UnsampledSpan) && !isSpanContextValid(spanContext)) return;
    const flags = (spanContext.traceFlags & KNOWN_FLAGS).toString(16).padStart(2, '0');
    setter.set(carrier, TRACEPARENT_HEADER, `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`);
    const state = spanContext.traceState?.serialize();
    if (state) setter.set(carrier, TRACESTATE_HEADER, state);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    // Two traceparent headers are ambiguous: both are rejected (an array of two, or, as Node
    // joins repeated headers, one value with a comma, which the grammar rejects).
    const header = single(getter.get(carrier, TRACEPARENT_HEADER));
    if (header === undefined) return context;
    const spanContext = parseTraceParent(header);
    if (spanContext === undefined) return context;
    const state = getter.get(carrier, TRACESTATE_HEADER);
    if (state !== undefined) {
      const combined = Array.isArray(state) ? state.join(',') : state;
      spanContext.traceState = W3CTraceState.parse(combined);
    }
    return trace.setSpanContext(context, spanContext);
  }

  fields(): string[] {
    return [TRACEPARENT_HEADER, TRACESTATE_HEADER];
  }
}
