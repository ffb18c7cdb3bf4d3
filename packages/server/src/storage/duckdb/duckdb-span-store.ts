import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  BIGINT,
  DuckDBDataChunk,
  DuckDBInstance,
  UBIGINT,
  UHUGEINT,
  UINTEGER,
  UTINYINT,
  VARCHAR,
} from '@duckdb/node-api';
import type { DuckDBConnection, DuckDBType, DuckDBValue } from '@duckdb/node-api';
import { Errors } from '../../errors.js';
import { DEFAULT_TENANT } from '../../model/span.js';
import type { InstrumentationScope, Resource, Span, SpanBatch, SpanKind, StatusCode, TimeRange } from '../../model/span.js';
import type { DependencyEdge, Operation, SpanStore, TraceQuery } from '../span-store.js';
import { decodeAttributes, encodeAttributes, tagPattern } from './attribute-codec.js';
import { DuckDbAlertStore } from './duckdb-alert-store.js';
import { METRICS_PURGE_SQL, METRICS_SCHEMA_SQL } from './duckdb-metrics-schema.js';
import { DuckDbMetricsStore } from './duckdb-metrics-store.js';
import { SCHEMA_SQL, SPAN_COLUMNS, STAGE_SQL } from './duckdb-schema.js';
import { decodeEvents, decodeLinks, encodeEvents, encodeLinks } from './event-link-codec.js';
import { bigIntToHex, hexToBigInt } from './hex-id.js';
import { Serial } from './serial.js';

export interface DuckDbSpanStoreOptions {
  /** Database file, or ':memory:'. */
  path: string;
}

// DuckDB's vector size: a data chunk holds at most this many rows.
const CHUNK_ROWS = 2048;

const TYPE_BY_SQL: Record<string, DuckDBType> = { VARCHAR, UHUGEINT, UBIGINT, BIGINT, UTINYINT, UINTEGER };
const STAGE_TYPES = SPAN_COLUMNS.map(([, type]) => TYPE_BY_SQL[type.split(' ')[0]]);

const SPAN_SELECT = SPAN_COLUMNS.map(([name]) => `s.${name}`).join(', ');

/*
 * Staged rows carry NULL for the tenant (a parameter of the insert) and for empty strings, so
 * the common empty field costs no per-value call into DuckDB when the chunk is filled.
 */
const EMPTY_AS_NULL = new Set(['status_message', 'trace_state', 'events', 'links']);
const STAGE_SELECT = SPAN_COLUMNS.map(([name]) =>
  name === 'tenant' ? '$tenant' : EMPTY_AS_NULL.has(name) ? `coalesce(s.${name}, '')` : `s.${name}`,
).join(', ');

interface Encoded {
  id: bigint;
  row: DuckDBValue[];
}

const contentId = (text: string): bigint => createHash('sha256').update(text).digest().readBigUInt64BE(0);

/**
 * Spans in an embedded DuckDB file. Writes are serialized on one connection, reads on another.
 * The ingester's aggregates live in the same database, behind `metrics`; alerting's documents behind `alerts`.
 */
