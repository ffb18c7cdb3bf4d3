import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Errors } from '../errors.js';
import { LogHistogram } from '../ingest/sketch/log-histogram.js';
import { SpanKind } from '../model/span.js';
import { MINUTE_NANO } from '../storage/metrics-store.js';
import type { MetricsReader, RedPoint, RedSeries } from '../storage/metrics-store.js';
import { analyzeServiceGraph } from './analyze-service-graph.js';

type Query = Record<string, string | string[] | undefined>;

const MS = 1_000_000n;
const KINDS: Record<string, SpanKind> = {
  unspecified: SpanKind.UNSPECIFIED,
  internal: SpanKind.INTERNAL,
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
};

const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function int(query: Query, name: string, fallback: number): number {
  const raw = list(query[name])[0];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw Errors.badRequest(`unable to parse param '${name}': '${raw}' is not a whole number of milliseconds`);
  return n;
}

function kinds(query: Query, fallback: SpanKind[] | undefined): SpanKind[] | undefined {
  const names = list(query.spanKind);
  if (names.length === 0) return fallback;
  return names.map((name) => {
    const kind = KINDS[name];
    if (kind === undefined) throw Errors.badRequest(`unsupported span kind: '${name}'`);
    return kind;
  });
}

const ms = (nano: bigint): number => Number(nano / MS);
const quantileMs = (h: LogHistogram, q: number): number | null => (h.count === 0 ? null : Math.round((h.quantile(q) / 1e6) * 1000) / 1000);

/**
 * The ingester's aggregates over HTTP: native JSON (`/api/v1/metrics/red`, `/api/v1/graph`,
 * `/api/v1/errors`; times and steps in ms) and Jaeger's SPM API (`/api/metrics/{latencies,calls,errors}`).
 */
