import { subscribe } from 'node:diagnostics_channel';
import type { EventEmitter } from 'node:events';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { context, diag, propagation, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import type { Context, Span } from '@opentelemetry/api';
import { isTracingSuppressed } from '../../context/suppress-tracing.js';
import { instrumentationTracer } from '../instrumentation-tracer.js';
import { setServerSpan } from './server-span.js';
import { endServerSpan, serverAttributes } from './wrap-request-listener.js';

interface RequestStart {
  request: IncomingMessage;
  response: ServerResponse;
  server: Server;
}

type Emit = EventEmitter['emit'];
const CONTEXT = Symbol('ariadne request context');
const EMIT = Symbol('ariadne original emit');
const SPAN = Symbol('ariadne server span');

interface Scoped {
  [CONTEXT]?: Context;
  [EMIT]?: Emit;
}
type TracedResponse = ServerResponse & Scoped & { [SPAN]?: Span };

function end(res: TracedResponse, aborted: boolean): void {
  const span = res[SPAN];
  if (span === undefined) return;
  res[SPAN] = undefined;
  endServerSpan(span, res, aborted);
}

/**
 * Runs an emitter's listeners in its request's context: body chunks and 'close' arrive from the
 * socket, outside it. One shared function instead of a bound closure per listener.
 */
function emitInContext(this: EventEmitter & Scoped, event: string | symbol, ...args: unknown[]): boolean {
  if (event === 'close' && (this as TracedResponse)[SPAN] !== undefined) end(this as TracedResponse, !(this as ServerResponse).writableFinished);
  const ctx = this[CONTEXT];
  const emit = this[EMIT]!;
  return ctx === undefined ? emit.call(this, event, ...args) : context.with(ctx, emit, this, event, ...args);
}

function scope(emitter: EventEmitter & Scoped, ctx: Context): void {
  emitter[CONTEXT] = ctx;
  emitter[EMIT] = emitter.emit;
  emitter.emit = emitInContext;
}

const SERVER_WRAPPED = Symbol('ariadne server emit');

/**
 * Runs a server's 'request' listeners inside the request's context, which is released when they
 * return: entering it from the channel instead would leave it on the connection's parser, which
 * a keep-alive connection holds between requests.
 */
function scopeRequests(server: Server & { [SERVER_WRAPPED]?: true }): void {
  if (server[SERVER_WRAPPED]) return;
  server[SERVER_WRAPPED] = true;
  const emit = server.emit as Emit;
  server.emit = function emitRequestInContext(this: Server, event: string | symbol, ...args: unknown[]): boolean {
    const ctx = event === 'request' || event === 'checkContinue' ? (args[0] as Scoped | undefined)?.[CONTEXT] : undefined;
    return ctx === undefined ? emit.call(this, event, ...args) : context.with(ctx, emit, this, event, ...args);
  } as Emit;
}

function onRequestStart(message: unknown): void {
  try {
    const { request, response, server } = message as RequestStart;
    if (isTracingSuppressed(context.active())) return;
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const { name, attributes } = serverAttributes(request);
    const span = instrumentationTracer(undefined).startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
    const ctx = trace.setSpan(parent, span);
    (response as TracedResponse)[SPAN] = span;
    setServerSpan(request, span, name);
    scope(request, ctx);
    scope(response, ctx);
    scopeRequests(server);
  } catch (err) {
    diag.error('ariadne: http server span not started', err);
  }
}

function onResponseFinish(message: unknown): void {
  try {
    end((message as RequestStart).response, false);
  } catch (err) {
    diag.error('ariadne: http server span not ended', err);
  }
}

/**
 * A SERVER span per request of every node:http and node:https server, started and ended by
 * Node's diagnostics channels; only the emit of the server, request and response objects is
 * scoped to the request's context. The span ends when the response finishes, or, marked aborted,
 * when the connection closes first.
 */
export function instrumentHttpServer(): void {
  subscribe('http.server.request.start', onRequestStart);
  subscribe('http.server.response.finish', onResponseFinish);
}
