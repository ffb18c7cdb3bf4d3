import { createClient } from '@clickhouse/client';
import type { ClickHouseClient } from '@clickhouse/client';
import { Errors } from '../../errors.js';
import { DEFAULT_TENANT } from '../../model/span.js';
import type { Span, SpanBatch, SpanKind, StatusCode, TimeRange } from '../../model/span.js';
import { TraceOutlineBuilder } from '../../model/trace-outline.js';
import type { TraceOutline } from '../../model/trace-outline.js';
import { tagPattern } from '../duckdb/attribute-codec.js';
import { decodeEvents, decodeLinks, encodeEvents, encodeLinks } from '../duckdb/event-link-codec.js';
import type { DependencyEdge, Operation, SpanStore, TraceQuery } from '../span-store.js';
import { fromAttributeMap, toAttributeMap } from './attribute-map.js';
import { ClickHouseMetricsStore } from './clickhouse-metrics-store.js';
import { clickHouseSchema, PURGE_SQL } from './clickhouse-schema.js';

export interface ClickHouseSpanStoreOptions {
  /** HTTP(S) endpoint, e.g. http://localhost:8123. */
  url: string;
  /** Created when missing. */
  database: string;
  username?: string;
  password?: string;
  /** Rows older than this are dropped by ClickHouse's TTL during merges; none when absent. */
  retentionHours?: number;
}

type StringMap = Record<string, string>;

interface SpanRow {
  tenant: string;
  trace_id: string;
  span_id: string;
  parent_span_id: string;
  start_ns: string;
  duration_ns: string;
  service: string;
  name: string;
  kind: number;
  status_code: number;
  status_message: string;
  trace_state: string;
  flags: number;
  attributes: StringMap;
  attribute_types: StringMap;
  events: string;
  links: string;
  dropped_attributes_count: number;
  dropped_events_count: number;
  dropped_links_count: number;
  resource_attributes: StringMap;
  resource_attribute_types: StringMap;
  resource_dropped_attributes_count: number;
  resource_schema_url: string;
  scope_name: string;
  scope_version: string;
  scope_attributes: StringMap;
  scope_attribute_types: StringMap;
  scope_dropped_attributes_count: number;
  scope_schema_url: string;
}

const prefixed = (prefix: string, attributes: Span['attributes']) => {
  const { values, types } = toAttributeMap(attributes);
  return { [`${prefix}attributes`]: values, [`${prefix}attribute_types`]: types };
};

function toRow(tenant: string, span: Span): Record<string, unknown> {
  return {
    tenant,
    trace_id: span.traceId,
    span_id: span.spanId,
    parent_span_id: span.parentSpanId,
    start_ns: String(span.startTimeUnixNano),
    duration_ns: String(span.endTimeUnixNano - span.startTimeUnixNano),
    service: span.resource.serviceName,
    name: span.name,
    kind: span.kind,
    status_code: span.status.code,
    status_message: span.status.message,
    trace_state: span.traceState,
    flags: span.flags,
    ...prefixed('', span.attributes),
    events: encodeEvents(span.events),
    links: encodeLinks(span.links),
    dropped_attributes_count: span.droppedAttributesCount,
    dropped_events_count: span.droppedEventsCount,
    dropped_links_count: span.droppedLinksCount,
    ...prefixed('resource_', span.resource.attributes),
    resource_dropped_attributes_count: span.resource.droppedAttributesCount,
    resource_schema_url: span.resource.schemaUrl,
    scope_name: span.scope.name,
    scope_version: span.scope.version,
    ...prefixed('scope_', span.scope.attributes),
    scope_dropped_attributes_count: span.scope.droppedAttributesCount,
    scope_schema_url: span.scope.schemaUrl,
  };
}

