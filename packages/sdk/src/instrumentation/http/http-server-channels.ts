import { subscribe } from 'node:diagnostics_channel';
import type { EventEmitter } from 'node:events';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { context, diag, ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import { withSpan } from '../../context/chain-context.js';
import { isTracingSuppressed } from '../../context/suppress-tracing.js';
import { instrumentationTracer } from '../instrumentation-tracer.js';
import { runInContext } from '../run-in-context.js';
import { bindEmits, emitsContext } from './bind-emits.js';
import { extractFromRequest } from './raw-headers.js';
import { setServerSpan } from './server-span.js';
import { armTimersOutsideRequests } from './socket-timers.js';
import { CONNECTION_CLOSED, endServerSpan, PROCESS_EXITED, serverAttributes } from './wrap-request-listener.js';

interface RequestStart {
  request: IncomingMessage;
  response: ServerResponse;
  server: Server;
  socket: Socket;
}

type Emit = EventEmitter['emit'];
const SPAN = Symbol('ariadne server span');
const NEXT = Symbol('ariadne next open response');
const PREV = Symbol('ariadne previous open response');
const SCOPED = Symbol('ariadne server scoped');
interface TracedResponse extends ServerResponse {
  [SPAN]?: Span;
  [NEXT]?: TracedResponse;
  [PREV]?: TracedResponse;
}

// The responses whose spans are open, for the exit listener: a list linked through the responses
// themselves. A Set allocated a new table every few hundred requests under load, and each table,
// referenced from the old generation, was promoted: +10 MB of peak RSS in bench/http-overhead.
let newestOpen: TracedResponse | undefined;

function track(res: TracedResponse, span: Span): void {
  res[SPAN] = span;
  res[PREV] = undefined;
  res[NEXT] = newestOpen;
  if (newestOpen !== undefined) newestOpen[PREV] = res;
  newestOpen = res;
}

function untrack(res: TracedResponse): void {
  const next = res[NEXT];
  const prev = res[PREV];
  if (next !== undefined) next[PREV] = prev;
  if (prev !== undefined) prev[NEXT] = next;
  else newestOpen = next;
  res[NEXT] = res[PREV] = undefined;
}

function end(res: TracedResponse, endedBy?: string): void {
  const span = res[SPAN];
  if (span === undefined) return;
  res[SPAN] = undefined;
  untrack(res);
  endServerSpan(span, res, endedBy);
}

function onResponseClose(this: TracedResponse): void {
  end(this, CONNECTION_CLOSED);
}

/**
 * At process.exit() the open spans end, before the exit export: a response the handler is
 * still writing (aborted), or one already sent, when the app exits from res.end's callback,
 * which Node 22 and later call before 'finish'.
 */
function endOpenSpansAtExit(): void {
  let res = newestOpen;
  while (res !== undefined) {
    const next = res[NEXT];
    end(res, PROCESS_EXITED);
    res = next;
  }
}

/**
 * Runs a server's 'request' listeners inside the request's context, which is released when they
 * return: entering it from the channel instead would leave it on the connection's parser, which
 * a keep-alive connection holds between requests.
 */
function scopeRequests(server: Server & { [SCOPED]?: true }): void {
  if (server[SCOPED]) return;
  server[SCOPED] = true;
  const emit = server.emit as Emit;
  server.emit = function emitRequestInContext(this: Server, event: string | symbol, request?: unknown): boolean {
    const ctx = event === 'request' || event === 'checkContinue' ? emitsContext(request) : undefined;
    // eslint-disable-next-line prefer-rest-params -- passed on as is, without copying
    return ctx === undefined ? Reflect.apply(emit, this, arguments) : runInContext(ctx, emit, this, arguments);
  } as Emit;
}

function onRequestStart(message: unknown): void {
  try {
    const { request, response, server, socket } = message as RequestStart;
    if (isTracingSuppressed(context.active())) return;
    const parent = extractFromRequest(ROOT_CONTEXT, request);
    const { name, attributes } = serverAttributes(request);
    const span = instrumentationTracer(undefined).startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
    const ctx = withSpan(parent, span);
    track(response, span);
    setServerSpan(request, span, name);
    bindEmits(request, ctx);
    bindEmits(response, ctx);
    response.on('close', onResponseClose);
    scopeRequests(server);
    armTimersOutsideRequests(socket);
  } catch (err) {
    diag.error('ariadne: http server span not started', err);
  }
}

function onResponseFinish(message: unknown): void {
  try {
    end((message as RequestStart).response);
  } catch (err) {
    diag.error('ariadne: http server span not ended', err);
  }
}

/**
 * A SERVER span per request of every node:http and node:https server, started and ended by
 * Node's diagnostics channels; only the emits of the server, request and response are scoped to
 * the request's context. The span ends when the response finishes, or, marked aborted, when the
 * connection closes first.
 */
export function instrumentHttpServer(): void {
  subscribe('http.server.request.start', onRequestStart);
  subscribe('http.server.response.finish', onResponseFinish);
  // First, ahead of the exit export, which may have been set up before.
  process.prependListener('exit', endOpenSpansAtExit);
}