export function registerMetricsRoutes<L extends FastifyBaseLogger>(
  app: FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, L>,
  reader: MetricsReader,
): void {
  // Native: start/end (ms since the epoch, default the last hour), step (ms, default 1 minute).
  const window = (query: Query) => {
    const end = BigInt(int(query, 'end', Date.now())) * MS;
    const start = BigInt(int(query, 'start', ms(end) - 3_600_000)) * MS;
    const stepNano = BigInt(Math.max(int(query, 'step', 60_000), 60_000)) * MS;
    if (start > end) throw Errors.badRequest("'start' must not be after 'end'");
    return { range: { startUnixNano: start, endUnixNano: end }, stepNano };
  };

  app.get('/api/v1/metrics/red', async (request) => {
    const query = request.query as Query;
    const services = list(query.service);
    const operation = list(query.operation)[0];
    const series = await reader.red({
      ...window(query),
      services: services.length > 0 ? services : undefined,
      operation,
      spanKinds: kinds(query, undefined),
      groupByOperation: list(query.groupBy)[0] === 'operation' || operation !== undefined,
    });
    return {
      series: series.map((s) => ({
        service: s.service,
        operation: s.operation,
        points: s.points.map((p) => ({
          timestamp: ms(p.startUnixNano),
          requests: p.requests,
          errors: p.errors,
          errorRate: p.requests === 0 ? 0 : p.errors / p.requests,
          p50: quantileMs(p.latency, 0.5),
          p95: quantileMs(p.latency, 0.95),
          p99: quantileMs(p.latency, 0.99),
        })),
      })),
    };
  });

  app.get('/api/v1/graph', async (request) => {
    const query = request.query as Query;
    const edges = await reader.dependencies(window(query).range);
    const analysis = analyzeServiceGraph(edges, int(query, 'top', 5));
    return {
      ...analysis,
      edges: edges.map((e) => ({
        parent: e.parent,
        child: e.child,
        calls: e.calls,
        errors: e.errors,
        errorRate: e.calls === 0 ? 0 : e.errors / e.calls,
        p50: quantileMs(e.latency, 0.5),
        p95: quantileMs(e.latency, 0.95),
        p99: quantileMs(e.latency, 0.99),
      })),
    };
  });

  app.get('/api/v1/errors', async (request) => {
    const query = request.query as Query;
    const groups = await reader.errorGroups({ ...window(query), service: list(query.service)[0], limit: int(query, 'limit', 50) });
    return {
      groups: groups.map((g) => ({ ...g, points: g.points.map((p) => ({ timestamp: ms(p.startUnixNano), count: p.count })) })),
    };
  });

  // Jaeger SPM: endTs (ms, default now), lookback (default 1 h), step (default 5 s), ratePer (default
  // 10 min), spanKind (default server), one series per service or per (service, operation).
  const jaeger = (metric: 'latencies' | 'calls' | 'errors') => async (request: { query: unknown }) => {
    const query = request.query as Query;
    const services = list(query.service);
    if (services.length === 0) throw Errors.badRequest("unable to parse param 'service': please provide at least one service name");
    const quantile = Number(list(query.quantile)[0]);
    if (metric === 'latencies' && !(quantile >= 0 && quantile <= 1)) throw Errors.badRequest("unable to parse param 'quantile': must be between 0 and 1");
    const end = BigInt(int(query, 'endTs', Date.now())) * MS;
    const lookback = BigInt(int(query, 'lookback', 3_600_000)) * MS;
    const step = BigInt(Math.max(int(query, 'step', 5_000), 1)) * MS;
    const ratePer = BigInt(Math.max(int(query, 'ratePer', 600_000), 1)) * MS;
    const groupByOperation = list(query.groupByOperation)[0] === 'true';
    // Each point looks back ratePer, like Prometheus' rate(...[ratePer]) at that instant.
    const minutes = await reader.red({
      services,
      spanKinds: kinds(query, [SpanKind.SERVER]),
      groupByOperation,
      range: { startUnixNano: end - lookback - ratePer, endUnixNano: end },
      stepNano: MINUTE_NANO,
    });
    const name = `service_${groupByOperation ? 'operation_' : ''}${metric === 'latencies' ? 'latencies' : metric === 'calls' ? 'call_rate' : 'error_rate'}`;
    const grouping = groupByOperation ? 'service & operation' : 'service';
    const help =
      metric === 'latencies'
        ? `${quantile.toFixed(2)}th quantile latency, grouped by ${grouping}`
        : metric === 'calls'
          ? `calls/sec, grouped by ${grouping}`
          : `error rate, computed as a fraction of errors/sec over calls/sec, grouped by ${grouping}`;
    return {
      name,
      type: 'GAUGE',
      help,
      metrics: minutes.map((s) => ({
        labels: [...(s.operation !== undefined ? [{ name: 'operation', value: s.operation }] : []), { name: 'service_name', value: s.service }],
        metricPoints: jaegerPoints(s, end - lookback, end, step, ratePer, (p) =>
          metric === 'latencies' ? p.latency.quantile(quantile) / 1e6 : metric === 'calls' ? p.requests / (Number(ratePer) / 1e9) : p.errors / p.requests,
        ),
      })),
    };
  };
  app.get('/api/metrics/latencies', jaeger('latencies'));
  app.get('/api/metrics/calls', jaeger('calls'));
  app.get('/api/metrics/errors', jaeger('errors'));
}

/** Points every `step` from start to end, each summing the minutes that ended in the `ratePer` before it; none where there were no calls. */
function jaegerPoints(series: RedSeries, start: bigint, end: bigint, step: bigint, ratePer: bigint, value: (p: RedPoint) => number) {
  const points = [];
  for (let t = start; t <= end; t += step) {
    const sum: RedPoint = { startUnixNano: t, requests: 0, errors: 0, latency: new LogHistogram() };
    for (const p of series.points) {
      // A minute counts once it is over: at its end, as a scrape would have seen it.
      const minuteEnd = p.startUnixNano + MINUTE_NANO;
      if (minuteEnd <= t - ratePer || minuteEnd > t) continue;
      sum.requests += p.requests;
      sum.errors += p.errors;
      sum.latency.merge(p.latency);
    }
    if (sum.requests === 0) continue;
    points.push({ gaugeValue: { doubleValue: value(sum) }, timestamp: new Date(ms(t)).toISOString() });
  }
  return points;
}