export class DuckDbSpanStore implements SpanStore {
  private readonly writes = new Serial();
  private readonly reads = new Serial();
  // Content-hash ids of resources and scopes; the objects are shared by reference within a batch.
  private readonly resourceIds = new WeakMap<Resource, Encoded>();
  private readonly scopeIds = new WeakMap<InstrumentationScope, Encoded>();
  // Ids known to be committed, so a batch inserts only new resources and scopes.
  private knownResources = new Set<bigint>();
  private knownScopes = new Set<bigint>();
  private readonly resourceCache = new Map<bigint, Resource>();
  private readonly scopeCache = new Map<bigint, InstrumentationScope>();
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    private readonly reader: DuckDBConnection,
    readonly metrics: DuckDbMetricsStore,
    readonly alerts: DuckDbAlertStore,
  ) {}

  static async open(options: DuckDbSpanStoreOptions): Promise<DuckDbSpanStore> {
    if (options.path !== ':memory:') await mkdir(dirname(options.path), { recursive: true });
    const instance = await DuckDBInstance.create(options.path);
    const writer = await instance.connect();
    for (const sql of [...SCHEMA_SQL, ...METRICS_SCHEMA_SQL]) await writer.run(sql);
    await writer.run(STAGE_SQL);
    const reader = await instance.connect();
    const metrics = new DuckDbMetricsStore(await instance.connect(), await instance.connect());
    return new DuckDbSpanStore(instance, writer, reader, metrics, await DuckDbAlertStore.open(await instance.connect()));
  }

  async start(): Promise<void> {}

  writeSpans(batch: SpanBatch): Promise<void> {
    if (this.closing) return Promise.reject(Errors.shuttingDown());
    if (batch.spans.length === 0) return Promise.resolve();
    return this.writes.run(() => this.write(batch));
  }

  private async write(batch: SpanBatch): Promise<void> {
    const newResources = new Map<bigint, DuckDBValue[]>();
    const newScopes = new Map<bigint, DuckDBValue[]>();
    const seen = new Set<string>();
    const columns: DuckDBValue[][] = STAGE_TYPES.map(() => []);
    const appender = await this.writer.createAppender('stage', 'main', 'temp');
    const w = this.writer;
    try {
      try {
        let rows = 0;
        const flush = () => {
          const chunk = DuckDBDataChunk.create(STAGE_TYPES, rows);
          chunk.setColumns(columns);
          appender.appendDataChunk(chunk);
          for (const column of columns) column.length = 0;
          rows = 0;
        };
        for (const span of batch.spans) {
          const key = span.traceId + span.spanId;
          if (seen.has(key)) continue;
          seen.add(key);
          const resource = this.encodeResource(span.resource);
          if (!this.knownResources.has(resource.id)) newResources.set(resource.id, resource.row);
          const scope = this.encodeScope(span.scope);
          if (!this.knownScopes.has(scope.id)) newScopes.set(scope.id, scope.row);
          const row: DuckDBValue[] = [
            null,
            hexToBigInt(span.traceId),
            hexToBigInt(span.spanId),
            span.parentSpanId === '' ? null : hexToBigInt(span.parentSpanId),
            span.startTimeUnixNano,
            span.endTimeUnixNano - span.startTimeUnixNano,
            span.resource.serviceName,
            span.name,
            span.kind,
            span.status.code,
            span.status.message || null,
            span.traceState || null,
            span.flags,
            resource.id,
            scope.id,
            encodeAttributes(span.attributes),
            span.events.length === 0 ? null : encodeEvents(span.events),
            span.links.length === 0 ? null : encodeLinks(span.links),
            span.droppedAttributesCount,
            span.droppedEventsCount,
            span.droppedLinksCount,
          ];
          for (let c = 0; c < row.length; c++) columns[c].push(row[c]);
          if (++rows === CHUNK_ROWS) flush();
        }
        if (rows > 0) flush();
      } finally {
        appender.closeSync();
      }
      try {
        await w.run('BEGIN');
        for (const row of newResources.values()) {
          await w.run('INSERT INTO resources VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', row, [UBIGINT, VARCHAR, VARCHAR, UINTEGER, VARCHAR]);
        }
        for (const row of newScopes.values()) {
          await w.run('INSERT INTO scopes VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING', row, [UBIGINT, VARCHAR, VARCHAR, VARCHAR, UINTEGER, VARCHAR]);
        }
        // start_ns is part of the key so DuckDB's join filter pushdown prunes old row groups.
        await w.run(
          `INSERT INTO spans SELECT ${STAGE_SELECT} FROM temp.stage s ANTI JOIN spans t
             ON t.trace_id = s.trace_id AND t.span_id = s.span_id AND t.start_ns = s.start_ns AND t.tenant = $tenant`,
          { tenant: batch.tenant },
          { tenant: VARCHAR },
        );
        await w.run('COMMIT');
      } catch (error) {
        await w.run('ROLLBACK').catch(() => undefined);
        throw error;
      }
    } finally {
      // Also clears what a batch that failed half-way left in the stage.
      await w.run('TRUNCATE temp.stage');
    }
    for (const id of newResources.keys()) this.knownResources.add(id);
    for (const id of newScopes.keys()) this.knownScopes.add(id);
  }

  private encodeResource(resource: Resource): Encoded {
    let encoded = this.resourceIds.get(resource);
    if (!encoded) {
      const attributes = encodeAttributes(resource.attributes);
      const text = [resource.serviceName, attributes, resource.droppedAttributesCount, resource.schemaUrl].join('\x1c');
      const id = contentId(text);
      encoded = { id, row: [id, resource.serviceName, attributes, resource.droppedAttributesCount, resource.schemaUrl] };
      this.resourceIds.set(resource, encoded);
    }
    return encoded;
  }

  private encodeScope(scope: InstrumentationScope): Encoded {
    let encoded = this.scopeIds.get(scope);
    if (!encoded) {
      const attributes = encodeAttributes(scope.attributes);
      const text = [scope.name, scope.version, attributes, scope.droppedAttributesCount, scope.schemaUrl].join('\x1c');
      const id = contentId(text);
      encoded = { id, row: [id, scope.name, scope.version, attributes, scope.droppedAttributesCount, scope.schemaUrl] };
      this.scopeIds.set(scope, encoded);
    }
    return encoded;
  }

  getTrace(traceId: string, range?: TimeRange, tenant = DEFAULT_TENANT): Promise<Span[]> {
    return this.reads.run(async () => {
      const values: Record<string, DuckDBValue> = { tenant, trace: hexToBigInt(traceId) };
      const types: Record<string, DuckDBType> = { tenant: VARCHAR, trace: UHUGEINT };
      let sql = `SELECT ${SPAN_SELECT} FROM spans s WHERE s.tenant = $tenant AND s.trace_id = $trace`;
      if (range) {
        sql += ' AND s.start_ns BETWEEN $start AND $end';
        Object.assign(values, { start: range.startUnixNano, end: range.endUnixNano });
        Object.assign(types, { start: BIGINT, end: BIGINT });
      }
      const rows = (await this.reader.runAndReadAll(sql + ' ORDER BY s.start_ns, s.span_id', values, types)).getRows();
      await this.loadResourcesAndScopes(rows);
      return rows.map((row) => this.toSpan(row));
    });
  }

  private async loadResourcesAndScopes(rows: DuckDBValue[][]): Promise<void> {
    const resources = new Set<bigint>();
    const scopes = new Set<bigint>();
    for (const row of rows) {
      if (!this.resourceCache.has(row[13] as bigint)) resources.add(row[13] as bigint);
      if (!this.scopeCache.has(row[14] as bigint)) scopes.add(row[14] as bigint);
    }
    if (resources.size > 0) {
      const found = await this.reader.runAndReadAll(
        `SELECT id, service_name, attributes, dropped_attributes_count, schema_url FROM resources WHERE id IN (SELECT unnest($ids::UBIGINT[]))`,
        { ids: `[${[...resources].join(',')}]` },
      );
      for (const [id, serviceName, attributes, dropped, schemaUrl] of found.getRows()) {
        this.resourceCache.set(id as bigint, {
          serviceName: serviceName as string,
          attributes: decodeAttributes(attributes as string),
          droppedAttributesCount: dropped as number,
          schemaUrl: schemaUrl as string,
        });
      }
    }
    if (scopes.size > 0) {
      const found = await this.reader.runAndReadAll(
        `SELECT id, name, version, attributes, dropped_attributes_count, schema_url FROM scopes WHERE id IN (SELECT unnest($ids::UBIGINT[]))`,
        { ids: `[${[...scopes].join(',')}]` },
      );
      for (const [id, name, version, attributes, dropped, schemaUrl] of found.getRows()) {
        this.scopeCache.set(id as bigint, {
          name: name as string,
          version: version as string,
          attributes: decodeAttributes(attributes as string),
          droppedAttributesCount: dropped as number,
          schemaUrl: schemaUrl as string,
        });
      }
    }
  }

  private toSpan(row: DuckDBValue[]): Span {
    const start = row[4] as bigint;
    return {
      traceId: bigIntToHex(row[1] as bigint, 32),
      spanId: bigIntToHex(row[2] as bigint, 16),
      parentSpanId: row[3] === null ? '' : bigIntToHex(row[3] as bigint, 16),
      startTimeUnixNano: start,
      endTimeUnixNano: start + (row[5] as bigint),
      name: row[7] as string,
      kind: row[8] as SpanKind,
      status: { code: row[9] as StatusCode, message: row[10] as string },
      traceState: row[11] as string,
      flags: row[12] as number,
      resource: this.resourceCache.get(row[13] as bigint) as Resource,
      scope: this.scopeCache.get(row[14] as bigint) as InstrumentationScope,
      attributes: decodeAttributes(row[15] as string),
      events: decodeEvents(row[16] as string),
      links: decodeLinks(row[17] as string),
      droppedAttributesCount: row[18] as number,
      droppedEventsCount: row[19] as number,
      droppedLinksCount: row[20] as number,
    };
  }

  findTraceIds(query: TraceQuery): Promise<string[]> {
    return this.reads.run(async () => {
      const where = ['s.tenant = $tenant'];
      const values: Record<string, DuckDBValue> = { tenant: query.tenant ?? DEFAULT_TENANT, limit: query.limit };
      const types: Record<string, DuckDBType> = { tenant: VARCHAR, limit: UBIGINT };
      const add = (name: string, condition: string, value: DuckDBValue, type: DuckDBType) => {
        where.push(condition);
        values[name] = value;
        types[name] = type;
      };
      if (query.service !== undefined) add('service', 's.service = $service', query.service, VARCHAR);
      if (query.operation !== undefined) add('operation', 's.name = $operation', query.operation, VARCHAR);
      if (query.spanKind !== undefined) add('kind', 's.kind = $kind', query.spanKind, UTINYINT);
      if (query.minDurationNano !== undefined) add('minDuration', 's.duration_ns >= $minDuration', query.minDurationNano, BIGINT);
      if (query.maxDurationNano !== undefined) add('maxDuration', 's.duration_ns <= $maxDuration', query.maxDurationNano, BIGINT);
      if (query.startUnixNano !== undefined) add('start', 's.start_ns >= $start', query.startUnixNano, BIGINT);
      if (query.endUnixNano !== undefined) add('end', 's.start_ns <= $end', query.endUnixNano, BIGINT);
      // Jaeger semantics: every tag must hold on the same span, in its attributes, its
      // resource's attributes or its events' attributes.
      Object.entries(query.tags ?? {}).forEach(([key, value], i) => {
        add(
          `tag${i}`,
          `(contains(s.attributes, $tag${i}) OR contains(s.events, $tag${i})
            OR s.resource_id IN (SELECT id FROM resources WHERE contains(attributes, $tag${i})))`,
          tagPattern(key, value),
          VARCHAR,
        );
      });
      const sql = `SELECT s.trace_id, max(s.start_ns) AS newest FROM spans s WHERE ${where.join(' AND ')}
        GROUP BY s.trace_id ORDER BY newest DESC, s.trace_id LIMIT $limit`;
      const rows = (await this.reader.runAndReadAll(sql, values, types)).getRows();
      return rows.map((row) => bigIntToHex(row[0] as bigint, 32));
    });
  }

  getServices(tenant = DEFAULT_TENANT): Promise<string[]> {
    return this.reads.run(async () => {
      const result = await this.reader.runAndReadAll('SELECT DISTINCT service FROM spans WHERE tenant = $tenant ORDER BY service', { tenant });
      return result.getRows().map((row) => row[0] as string);
    });
  }

  getOperations(service: string, spanKind?: SpanKind, tenant = DEFAULT_TENANT): Promise<Operation[]> {
    return this.reads.run(async () => {
      let sql = 'SELECT DISTINCT name, kind FROM spans WHERE tenant = $tenant AND service = $service';
      const values: Record<string, DuckDBValue> = { tenant, service };
      if (spanKind !== undefined) {
        sql += ' AND kind = $kind';
        values.kind = spanKind;
      }
      const result = await this.reader.runAndReadAll(sql + ' ORDER BY name, kind', values, { tenant: VARCHAR, service: VARCHAR, kind: UTINYINT });
      return result.getRows().map(([name, kind]) => ({ name: name as string, spanKind: kind as SpanKind }));
    });
  }

  getDependencies(range: TimeRange, tenant = DEFAULT_TENANT): Promise<DependencyEdge[]> {
    return this.reads.run(async () => {
      const params = { tenant, start: range.startUnixNano, end: range.endUnixNano };
      const types = { tenant: VARCHAR, start: BIGINT, end: BIGINT };
      // Where the ingester aggregated the range, its edges are the truth: counted before sampling,
      // with uninstrumented peers. Spans written without an ingester are joined as Jaeger does.
      const aggregated = await this.reader.runAndReadAll(
        'SELECT 1 FROM red_minutes WHERE tenant = $tenant AND minute_ns > $start - 60000000000 AND minute_ns <= $end LIMIT 1',
        params,
        types,
      );
      if (aggregated.currentRowCount > 0) {
        const edges = await this.reader.runAndReadAll(
          `SELECT parent, child, sum(calls) FROM edge_minutes
           WHERE tenant = $tenant AND minute_ns > $start - 60000000000 AND minute_ns <= $end GROUP BY ALL ORDER BY 1, 2`,
          params,
          types,
        );
        return edges.getRows().map(([parent, child, calls]) => ({ parent: parent as string, child: child as string, callCount: Math.round(calls as number) }));
      }
      // As Jaeger: an edge per parent→child span pair across services, the child in the range.
      const result = await this.reader.runAndReadAll(
        `SELECT p.service, c.service, count(*) FROM spans c JOIN spans p
           ON p.tenant = c.tenant AND p.trace_id = c.trace_id AND p.span_id = c.parent_span_id
         WHERE c.tenant = $tenant AND p.tenant = $tenant AND c.start_ns BETWEEN $start AND $end AND p.service <> c.service
         GROUP BY ALL ORDER BY 1, 2`,
        { tenant, start: range.startUnixNano, end: range.endUnixNano },
        { tenant: VARCHAR, start: BIGINT, end: BIGINT },
      );
      return result.getRows().map(([parent, child, count]) => ({ parent: parent as string, child: child as string, callCount: Number(count) }));
    });
  }

  purgeBefore(cutoffUnixNano: bigint): Promise<number> {
    if (this.closing) return Promise.reject(Errors.shuttingDown());
    return this.writes.run(async () => {
      const w = this.writer;
      await w.run('BEGIN');
      try {
        const deleted = await w.run('DELETE FROM spans WHERE start_ns < $cutoff', { cutoff: cutoffUnixNano }, { cutoff: BIGINT });
        await w.run('DELETE FROM resources WHERE id NOT IN (SELECT DISTINCT resource_id FROM spans)');
        await w.run('DELETE FROM scopes WHERE id NOT IN (SELECT DISTINCT scope_id FROM spans)');
        for (const sql of METRICS_PURGE_SQL) await w.run(sql, { cutoff: cutoffUnixNano }, { cutoff: BIGINT });
        await w.run('COMMIT');
        this.knownResources = new Set();
        this.knownScopes = new Set();
        return deleted.rowsChanged;
      } catch (error) {
        await w.run('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  shutdown(): Promise<void> {
    this.closing ??= (async () => {
      await this.writes.run(async () => {
        await this.writer.run('CHECKPOINT');
      });
      await this.reads.run(async () => undefined);
      await this.metrics.close();
      await this.alerts.close();
      this.writer.closeSync();
      this.reader.closeSync();
      this.instance.closeSync();
    })();
    return this.closing;
  }
}
