import http from 'node:http';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import { wrapHttpGet, wrapHttpRequest } from './wrap-http-request.js';

const PATCHED = Symbol.for('ariadne.http.client-patched');

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
  }
  // ES modules importing { request } from node:http see the patched functions too.
  syncBuiltinESMExports();
}
