import { isSpanContextValid, trace, TraceFlags } from '@opentelemetry/api';
import type { Context, SpanContext, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { isTracingSuppressed } from '../context/suppress-tracing.js';

export const B3_SINGLE_HEADER = 'b3';
export const B3_TRACE_ID_HEADER = 'x-b3-traceid';
export const B3_SPAN_ID_HEADER = 'x-b3-spanid';
export const B3_SAMPLED_HEADER = 'x-b3-sampled';
export const B3_FLAGS_HEADER = 'x-b3-flags';

const TRACE_ID = /^([0-9a-f]{16}|[0-9a-f]{32})$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

function first(value: string | string[] | undefined): string | undefined {
  return (Array.isArray(value) ? value[0] : value)?.trim();
}

/**
 * A B3 context: 64-bit trace ids are left-padded to 128 bits; debug ('d', X-B3-Flags: 1) counts
 * as sampled; a missing sampling state defers the decision, read here as not sampled.
 */
function toSpanContext(traceId: string | undefined, spanId: string | undefined, sampled: boolean): SpanContext | undefined {
  if (traceId === undefined || spanId === undefined) return undefined;
  if (!TRACE_ID.test(traceId) || !SPAN_ID.test(spanId)) return undefined;
  const context: SpanContext = {
    traceId: traceId.padStart(32, '0'),
    spanId,
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  };
  return isSpanContextValid(context) ? context : undefined;
}

export type B3Encoding = 'single' | 'multi';

/** Zipkin B3, in the single `b3` header or the X-B3-* headers; extraction accepts both. */
export class B3Propagator implements TextMapPropagator {
  constructor(private readonly encoding: B3Encoding = 'single') {}

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const sc = trace.getSpanContext(context);
    if (sc === undefined || !isSpanContextValid(sc) || isTracingSuppressed(context)) return;
    const sampled = (sc.traceFlags & TraceFlags.SAMPLED) !== 0 ? '1' : '0';
    if (this.encoding === 'single') {
      setter.set(carrier, B3_SINGLE_HEADER, `${sc.traceId}-${sc.spanId}-${sampled}`);
    } else {
      setter.set(carrier, B3_TRACE_ID_HEADER, sc.traceId);
      setter.set(carrier, B3_SPAN_ID_HEADER, sc.spanId);
      setter.set(carrier, B3_SAMPLED_HEADER, sampled);
    }
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const single = first(getter.get(carrier, B3_SINGLE_HEADER));
    const spanContext = single !== undefined ? this.extractSingle(single) : this.extractMulti(carrier, getter);
    return spanContext === undefined ? context : trace.setSpanContext(context, spanContext);
  }

  private extractSingle(header: string): SpanContext | undefined {
    const [traceId, spanId, state, parent] = header.split('-');
    if (parent !== undefined && !SPAN_ID.test(parent)) return undefined;
    if (state !== undefined && !['0', '1', 'd'].includes(state)) return undefined;
    return toSpanContext(traceId, spanId, state === '1' || state === 'd');
  }

  private extractMulti(carrier: unknown, getter: TextMapGetter): SpanContext | undefined {
    const sampled = first(getter.get(carrier, B3_SAMPLED_HEADER))?.toLowerCase();
    const debug = first(getter.get(carrier, B3_FLAGS_HEADER)) === '1';
    return toSpanContext(
      first(getter.get(carrier, B3_TRACE_ID_HEADER))?.toLowerCase(),
      first(getter.get(carrier, B3_SPAN_ID_HEADER))?.toLowerCase(),
      debug || sampled === '1' || sampled === 'true',
    );
  }

  fields(): string[] {
    return this.encoding === 'single'
      ? [B3_SINGLE_HEADER]
      : [B3_TRACE_ID_HEADER, B3_SPAN_ID_HEADER, B3_SAMPLED_HEADER, B3_FLAGS_HEADER];
  }
}
