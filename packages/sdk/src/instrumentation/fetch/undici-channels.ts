import { subscribe } from 'node:diagnostics_channel';
import { context, diag, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Attributes, Span } from '@opentelemetry/api';
import { isTracingSuppressed } from '../../context/suppress-tracing.js';
import { setMethod } from '../http/http-attributes.js';
import { removeRawHeader } from '../http/raw-headers.js';
import { instrumentationTracer } from '../instrumentation-tracer.js';
import { recordError } from '../record-error.js';

/** The parts of undici's Request the channels carry (Node 20 bundles undici 6). */
interface UndiciRequest {
  origin: string;
  method: string;
  path: string;
  /** [name, value, ...] in undici 6 and later; raw header lines in undici 5. */
  headers?: unknown;
  addHeader?(name: string, value: string): void;
}

/** Sets header `key` (lower case), replacing a value the app gave, as the node:http client does. */
function setHeader(request: UndiciRequest, key: string, value: string): void {
  const headers = request.headers;
  if (Array.isArray(headers)) {
    removeRawHeader(headers, key);
  } else if (typeof headers === 'string' && new RegExp(`(?:^|\\n)${key}:`, 'i').test(headers)) {
    return; // raw lines are not edited: the app's header stays, rather than a second one
  }
  request.addHeader!(key, value);
}

const spans = new WeakMap<UndiciRequest, Span>();

/**
 * CLIENT spans for fetch (and the undici package) from undici's diagnostics channels: the request
 * is published before its headers are written, so the context goes in without any patching. The
 * span ends when the response headers arrive; the body is the caller's to read.
 */
export function instrumentUndici(): void {
  subscribe('undici:request:create', (message) => {
    try {
      const { request } = message as { request: UndiciRequest };
      const active = context.active();
      if (isTracingSuppressed(active) || typeof request.addHeader !== 'function') return;
      const url = new URL(request.path, request.origin);
      const attributes: Attributes = {};
      const name = setMethod(attributes, request.method);
      attributes['url.full'] = url.href;
      attributes['server.address'] = url.hostname.replace(/^\[|\]$/g, '');
      attributes['server.port'] = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
      const span = instrumentationTracer(undefined).startSpan(name, { kind: SpanKind.CLIENT, attributes }, active);
      spans.set(request, span);
      const carrier: Record<string, string> = {};
      propagation.inject(trace.setSpan(active, span), carrier);
      for (const key in carrier) setHeader(request, key, carrier[key]);
    } catch (err) {
      diag.error('ariadne: fetch span not started', err);
    }
  });
  subscribe('undici:request:headers', (message) => {
    try {
      const { request, response } = message as { request: UndiciRequest; response: { statusCode: number } };
      const span = spans.get(request);
      if (span === undefined) return;
      spans.delete(request);
      span.setAttribute('http.response.status_code', response.statusCode);
      if (response.statusCode >= 400) {
        span.setAttribute('error.type', String(response.statusCode));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
    } catch (err) {
      diag.error('ariadne: fetch span not ended', err);
    }
  });
  subscribe('undici:request:error', (message) => {
    try {
      const { request, error } = message as { request: UndiciRequest; error: unknown };
      const span = spans.get(request);
      if (span === undefined) return;
      spans.delete(request);
      recordError(span, error);
      span.end();
    } catch (err) {
      diag.error('ariadne: fetch span not ended', err);
    }
  });
}
