import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest, RawServerDefault } from 'fastify';
import { Errors } from '../errors.js';
import { DEFAULT_TENANT, type Span, type SpanKind, type TimeRange } from '../model/span.js';
import type { ErrorGroupQuery, MetricsReader, RedQuery } from '../storage/metrics-store.js';
import type { DependencyEdge, Operation, SpanReader, TraceQuery } from '../storage/span-store.js';

const currentTenant = new AsyncLocalStorage<string>();

/**
 * Runs each request of `app` in its tenant's scope, as `tenantOf` tells it (throw to refuse the
 * request). Readers made by `tenantSpanReader`/`tenantMetricsReader` then read that tenant only,
 * so the query routes need not carry the tenant through every call.
 */
export function scopeRequestsToTenant<L extends FastifyBaseLogger>(
  app: FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, L>,
  tenantOf: (request: FastifyRequest) => string): void {
  app.addHook('onRequest', (request, _reply, done) => {
    let tenant: string;
    try {
      tenant = tenantOf(request);
    } catch (err) {
      return done(err as Error);
    }
    currentTenant.run(tenant, done);
  });
}

/** Set by the trusted proxy in front of the query role to the tenant the caller may read. */
export const TENANT_HEADER = 'x-ariadne-tenant';

/** The tenant named by the X-Ariadne-Tenant header; DEFAULT_TENANT without one (single-tenant setups). */
export function tenantFromHeader(request: FastifyRequest): string {
  const value = request.headers[TENANT_HEADER];
  if (value === undefined) return DEFAULT_TENANT;
  if (typeof value !== 'string' || !/^[\w.-]{1,128}$/.test(value)) {
    throw Errors.badRequest(`${TENANT_HEADER} must be one tenant name of 1-128 letters, digits, '_', '.' or '-'`);
  }
  return value;
}

/** The tenant of the request being served; undefined outside one (all-in-one: every tenant). */
const tenant = (): string | undefined => currentTenant.getStore();

/** A SpanReader answering from the current request's tenant only. */
export function tenantSpanReader(reader: SpanReader): SpanReader {
  return {
    getTrace: (traceId: string, range?: TimeRange): Promise<Span[]> => reader.getTrace(traceId, range, tenant()),
    findTraceIds: (query: TraceQuery): Promise<string[]> => reader.findTraceIds({ ...query, tenant: tenant() }),
    getServices: (): Promise<string[]> => reader.getServices(tenant()),
    getOperations: (service: string, spanKind?: SpanKind): Promise<Operation[]> => reader.getOperations(service, spanKind, tenant()),
    getDependencies: (range: TimeRange): Promise<DependencyEdge[]> => reader.getDependencies(range, tenant()),
    ...(reader.getTraceOutline && { getTraceOutline: (traceId: string) => reader.getTraceOutline!(traceId, tenant()) }),
    ...(reader.getSpan && { getSpan: (traceId: string, spanId: string) => reader.getSpan!(traceId, spanId, tenant()) }),
  };
}

/** A MetricsReader answering from the current request's tenant only. */
export function tenantMetricsReader(reader: MetricsReader): MetricsReader {
  return {
    red: (query: RedQuery) => reader.red({ ...query, tenant: tenant() }),
    dependencies: (range: TimeRange) => reader.dependencies(range, tenant()),
    errorGroups: (query: ErrorGroupQuery) => reader.errorGroups({ ...query, tenant: tenant() }),
  };
}
