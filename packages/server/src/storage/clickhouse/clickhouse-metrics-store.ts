import type { ClickHouseClient } from '@clickhouse/client';
import { LogHistogram } from '../../ingest/sketch/log-histogram.js';
import { DEFAULT_TENANT } from '../../model/span.js';
import type { TimeRange } from '../../model/span.js';
import { mergeEdges, mergeErrorGroups, mergeRed } from '../metrics-merge.js';
import { MINUTE_NANO } from '../metrics-store.js';
import type { ErrorGroup, ErrorGroupQuery, MetricsBatch, MetricsStore, RedQuery, RedSeries, ServiceEdge } from '../metrics-store.js';

const histogram = (base64: string): LogHistogram => LogHistogram.decode(Buffer.from(base64, 'base64'));
const encodeHistogram = (h: LogHistogram): string => Buffer.from(h.encode()).toString('base64');

function text(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new TypeError(`metrics partial: ${field} must be a string`);
  return value;
}

function count(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError(`metrics partial: ${field} must be a finite number`);
  return value;
}

/** The minutes overlapping the range, for one tenant. */
function rangeFilter(range: TimeRange, tenant: string) {
  return {
    sql: 'tenant = {tenant:String} AND minute_ns > {start:Int64} AND minute_ns <= {end:Int64}',
    params: { tenant, start: String(range.startUnixNano - MINUTE_NANO), end: String(range.endUnixNano) } as Record<string, unknown>,
  };
}

/**
 * The ingester's per-minute partials in ClickHouse, one plain MergeTree per kind: appends are
 * cheap, and reads merge the few rows of a range in JavaScript as the DuckDB store does.
 */
export class ClickHouseMetricsStore implements MetricsStore {
  constructor(private readonly client: ClickHouseClient) {}

  /**
   * Every row is encoded and checked before the first insert, so a bad partial rejects the
   * whole batch; ClickHouse has no transaction across the three tables.
   */
  async writeMetrics(batch: MetricsBatch): Promise<void> {
    const red = batch.red.map((p) => ({
      tenant: text(p.tenant, 'tenant'), minute_ns: String(p.minuteUnixNano), service: text(p.service, 'service'), operation: text(p.operation, 'operation'),
      kind: count(p.spanKind, 'spanKind'), requests: count(p.requests, 'requests'), errors: count(p.errors, 'errors'), latency: encodeHistogram(p.latency),
    }));
    const edges = batch.edges.map((e) => ({
      tenant: text(e.tenant, 'tenant'), minute_ns: String(e.minuteUnixNano), parent: text(e.parent, 'parent'), child: text(e.child, 'child'),
      calls: count(e.calls, 'calls'), errors: count(e.errors, 'errors'), latency: encodeHistogram(e.latency),
    }));
    const errors = batch.errors.map((g) => ({
      tenant: text(g.tenant, 'tenant'), minute_ns: String(g.minuteUnixNano), service: text(g.service, 'service'), error_type: text(g.errorType, 'errorType'),
      message: text(g.message, 'message'), frame: text(g.frame, 'frame'), count: count(g.count, 'count'),
      examples: g.exampleTraceIds.map((id) => text(id, 'exampleTraceIds')),
    }));
    const tables: [string, object[]][] = [['red_minutes', red], ['edge_minutes', edges], ['error_minutes', errors]];
    for (const [table, values] of tables) {
      if (values.length > 0) await this.client.insert({ table, values, format: 'JSONEachRow' });
    }
  }

  async red(query: RedQuery): Promise<RedSeries[]> {
    const f = rangeFilter(query.range, query.tenant ?? DEFAULT_TENANT);
    let sql = `SELECT minute_ns, service, ${query.groupByOperation ? 'operation' : "''"} AS operation, requests, errors, latency FROM red_minutes WHERE ${f.sql}`;
    if (query.services) {
      sql += ' AND has({services:Array(String)}, service)';
      f.params.services = query.services;
    }
    if (query.operation !== undefined) {
      sql += ' AND operation = {operation:String}';
      f.params.operation = query.operation;
    }
    if (query.spanKinds) {
      sql += ' AND has({kinds:Array(UInt8)}, kind)';
      f.params.kinds = query.spanKinds;
    }
    const rows = await this.select<{ minute_ns: string; service: string; operation: string; requests: number; errors: number; latency: string }>(sql + ' ORDER BY minute_ns', f.params);
    return mergeRed(
      rows.map((r) => ({ minuteUnixNano: BigInt(r.minute_ns), service: r.service, operation: r.operation, requests: r.requests, errors: r.errors, latency: histogram(r.latency) })),
      query,
    );
  }

  async dependencies(range: TimeRange, tenant = DEFAULT_TENANT): Promise<ServiceEdge[]> {
    const f = rangeFilter(range, tenant);
    const rows = await this.select<{ parent: string; child: string; calls: number; errors: number; latency: string }>(
      `SELECT parent, child, calls, errors, latency FROM edge_minutes WHERE ${f.sql}`,
      f.params,
    );
    return mergeEdges(rows.map((r) => ({ ...r, latency: histogram(r.latency) })));
  }

  async errorGroups(query: ErrorGroupQuery): Promise<ErrorGroup[]> {
    const f = rangeFilter(query.range, query.tenant ?? DEFAULT_TENANT);
    let sql = `SELECT minute_ns, service, error_type, message, frame, count, examples FROM error_minutes WHERE ${f.sql}`;
    if (query.service !== undefined) {
      sql += ' AND service = {service:String}';
      f.params.service = query.service;
    }
    const rows = await this.select<{ minute_ns: string; service: string; error_type: string; message: string; frame: string; count: number; examples: string[] }>(
      sql + ' ORDER BY minute_ns',
      f.params,
    );
    return mergeErrorGroups(
      rows.map((r) => ({
        minuteUnixNano: BigInt(r.minute_ns), service: r.service, errorType: r.error_type, message: r.message, frame: r.frame, count: r.count, exampleTraceIds: r.examples,
      })),
      query,
    );
  }

  private async select<T>(query: string, params: Record<string, unknown>): Promise<T[]> {
    const result = await this.client.query({ query, query_params: params, format: 'JSONEachRow' });
    return result.json<T>();
  }
}
