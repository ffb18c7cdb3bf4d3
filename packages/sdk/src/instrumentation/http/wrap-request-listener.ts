import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Attributes, Span, Tracer } from '@opentelemetry/api';
import { isTracingSuppressed } from '../../context/suppress-tracing.js';
import { instrumentationTracer } from '../instrumentation-tracer.js';
import { recordError } from '../record-error.js';
import { setMethod, splitHostPort } from './http-attributes.js';
import { extractFromRequest, requestHeader } from './raw-headers.js';
import { setServerSpan } from './server-span.js';

export interface WrapRequestListenerOptions {
  tracer?: Tracer;
  /** Requests for which no span is made (health checks). */
  ignore?: (req: IncomingMessage) => boolean;
  /** The low-cardinality route, e.g. `/users/:id`, for the span name and http.route. */
  route?: (req: IncomingMessage) => string | undefined;
}

export function serverAttributes(req: IncomingMessage): { name: string; attributes: Attributes } {
  const attributes: Attributes = {};
  const method = setMethod(attributes, req.method);
  const target = req.url ?? '/';
  const q = target.indexOf('?');
  attributes['url.path'] = q === -1 ? target : target.slice(0, q);
  if (q !== -1) attributes['url.query'] = target.slice(q + 1);
  attributes['url.scheme'] = (req.socket as TLSSocket | undefined)?.encrypted ? 'https' : 'http';
  const { host, port } = splitHostPort(requestHeader(req, 'host') as string | undefined);
  if (host !== undefined) attributes['server.address'] = host;
  if (port !== undefined) attributes['server.port'] = port;
  const client = req.socket?.remoteAddress;
  if (client !== undefined) attributes['client.address'] = client;
  const agent = requestHeader(req, 'user-agent');
  if (agent !== undefined) attributes['user_agent.original'] = agent;
  attributes['network.protocol.version'] = req.httpVersion;
  return { name: method, attributes };
}

/** What cut a response short, as a span's status message. */
export const CONNECTION_CLOSED = 'connection closed before the response finished';
export const PROCESS_EXITED = 'process exited before the response finished';

/**
 * Ends a SERVER span with the response's status. Ended by anything but the response's finish
 * (`endedBy`: the connection closing, the process exiting), an unfinished response is aborted.
 */
export function endServerSpan(span: Span, res: ServerResponse, endedBy?: string): void {
  const status = res.statusCode;
  span.setAttribute('http.response.status_code', status);
  if (status >= 500) {
    span.setAttribute('error.type', String(status));
    span.setStatus({ code: SpanStatusCode.ERROR });
  } else if (endedBy !== undefined && !res.writableFinished) {
    span.setAttribute('error.type', 'aborted');
    span.setStatus({ code: SpanStatusCode.ERROR, message: endedBy });
  }
  span.end();
}

/**
 * Wraps a node:http request listener (the article's otelhttp.NewHandler): each request gets a
 * SERVER span whose parent is extracted from the request headers, active while the listener and
 * the request's and response's event listeners run; it ends when the response finishes or the
 * connection closes, with the status code, 5xx marking an error.
 */
export function wrapRequestListener<Req extends IncomingMessage, Res extends ServerResponse>(
  listener: (req: Req, res: Res) => void,
  options: WrapRequestListenerOptions = {},
): (req: Req, res: Res) => void {
  return function tracedRequestListener(this: unknown, req: Req, res: Res): void {
    const active = context.active();
    if (isTracingSuppressed(active) || options.ignore?.(req)) return listener.call(this, req, res);
    const parent = extractFromRequest(active, req);
    const { name, attributes } = serverAttributes(req);
    const route = options.route?.(req);
    if (route !== undefined) attributes['http.route'] = route;
    const span = instrumentationTracer(options.tracer).startSpan(
      route === undefined ? name : `${name} ${route}`,
      { kind: SpanKind.SERVER, attributes },
      parent,
    );
    const ctx = trace.setSpan(parent, span);
    setServerSpan(req, span, name);
    context.bind(ctx, req);
    context.bind(ctx, res);
    let ended = false;
    const end = (endedBy?: string) => {
      if (ended) return;
      ended = true;
      endServerSpan(span, res, endedBy);
    };
    res.once('finish', () => end());
    res.once('close', () => end(CONNECTION_CLOSED));
    try {
      context.with(ctx, () => listener.call(this, req, res));
    } catch (err) {
      recordError(span, err);
      throw err;
    }
  };
}
