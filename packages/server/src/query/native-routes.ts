import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest, RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AriadneError, Errors } from '../errors.js';
import type { SpanReader } from '../storage/span-store.js';
import { toOtlpJsonTraces } from './otlp-json-trace.js';

const TRACE_ID = /^[0-9a-fA-F]{1,32}$/;

/** Native errors: `{ error: { code, message } }`, code from the catalog. */
function sendError(reply: FastifyReply, err: AriadneError): FastifyReply {
  return reply.code(err.statusCode).type('application/json').send({ error: { code: err.code, message: err.message } });
}

/**
 * Ariadne's own JSON API. `GET /api/v1/traces/:traceId` answers the whole trace as an OTLP/JSON
 * ExportTraceServiceRequest (`{resourceSpans}`), so any OTLP JSON reader can take it as is.
 */
export function registerNativeRoutes<L extends FastifyBaseLogger>(
  app: FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, L>,
  reader: SpanReader,
): void {
  app.get('/api/v1/traces/:traceId', async (request: FastifyRequest, reply: FastifyReply) => {
    const { traceId: raw } = request.params as { traceId: string };
    try {
      if (!TRACE_ID.test(raw)) throw Errors.badRequest(`malformed trace id '${raw}': expected up to 32 hex characters`);
      const traceId = raw.toLowerCase().padStart(32, '0');
      const spans = await reader.getTrace(traceId);
      if (spans.length === 0) throw Errors.traceNotFound(traceId);
      return reply.type('application/json').send(toOtlpJsonTraces(spans));
    } catch (err) {
      if (err instanceof AriadneError && err.statusCode >= 400 && err.statusCode < 500) return sendError(reply, err);
      request.log.error({ err, url: request.url }, 'native query API: internal error');
      return sendError(reply, Errors.internal(err instanceof Error ? err.message : String(err)));
    }
  });
}