function toSpan(row: SpanRow): Span {
  const start = BigInt(row.start_ns);
  return {
    traceId: row.trace_id,
    spanId: row.span_id,
    parentSpanId: row.parent_span_id,
    traceState: row.trace_state,
    flags: row.flags,
    name: row.name,
    kind: row.kind as SpanKind,
    startTimeUnixNano: start,
    endTimeUnixNano: start + BigInt(row.duration_ns),
    attributes: fromAttributeMap(row.attributes, row.attribute_types),
    droppedAttributesCount: row.dropped_attributes_count,
    events: decodeEvents(row.events),
    droppedEventsCount: row.dropped_events_count,
    links: decodeLinks(row.links),
    droppedLinksCount: row.dropped_links_count,
    status: { code: row.status_code as StatusCode, message: row.status_message },
    resource: {
      serviceName: row.service,
      attributes: fromAttributeMap(row.resource_attributes, row.resource_attribute_types),
      droppedAttributesCount: row.resource_dropped_attributes_count,
      schemaUrl: row.resource_schema_url,
    },
    scope: {
      name: row.scope_name,
      version: row.scope_version,
      attributes: fromAttributeMap(row.scope_attributes, row.scope_attribute_types),
      droppedAttributesCount: row.scope_dropped_attributes_count,
      schemaUrl: row.scope_schema_url,
    },
  };
}

const HEX_ID = /^[0-9a-f]+$/;

function checkId(id: string, length: number, field: string): void {
  if (id.length !== length || !HEX_ID.test(id)) throw new TypeError(`span ${field} must be ${length} lowercase hex characters`);
}

/**
 * Spans in ClickHouse, for volume: each batch is one INSERT (atomic per part), duplicates
 * collapse in ReplacingMergeTree merges and are removed at read time with FINAL where they
 * would show. The ingester's aggregates live in the same database, behind `metrics`.
 */
export class ClickHouseSpanStore implements SpanStore {
  readonly metrics: ClickHouseMetricsStore;
  private closing: Promise<void> | undefined;

  private constructor(private readonly client: ClickHouseClient) {
    this.metrics = new ClickHouseMetricsStore(client);
  }

  static async open(options: ClickHouseSpanStoreOptions): Promise<ClickHouseSpanStore> {
    const connection = { url: options.url, username: options.username, password: options.password };
    // 64-bit integers as JSON strings, so ns times keep their precision.
    const clickhouse_settings = { output_format_json_quote_64bit_integers: 1 } as const;
    const admin = createClient(connection);
    try {
      await admin.command({ query: `CREATE DATABASE IF NOT EXISTS ${quoteIdentifier(options.database)}` });
    } finally {
      await admin.close();
    }
    const client = createClient({ ...connection, database: options.database, clickhouse_settings });
    for (const query of clickHouseSchema(options.retentionHours)) await client.command({ query });
    return new ClickHouseSpanStore(client);
  }

  async start(): Promise<void> {}

  async writeSpans(batch: SpanBatch): Promise<void> {
    if (this.closing) throw Errors.shuttingDown();
    if (batch.spans.length === 0) return;
    const seen = new Set<string>();
    const values: Record<string, unknown>[] = [];
    for (const span of batch.spans) {
      checkId(span.traceId, 32, 'trace id');
      checkId(span.spanId, 16, 'span id');
      if (span.parentSpanId !== '') checkId(span.parentSpanId, 16, 'parent span id');
      const key = span.traceId + span.spanId;
      if (seen.has(key)) continue;
      seen.add(key);
      values.push(toRow(batch.tenant, span));
    }
    await this.client.insert({ table: 'spans', values, format: 'JSONEachRow' });
  }

  async getTrace(traceId: string, range?: TimeRange, tenant = DEFAULT_TENANT): Promise<Span[]> {
    const bounds = await this.traceBounds(traceId, tenant);
    if (!bounds) return [];
    let { first, last } = bounds;
    if (range) {
      first = first > range.startUnixNano ? first : range.startUnixNano;
      last = last < range.endUnixNano ? last : range.endUnixNano;
      if (first > last) return [];
    }
    // The bounds prune partitions and granules; FINAL drops copies not merged yet.
    const rows = await this.select<SpanRow>(
      `SELECT * FROM spans FINAL WHERE tenant = {tenant:String} AND trace_id = {trace:String}
         AND start_ns BETWEEN {first:Int64} AND {last:Int64} ORDER BY start_ns, span_id`,
      { tenant, trace: traceId, first: String(first), last: String(last) },
    );
    return rows.map(toSpan);
  }

