import type { ClientRequest, IncomingMessage, OutgoingHttpHeaders, RequestOptions } from 'node:http';
import * as http from 'node:http';
import { context, diag, propagation, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { Attributes, Context, Span, TextMapSetter, Tracer } from '@opentelemetry/api';
import { withSpan } from '../../context/chain-context.js';
import { isTracingSuppressed } from '../../context/suppress-tracing.js';
import { instrumentationTracer } from '../instrumentation-tracer.js';
import { recordError } from '../record-error.js';
import { runInContext } from '../run-in-context.js';
import { bindEmits } from './bind-emits.js';
import { setMethod } from './http-attributes.js';
import { removeRawHeader } from './raw-headers.js';

type RequestFunction = typeof http.request;
type Callback = (res: IncomingMessage) => void;

export interface WrapHttpRequestOptions {
  tracer?: Tracer;
  /** The scheme when the arguments name none: `https:` for https.request. */
  protocol?: 'http:' | 'https:';
}

// Headers given as an array, flat ([name, value, ...], a value may be an array) or as pairs
// ([[name, value], ...]), as node:http takes them, keep their order, case and repeats; a header
// the propagator sets replaces any of its name.
const rawHeadersSetter: TextMapSetter<unknown[]> = {
  set(carrier, key, value) {
    if (Array.isArray(carrier[0])) {
      for (let i = carrier.length - 1; i >= 0; i--) {
        if (String((carrier[i] as unknown[])[0]).toLowerCase() === key) carrier.splice(i, 1);
      }
      carrier.push([key, value]);
      return;
    }
    removeRawHeader(carrier, key);
    carrier.push(key, value);
  },
};

/** A copy of the request's headers with the context's trace headers added. */
function injectedHeaders(ctx: Context, headers: RequestOptions['headers']): RequestOptions['headers'] {
  if (Array.isArray(headers)) {
    const out: unknown[] = headers.slice();
    propagation.inject(ctx, out, rawHeadersSetter);
    return out as RequestOptions['headers'];
  }
  const out: OutgoingHttpHeaders = { ...(headers as OutgoingHttpHeaders | undefined) };
  propagation.inject(ctx, out);
  return out;
}

function defaultPort(protocol: string): number {
  return protocol === 'https:' ? 443 : 80;
}

interface Prepared {
  span: Span;
  ctx: Context;
  callArgs: unknown[];
}

/** What a span needs of a request URL. */
interface Target {
  protocol: string;
  hostname: string;
  port: string;
  path: string;
}

function targetOf(url: URL): Target {
  // An IPv6 URL's hostname keeps its brackets; server.address has none.
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return { protocol: url.protocol, hostname, port: url.port, path: url.pathname + url.search };
}

// A service calls the same few URLs over and over: each string is parsed once, not per request
// (a URL costs a third of a microsecond). Bounded: emptied when full.
const TARGETS_KEPT = 256;
const targets = new Map<string, Target>();

function parseTarget(input: string): Target {
  let target = targets.get(input);
  if (target === undefined) {
    target = targetOf(new URL(input));
    if (targets.size >= TARGETS_KEPT) targets.clear();
    targets.set(input, target);
  }
  return target;
}

/** The CLIENT span for request(...args), and the arguments that carry its context. */
function prepare(args: unknown[], options: WrapHttpRequestOptions, active: Context): Prepared {
  let target: Target | undefined;
  let opts: RequestOptions;
  let callback: Callback | undefined;
  const first = args[0];
  if (typeof first === 'string' || first instanceof URL) {
    target = typeof first === 'string' ? parseTarget(first) : targetOf(first);
    if (typeof args[1] === 'function') {
      opts = {};
      callback = args[1] as Callback;
    } else {
      opts = (args[1] as RequestOptions | undefined) ?? {};
      callback = args[2] as Callback | undefined;
    }
  } else {
    opts = (first as RequestOptions | undefined) ?? {};
    callback = args[1] as Callback | undefined;
  }
  const protocol = opts.protocol ?? target?.protocol ?? options.protocol ?? 'http:';
  const host = opts.hostname ?? opts.host?.replace(/:\d+$/, '') ?? target?.hostname ?? 'localhost';
  const port = Number(opts.port ?? (target?.port || defaultPort(protocol)));
  const path = opts.path ?? target?.path ?? '/';
  const attributes: Attributes = {};
  const name = setMethod(attributes, opts.method ?? 'GET');
  attributes['server.address'] = host;
  attributes['server.port'] = port;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const portPart = port === defaultPort(protocol) ? '' : `:${port}`;
  attributes['url.full'] = `${protocol}//${hostPart}${portPart}${path}`;
  const span = instrumentationTracer(options.tracer).startSpan(name, { kind: SpanKind.CLIENT, attributes }, active);
  const ctx = withSpan(active, span);
  const tracedOpts = { ...opts, headers: injectedHeaders(ctx, opts.headers) };
  const callArgs: unknown[] = target !== undefined ? [first, tracedOpts] : [tracedOpts];
  if (callback !== undefined) callArgs.push(callback);
  return { span, ctx, callArgs };
}

const STATE = Symbol('ariadne client span');

interface ClientState {
  span: Span;
  caller: Context;
  ended: boolean;
  answered: boolean;
}

type Traced<T> = T & { [STATE]?: ClientState };

function endClientSpan(state: ClientState): void {
  if (state.ended) return;
  state.ended = true;
  state.span.end();
}

function onResponse(this: Traced<ClientRequest>, res: IncomingMessage): void {
  const state = this[STATE];
  if (state === undefined || state.answered) return;
  bindEmits(res, state.caller);
  state.answered = true;
  const span = state.span;
  const status = res.statusCode ?? 0;
  span.setAttribute('http.response.status_code', status);
  if (status >= 400) {
    span.setAttribute('error.type', String(status));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  // Node discards a response nobody listens for (so that its socket is freed); this listener
  // must not keep it unread. It runs first (prepended), while the app's own listeners, the
  // request callback among them (a `once`), still count.
  if (this.listenerCount('response') === 1) res.resume();
}

function onRequestError(this: Traced<ClientRequest>, err: Error): void {
  const state = this[STATE];
  if (state !== undefined && !state.ended) {
    recordError(state.span, err);
    endClientSpan(state);
  }
  // This listener must not swallow an error the app does not listen for: without it, emit would
  // have thrown it (an unhandled 'error' event), and so it does.
  if (this.listenerCount('error') === 1) throw err;
}

/**
 * A request closes once its response has been read (a keep-alive socket is freed a tick after
 * the response's 'end'), or when it failed or was aborted: the span ends then, whichever it was.
 */
function onRequestClose(this: Traced<ClientRequest>): void {
  const state = this[STATE];
  if (state !== undefined) endClientSpan(state);
}

/**
 * Wraps `http.request` or `https.request` (the article's otelhttp.NewTransport): a CLIENT span
 * per request, its context injected into the request headers, ended when the response has been
 * read or the request fails. 4xx and 5xx answers mark the span as failed, as the HTTP
 * conventions ask of clients. The request's and response's listeners run in the caller's context.
 */
export function wrapHttpRequest<F extends RequestFunction>(request: F, options: WrapHttpRequestOptions = {}): F {
  const traced = function tracedRequest(this: unknown, ...args: unknown[]): ClientRequest {
    const active = context.active();
    if (isTracingSuppressed(active)) return (request as (...a: unknown[]) => ClientRequest).apply(this, args);
    let prepared: Prepared;
    try {
      prepared = prepare(args, options, active);
    } catch (err) {
      diag.error('ariadne: http client span not started', err);
      return (request as (...a: unknown[]) => ClientRequest).apply(this, args);
    }
    const { span, ctx, callArgs } = prepared;
    let req: Traced<ClientRequest>;
    try {
      req = runInContext(ctx, request as (...a: never[]) => ClientRequest, this, callArgs);
    } catch (err) {
      // The app's own mistake (a bad option): its error, as untraced.
      recordError(span, err);
      span.end();
      throw err;
    }
    // The response arrives on whatever socket the agent picked; its events, the callback among
    // them, belong to the caller.
    bindEmits(req, active);
    req[STATE] = { span, caller: active, ended: false, answered: false };
    req.prependListener('response', onResponse);
    req.on('error', onRequestError);
    req.on('close', onRequestClose);
    return req;
  };
  // The arity of the original, for code that inspects it.
  Object.defineProperty(traced, 'length', { value: request.length });
  return traced as F;
}

/** `http.get` over a wrapped request function: the same span, and the request ended at once. */
export function wrapHttpGet<F extends RequestFunction>(request: F, options: WrapHttpRequestOptions = {}): F {
  const traced = wrapHttpRequest(request, options);
  const tracedGet = function tracedGet(this: unknown, ...args: unknown[]): ClientRequest {
    const req = (traced as (...a: unknown[]) => ClientRequest).apply(this, args);
    req.end();
    return req;
  };
  Object.defineProperty(tracedGet, 'length', { value: request.length });
  return tracedGet as F;
}

/** node:http's request and get, traced. */
export const tracedHttpRequest: RequestFunction = wrapHttpRequest(http.request);
export const tracedHttpGet: RequestFunction = wrapHttpGet(http.request);
