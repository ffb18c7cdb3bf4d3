import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Attributes, Tracer } from '@opentelemetry/api';
import { isTracingSuppressed } from '../../context/suppress-tracing.js';
import { setMethod } from '../http/http-attributes.js';
import { instrumentationTracer } from '../instrumentation-tracer.js';
import { recordError } from '../record-error.js';

export interface WrapFetchOptions {
  tracer?: Tracer;
}

type Fetch = typeof globalThis.fetch;

/**
 * Wraps a fetch function: a CLIENT span per call, its context injected into the request headers,
 * ended when the response headers arrive (the body is the caller's to read) or the call fails.
 */
export function wrapFetch(fetchFn: Fetch, options: WrapFetchOptions = {}): Fetch {
  return async function tracedFetch(input: Parameters<Fetch>[0], init?: RequestInit): Promise<Response> {
    const active = context.active();
    if (isTracingSuppressed(active)) return fetchFn(input, init);
    const request = input instanceof Request ? input : undefined;
    const url = new URL(request ? request.url : input instanceof URL ? input.href : String(input));
    const attributes: Attributes = {};
    const name = setMethod(attributes, init?.method ?? request?.method ?? 'GET');
    attributes['url.full'] = url.href;
    attributes['server.address'] = url.hostname.replace(/^\[|\]$/g, '');
    attributes['server.port'] = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const span = instrumentationTracer(options.tracer).startSpan(name, { kind: SpanKind.CLIENT, attributes }, active);
    const ctx = trace.setSpan(active, span);
    const headers = new Headers(init?.headers ?? request?.headers);
    propagation.inject(ctx, headers, { set: (carrier: Headers, key, value) => carrier.set(key, value) });
    try {
      const response = await context.with(ctx, () => fetchFn(input, { ...init, headers }));
      span.setAttribute('http.response.status_code', response.status);
      if (response.status >= 400) {
        span.setAttribute('error.type', String(response.status));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      return response;
    } catch (err) {
      recordError(span, err);
      throw err;
    } finally {
      span.end();
    }
  };
}

/** The global fetch, traced; looked up per call so that later replacements are honoured. */
export const tracedFetch: Fetch = wrapFetch((input, init) => globalThis.fetch(input, init));
