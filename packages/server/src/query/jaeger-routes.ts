import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest, RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AriadneError } from '../errors.js';
import type { Span } from '../model/span.js';
import type { SpanReader } from '../storage/span-store.js';
import {
  jaegerSpanKindName,
  parseJaegerDependenciesParams,
  parseJaegerOperationsParams,
  parseJaegerTraceSearch,
  parseJaegerTraceWindow,
} from './jaeger-query-params.js';
import { adjustClockSkew } from './adjust-clock-skew.js';
import { toJaegerTrace } from './jaeger-span-json.js';
import { formatJaegerTraceId, parseJaegerPathTraceId } from './jaeger-trace-id.js';
import { mapBounded } from './map-bounded.js';

/** Jaeger's `structuredError`: `code` and `traceID` are left out when empty (Go omitempty). */
export interface JaegerError {
  code?: number;
  msg: string;
  traceID?: string;
}

/** Jaeger's `structuredResponse`; `errors` is null when there are none. */
export interface JaegerEnvelope {
  data: unknown;
  total: number;
  limit: number;
  offset: number;
  errors: JaegerError[] | null;
}

/** Jaeger serves traces with clock skew between hosts adjusted. */
const adjustedJaegerTrace = (spans: Span[]) => toJaegerTrace(adjustClockSkew(spans));

/** getTrace calls in flight for one search. */
const TRACE_FETCH_CONCURRENCY = 8;

const nowNano = (): bigint => BigInt(Date.now()) * 1_000_000n;

const envelope = (data: unknown, total = 0, errors: JaegerError[] | null = null): JaegerEnvelope => ({
  data,
  total,
  limit: 0,
  offset: 0,
  errors,
});

const searchParams = (request: FastifyRequest): URLSearchParams => {
  const q = request.url.indexOf('?');
  return new URLSearchParams(q < 0 ? '' : request.url.slice(q + 1));
};

function send(request: FastifyRequest, reply: FastifyReply, status: number, body: JaegerEnvelope): FastifyReply {
  const pretty = searchParams(request).get('prettyPrint');
  const indent = pretty && pretty !== 'false' ? 4 : undefined;
  return reply.code(status).type('application/json').send(JSON.stringify(body, null, indent));
}

function sendError(request: FastifyRequest, reply: FastifyReply, status: number, msg: string): FastifyReply {
  return send(request, reply, status, envelope(null, 0, [{ code: status, msg }]));
}

type Handler = (request: FastifyRequest, params: URLSearchParams) => Promise<JaegerEnvelope | { status: number; msg: string }>;

/** Runs a handler; bad input becomes a 4xx envelope, anything else a logged 500. */
const handle =
  (handler: Handler) =>
  async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    try {
      const result = await handler(request, searchParams(request));
      if ('status' in result) return sendError(request, reply, result.status, result.msg);
      return send(request, reply, 200, result);
    } catch (err) {
      if (err instanceof AriadneError && err.statusCode >= 400 && err.statusCode < 500) {
        return sendError(request, reply, err.statusCode, err.message);
      }
      request.log.error({ err, url: request.url }, 'Jaeger query API: internal error');
      return sendError(request, reply, 500, err instanceof Error ? err.message : String(err));
    }
  };

/**
 * Jaeger's HTTP query API v1 (`/api/...`, as served by jaeger-query and read by Jaeger UI and
 * Grafana's Jaeger data source), answered from `reader`.
 */
export function registerJaegerRoutes<L extends FastifyBaseLogger>(
  app: FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, L>,
  reader: SpanReader,
): void {
  app.get(
    '/api/services',
    handle(async () => {
      const services = await reader.getServices();
      return envelope(services, services.length);
    }),
  );

  app.get<{ Params: { service: string } }>(
    '/api/services/:service/operations',
    handle(async (request) => {
      const { service } = request.params as { service: string };
      const operations = await reader.getOperations(service);
      const names = [...new Set(operations.map((op) => op.name))];
      return envelope(names, names.length);
    }),
  );

  app.get(
    '/api/operations',
    handle(async (_request, params) => {
      const { service, spanKind } = parseJaegerOperationsParams(params);
      const operations = await reader.getOperations(service, spanKind);
      const data = operations.map((op) => ({ name: op.name, spanKind: jaegerSpanKindName(op.spanKind) }));
      return envelope(data, data.length);
    }),
  );

  app.get(
    '/api/traces',
    handle(async (_request, params) => {
      const search = parseJaegerTraceSearch(params, nowNano());
      if (search.traceIds.length > 0) {
        const ids = [...new Set(search.traceIds)];
        const found = await mapBounded(ids, TRACE_FETCH_CONCURRENCY, (id) => reader.getTrace(id, search.explicitRange));
        const errors: JaegerError[] = [];
        const traces = [];
        for (let i = 0; i < ids.length; i++) {
          if (found[i].length > 0) traces.push(adjustedJaegerTrace(found[i]));
          else errors.push({ msg: 'trace not found', traceID: formatJaegerTraceId(ids[i]) });
        }
        return envelope(traces, 0, errors.length > 0 ? errors : null);
      }
      const ids = await reader.findTraceIds(search.query);
      const found = await mapBounded(ids, TRACE_FETCH_CONCURRENCY, (id) => reader.getTrace(id));
      return envelope(found.filter((spans: Span[]) => spans.length > 0).map(adjustedJaegerTrace));
    }),
  );

  app.get<{ Params: { traceID: string } }>(
    '/api/traces/:traceID',
    handle(async (request, params) => {
      const { traceID } = request.params as { traceID: string };
      let traceId: string;
      try {
        traceId = parseJaegerPathTraceId(traceID);
      } catch (err) {
        return { status: 400, msg: (err as Error).message };
      }
      const spans = await reader.getTrace(traceId, parseJaegerTraceWindow(params));
      // Jaeger's spanstore.ErrTraceNotFound text.
      if (spans.length === 0) return { status: 404, msg: 'trace not found' };
      return envelope([adjustedJaegerTrace(spans)]);
    }),
  );

  app.get(
    '/api/dependencies',
    handle(async (_request, params) => {
      const { range, service } = parseJaegerDependenciesParams(params, nowNano());
      const edges = await reader.getDependencies(range);
      // Jaeger filters by `service` on either side and sums duplicate parent→child pairs.
      const sums = new Map<string, { parent: string; child: string; callCount: number }>();
      for (const edge of edges) {
        if (service !== '' && edge.parent !== service && edge.child !== service) continue;
        const key = JSON.stringify([edge.parent, edge.child]);
        const sum = sums.get(key);
        if (sum) sum.callCount += edge.callCount;
        else sums.set(key, { parent: edge.parent, child: edge.child, callCount: edge.callCount });
      }
      return envelope([...sums.values()]);
    }),
  );
}