  async getTraceOutline(traceId: string, tenant = DEFAULT_TENANT): Promise<TraceOutline | undefined> {
    const bounds = await this.traceBounds(traceId, tenant);
    if (!bounds) return undefined;
    // No FINAL: copies not merged yet sort next to each other and the builder skips them.
    const result = await this.client.query({
      query: `SELECT span_id, parent_span_id, start_ns, duration_ns, service, name, kind, status_code, status_message
              FROM spans WHERE tenant = {tenant:String} AND trace_id = {trace:String}
                AND start_ns BETWEEN {first:Int64} AND {last:Int64} ORDER BY start_ns, span_id`,
      query_params: { tenant, trace: traceId, first: String(bounds.first), last: String(bounds.last) },
      format: 'JSONCompactEachRow',
    });
    const rows = await result.json<[string, string, string, string, string, string, number, number, string]>();
    if (rows.length === 0) return undefined;
    const out = new TraceOutlineBuilder(traceId);
    for (const [spanId, parentId, start, duration, service, name, kind, statusCode, statusMessage] of rows) {
      out.add(spanId, parentId, BigInt(start), Number(duration), service, name, kind, statusCode, statusMessage);
    }
    return out.finish();
  }

  async getSpan(traceId: string, spanId: string, tenant = DEFAULT_TENANT): Promise<Span | undefined> {
    const bounds = await this.traceBounds(traceId, tenant);
    if (!bounds) return undefined;
    // Copies of a redelivered span are the same row; any one will do, no FINAL needed.
    const [row] = await this.select<SpanRow>(
      `SELECT * FROM spans WHERE tenant = {tenant:String} AND trace_id = {trace:String} AND span_id = {span:String}
         AND start_ns BETWEEN {first:Int64} AND {last:Int64} ORDER BY start_ns LIMIT 1`,
      { tenant, trace: traceId, span: spanId, first: String(bounds.first), last: String(bounds.last) },
    );
    return row && toSpan(row);
  }

  async findTraceIds(query: TraceQuery): Promise<string[]> {
    const where = ['tenant = {tenant:String}'];
    const params: Record<string, unknown> = { tenant: query.tenant ?? DEFAULT_TENANT, limit: query.limit };
    const add = (name: string, type: string, condition: string, value: unknown) => {
      where.push(condition.replaceAll('$', `{${name}:${type}}`));
      params[name] = value;
    };
    if (query.service !== undefined) add('service', 'String', 'service = $', query.service);
    if (query.operation !== undefined) add('operation', 'String', 'name = $', query.operation);
    if (query.spanKind !== undefined) add('kind', 'UInt8', 'kind = $', query.spanKind);
    if (query.minDurationNano !== undefined) add('minDuration', 'Int64', 'duration_ns >= $', String(query.minDurationNano));
    if (query.maxDurationNano !== undefined) add('maxDuration', 'Int64', 'duration_ns <= $', String(query.maxDurationNano));
    if (query.startUnixNano !== undefined) add('start', 'Int64', 'start_ns >= $', String(query.startUnixNano));
    if (query.endUnixNano !== undefined) add('end', 'Int64', 'start_ns <= $', String(query.endUnixNano));
    // Jaeger semantics: every tag holds on the same span, as an attribute of it, of its resource
    // or of one of its events. mapContains keeps '' from matching a missing key.
    Object.entries(query.tags ?? {}).forEach(([key, value], i) => {
      where.push(
        `((mapContains(attributes, {k${i}:String}) AND attributes[{k${i}:String}] = {v${i}:String})
          OR (mapContains(resource_attributes, {k${i}:String}) AND resource_attributes[{k${i}:String}] = {v${i}:String})
          OR multiSearchAny(events, [{e${i}:String}]))`,
      );
      Object.assign(params, { [`k${i}`]: key, [`v${i}`]: value, [`e${i}`]: tagPattern(key, value) });
    });
    const rows = await this.select<{ trace_id: string }>(
      `SELECT trace_id, max(start_ns) AS newest FROM spans WHERE ${where.join(' AND ')}
       GROUP BY trace_id ORDER BY newest DESC, trace_id LIMIT {limit:UInt32}`,
      params,
    );
    return rows.map((row) => row.trace_id);
  }

  async getServices(tenant = DEFAULT_TENANT): Promise<string[]> {
    const rows = await this.select<{ service: string }>('SELECT DISTINCT service FROM operations WHERE tenant = {tenant:String} ORDER BY service', { tenant });
    return rows.map((row) => row.service);
  }

