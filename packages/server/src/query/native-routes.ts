import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest, RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AriadneError, Errors } from '../errors.js';
import type { SpanReader } from '../storage/span-store.js';
import { traceOutlineOf } from '../model/trace-outline.js';
import { toOtlpJsonTraces } from './otlp-json-trace.js';

const TRACE_ID = /^[0-9a-fA-F]{1,32}$/;
const SPAN_ID = /^[0-9a-fA-F]{1,16}$/;

/** Native errors: `{ error: { code, message } }`, code from the catalog. */
function sendError(reply: FastifyReply, err: AriadneError): FastifyReply {
  return reply.code(err.statusCode).type('application/json').send({ error: { code: err.code, message: err.message } });
}

/**
 * Ariadne's own JSON API. `GET /api/v1/traces/:traceId` answers the whole trace as an OTLP/JSON
 * ExportTraceServiceRequest (`{resourceSpans}`), so any OTLP JSON reader can take it as is.
 * For the web UI's waterfall, `GET /api/v1/traces/:traceId/outline` answers a TraceOutline (the
 * spans as columns, without attributes, events, links, resource or scope: a tenth of the bytes
 * and of the read), and `GET /api/v1/traces/:traceId/spans/:spanId` one span in full, as OTLP/JSON.
 */
export function registerNativeRoutes<L extends FastifyBaseLogger>(
  app: FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, L>,
  reader: SpanReader,
): void {
  const route = (path: string, answer: (params: Record<string, string>) => Promise<unknown>) =>
    app.get(path, async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        return reply.type('application/json').send(await answer(request.params as Record<string, string>));
      } catch (err) {
        if (err instanceof AriadneError && err.statusCode >= 400 && err.statusCode < 500) return sendError(reply, err);
        request.log.error({ err, url: request.url }, 'native query API: internal error');
        return sendError(reply, Errors.internal(err instanceof Error ? err.message : String(err)));
      }
    });
  const traceIdOf = (raw: string): string => {
    if (!TRACE_ID.test(raw)) throw Errors.badRequest(`malformed trace id '${raw}': expected up to 32 hex characters`);
    return raw.toLowerCase().padStart(32, '0');
  };

  route('/api/v1/traces/:traceId', async ({ traceId: raw }) => {
    const traceId = traceIdOf(raw);
    const spans = await reader.getTrace(traceId);
    if (spans.length === 0) throw Errors.traceNotFound(traceId);
    return toOtlpJsonTraces(spans);
  });

  route('/api/v1/traces/:traceId/outline', async ({ traceId: raw }) => {
    const traceId = traceIdOf(raw);
    const outline = reader.getTraceOutline
      ? await reader.getTraceOutline(traceId)
      : await reader.getTrace(traceId).then((spans) => (spans.length === 0 ? undefined : traceOutlineOf(traceId, spans)));
    if (!outline) throw Errors.traceNotFound(traceId);
    return outline;
  });

  route('/api/v1/traces/:traceId/spans/:spanId', async ({ traceId: raw, spanId: rawSpan }) => {
    const traceId = traceIdOf(raw);
    if (!SPAN_ID.test(rawSpan)) throw Errors.badRequest(`malformed span id '${rawSpan}': expected up to 16 hex characters`);
    const spanId = rawSpan.toLowerCase().padStart(16, '0');
    const span = reader.getSpan ? await reader.getSpan(traceId, spanId) : (await reader.getTrace(traceId)).find((s) => s.spanId === spanId);
    if (!span) throw Errors.notFound('span', `${spanId}' in trace '${traceId}`);
    return toOtlpJsonTraces([span]);
  });
}
