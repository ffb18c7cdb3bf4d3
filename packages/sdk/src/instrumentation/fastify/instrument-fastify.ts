import { subscribe } from 'node:diagnostics_channel';
import { diag } from '@opentelemetry/api';
import { patchFastifyInstance } from './patch-fastify-instance.js';

/**
 * Hook and request handler spans for Fastify 4 and 5, and the route on the SERVER span. Fastify
 * announces each new instance on its 'fastify.initialization' channel, so nothing is patched at
 * load time and an instance made before tracing started is simply not traced.
 */
export function instrumentFastify(): void {
  subscribe('fastify.initialization', (message) => {
    try {
      patchFastifyInstance((message as { fastify: object }).fastify);
    } catch (err) {
      diag.error('ariadne: fastify instance not instrumented', err);
    }
  });
}