  async getOperations(service: string, spanKind?: SpanKind, tenant = DEFAULT_TENANT): Promise<Operation[]> {
    const kind = spanKind === undefined ? '' : ' AND kind = {kind:UInt8}';
    const rows = await this.select<{ name: string; kind: number }>(
      `SELECT DISTINCT name, kind FROM operations WHERE tenant = {tenant:String} AND service = {service:String}${kind} ORDER BY name, kind`,
      spanKind === undefined ? { tenant, service } : { tenant, service, kind: spanKind },
    );
    return rows.map((row) => ({ name: row.name, spanKind: row.kind as SpanKind }));
  }

  async getDependencies(range: TimeRange, tenant = DEFAULT_TENANT): Promise<DependencyEdge[]> {
    const params = { tenant, start: String(range.startUnixNano), end: String(range.endUnixNano) };
    // Where the ingester aggregated the range its edges are the truth (counted before sampling,
    // with uninstrumented peers); spans written without an ingester are joined as Jaeger does.
    const minutes = 'tenant = {tenant:String} AND minute_ns > {start:Int64} - 60000000000 AND minute_ns <= {end:Int64}';
    const aggregated = await this.select(`SELECT 1 FROM red_minutes WHERE ${minutes} LIMIT 1`, params);
    if (aggregated.length > 0) {
      const edges = await this.select<{ parent: string; child: string; calls: number }>(
        `SELECT parent, child, sum(calls) AS calls FROM edge_minutes WHERE ${minutes} GROUP BY parent, child ORDER BY parent, child`,
        params,
      );
      return edges.map((e) => ({ parent: e.parent, child: e.child, callCount: Math.round(e.calls) }));
    }
    const rows = await this.select<{ parent: string; child: string; calls: string }>(
      `WITH children AS (
         SELECT trace_id, parent_span_id, service FROM spans FINAL
         WHERE tenant = {tenant:String} AND start_ns BETWEEN {start:Int64} AND {end:Int64} AND parent_span_id != '')
       SELECT p.service AS parent, c.service AS child, count() AS calls
       FROM children AS c
       INNER JOIN (SELECT trace_id, span_id, service FROM spans FINAL
                   WHERE tenant = {tenant:String} AND trace_id IN (SELECT trace_id FROM children)) AS p
         ON p.trace_id = c.trace_id AND p.span_id = c.parent_span_id
       WHERE p.service != c.service
       GROUP BY parent, child ORDER BY parent, child`,
      params,
    );
    return rows.map((row) => ({ parent: row.parent, child: row.child, callCount: Number(row.calls) }));
  }

  async purgeBefore(cutoffUnixNano: bigint): Promise<number> {
    if (this.closing) throw Errors.shuttingDown();
    const params = { cutoff: String(cutoffUnixNano) };
    const [{ purged }] = await this.select<{ purged: string }>('SELECT count() AS purged FROM spans FINAL WHERE start_ns < {cutoff:Int64}', params);
    for (const query of PURGE_SQL) await this.client.command({ query, query_params: params });
    return Number(purged);
  }

  shutdown(): Promise<void> {
    this.closing ??= this.client.close();
    return this.closing;
  }

  /** The first and last span start of a trace, from `trace_index`; undefined when the trace is unknown. */
  private async traceBounds(traceId: string, tenant: string): Promise<{ first: bigint; last: bigint } | undefined> {
    const [bounds] = await this.select<{ first: string; last: string; found: number }>(
      'SELECT min(start_min) AS first, max(start_max) AS last, count() AS found FROM trace_index WHERE tenant = {tenant:String} AND trace_id = {trace:String}',
      { tenant, trace: traceId },
    );
    if (!bounds || Number(bounds.found) === 0) return undefined;
    return { first: BigInt(bounds.first), last: BigInt(bounds.last) };
  }

  private async select<T>(query: string, params: Record<string, unknown>): Promise<T[]> {
    const result = await this.client.query({ query, query_params: params, format: 'JSONEachRow' });
    return result.json<T>();
  }
}

const quoteIdentifier = (name: string): string => '`' + name.replaceAll('\\', '\\\\').replaceAll('`', '\\`') + '`';
