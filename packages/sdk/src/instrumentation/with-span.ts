import type { Span, SpanOptions, Tracer } from '@opentelemetry/api';
import { instrumentationTracer } from './instrumentation-tracer.js';
import { recordError } from './record-error.js';

export interface WithSpanOptions extends SpanOptions {
  tracer?: Tracer;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/**
 * Runs `fn` in a new active span and ends it when `fn` returns or, for a promise, settles.
 * A throw or rejection is recorded on the span and passed on unchanged.
 */
export function withSpan<T>(name: string, fn: (span: Span) => T, options: WithSpanOptions = {}): T {
  const { tracer, ...spanOptions } = options;
  return instrumentationTracer(tracer).startActiveSpan(name, spanOptions, (span) => {
    let result: T;
    try {
      result = fn(span);
    } catch (err) {
      recordError(span, err);
      span.end();
      throw err;
    }
    if (!isPromiseLike(result)) {
      span.end();
      return result;
    }
    return result.then(
      (value) => {
        span.end();
        return value;
      },
      (err: unknown) => {
        recordError(span, err);
        span.end();
        throw err;
      },
    ) as T;
  });
}
