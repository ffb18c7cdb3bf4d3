import http from 'node:http';
import type { Socket } from 'node:net';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import { isTracingSuppressed } from '../../context/suppress-tracing.js';
import { wrapMethod } from '../wrap-method.js';
import { armTimersOutsideRequests } from './socket-timers.js';
import { wrapHttpGet, wrapHttpRequest } from './wrap-http-request.js';

const PATCHED = Symbol.for('ariadne.http.client-patched');

/**
 * A pooled keep-alive socket outlives the request that opened it, and opened in that request's
 * context it would hold the context, spans and all, for its whole life. It is opened outside
 * (still untraced where tracing is suppressed, as for the exporter's own connections), and so
 * are its idle timers.
 */
function connectOutsideRequests(createConnection: (this: unknown, ...args: unknown[]) => unknown) {
  return function createConnectionOutsideRequests(this: unknown, ...args: unknown[]): unknown {
    const active = context.active();
    const socket = context.with(isTracingSuppressed(active) ? active : ROOT_CONTEXT, createConnection, this, ...args);
    if (typeof socket === 'object' && socket !== null) armTimersOutsideRequests(socket as Socket);
    return socket;
  };
}

/**
 * CLIENT spans for node:http and node:https requests. Node 20 publishes http.client.request.start
 * after the headers are written, too late to inject traceparent, so request and get are replaced
 * on the modules (the default export is the object CommonJS sees); get calls the module's own
 * request, not the export, hence both.
 */
export function patchHttpClient(): void {
  for (const [mod, protocol] of [[http, 'http:'], [https, 'https:']] as const) {
    const patched = mod as typeof mod & { [PATCHED]?: true };
    if (patched[PATCHED]) continue;
    patched[PATCHED] = true;
    const request = mod.request;
    patched.request = wrapHttpRequest(request, { protocol });
    patched.get = wrapHttpGet(request, { protocol });
    wrapMethod(mod.Agent.prototype, 'createConnection', connectOutsideRequests);
  }
  // ES modules importing { request } from node:http see the patched functions too.
  syncBuiltinESMExports();
}
