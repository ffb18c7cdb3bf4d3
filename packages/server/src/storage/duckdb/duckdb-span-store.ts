import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  BIGINT,
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
import { TraceOutlineBuilder, type TraceOutline } from '../../model/trace-outline.js';
import type { DependencyEdge, Operation, SpanStore, TraceQuery } from '../span-store.js';
import { decodeAttributes, encodeAttributes, tagPattern } from './attribute-codec.js';
import { attributeMatchSql, decodeAttributeColumns, encodeAttributeColumns, escapedTag } from './attribute-columns.js';
import { ContentRefs } from './content-refs.js';
import { DuckDbAlertStore } from './duckdb-alert-store.js';
import { METRICS_PURGE_SQL, METRICS_SCHEMA_SQL } from './duckdb-metrics-schema.js';
import { DuckDbMetricsStore } from './duckdb-metrics-store.js';
import { SCHEMA_SQL, SPAN_COLUMNS } from './duckdb-schema.js';
import { decodeEvents, decodeLinks, encodeEvents, encodeLinks } from './event-link-codec.js';
import { bigIntToHex, hexToBigInt } from './hex-id.js';
import { Serial } from './serial.js';
import { CHUNK_ROWS, SpanChunkWriter } from './span-chunk-writer.js';
import type { ColumnKind } from './span-chunk-writer.js';

export interface DuckDbSpanStoreOptions {
  /** Database file, or ':memory:'. */
  path: string;
}

const TYPE_BY_SQL: Record<string, [DuckDBType, ColumnKind]> = {
  VARCHAR: [VARCHAR, 'text'],
  UHUGEINT: [UHUGEINT, 'u128id'],
  UBIGINT: [UBIGINT, 'u64id'],
  BIGINT: [BIGINT, 'i64'],
  UTINYINT: [UTINYINT, 'u8'],
  UINTEGER: [UINTEGER, 'u32'],
};
const SPAN_TYPES = SPAN_COLUMNS.map(([, type]) => TYPE_BY_SQL[type.split(' ')[0]]);
/** Column index by name. */
const C = Object.fromEntries(SPAN_COLUMNS.map(([name], i) => [name, i])) as Record<(typeof SPAN_COLUMNS)[number][0], number>;

const SPAN_SELECT = SPAN_COLUMNS.map(([name]) => `s.${name}`).join(', ');

// Compaction runs after this many spans were written since the last one (and on shutdown and purge).
const COMPACT_EVERY_SPANS = 2_000_000;

/*
 * The spans of one trace are written next to each other: runs of equal trace ids that DuckDB
 * stores run-length encoded, and a trace's spans in fewer row groups. Spans arrive grouped by
 * resource, so a trace's spans are spread over the batch.
 */
function groupByTrace(spans: Span[]): Span[] {
  const byTrace = new Map<string, Span[]>();
  for (const span of spans) {
    const group = byTrace.get(span.traceId);
    if (group) group.push(span);
    else byTrace.set(span.traceId, [span]);
  }
  if (byTrace.size === spans.length) return spans;
  const out: Span[] = [];
  for (const group of byTrace.values()) for (const span of group) out.push(span);
  return out;
}

interface Encoded {
  hash: bigint;
  /** The row's columns after `id, hash`. */
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
  // Content hashes of resources and scopes; the objects are shared by reference within a batch.
  private readonly resourceHashes = new WeakMap<Resource, Encoded>();
  private readonly scopeHashes = new WeakMap<InstrumentationScope, Encoded>();
  private readonly resourceIds = new ContentRefs('resources');
  private readonly scopeIds = new ContentRefs('scopes');
  private readonly resourceCache = new Map<number, Resource>();
  private readonly scopeCache = new Map<number, InstrumentationScope>();
  private closing: Promise<void> | undefined;
  private readonly chunk = new SpanChunkWriter(
    SPAN_TYPES.map(([type]) => type),
    SPAN_TYPES.map(([, kind]) => kind),
  );
  // The start range and count of spans written since the last compaction.
  private dirty: { minStart: bigint; maxStart: bigint; spans: number } | undefined;

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
    const reader = await instance.connect();
    const metrics = new DuckDbMetricsStore(await instance.connect(), await instance.connect());
    const store = new DuckDbSpanStore(instance, writer, reader, metrics, await DuckDbAlertStore.open(await instance.connect()));
    await store.resourceIds.load(writer);
    await store.scopeIds.load(writer);
    return store;
  }

  async start(): Promise<void> {}

  writeSpans(batch: SpanBatch): Promise<void> {
    if (this.closing) return Promise.reject(Errors.shuttingDown());
    if (batch.spans.length === 0) return Promise.resolve();
    return this.writes.run(() => this.write(batch));
  }

  private async write(batch: SpanBatch): Promise<void> {
    const newResources: DuckDBValue[][] = [];
    const newScopes: DuckDBValue[][] = [];
    const w = this.writer;
    const chunk = this.chunk;
    await w.run('BEGIN');
    try {
      const appender = await w.createAppender('spans');
      try {
        let row = 0;
        let minStart = this.dirty?.minStart ?? batch.spans[0].startTimeUnixNano;
        let maxStart = this.dirty?.maxStart ?? minStart;
        for (const span of groupByTrace(batch.spans)) {
          const resource = this.encodeResource(span.resource);
          let resourceId = this.resourceIds.get(resource.hash);
          if (resourceId === undefined) {
            resourceId = this.resourceIds.add(resource.hash);
            newResources.push([resourceId, resource.hash, ...resource.row]);
          }
          const scope = this.encodeScope(span.scope);
          let scopeId = this.scopeIds.get(scope.hash);
          if (scopeId === undefined) {
            scopeId = this.scopeIds.add(scope.hash);
            newScopes.push([scopeId, scope.hash, ...scope.row]);
          }
          const start = span.startTimeUnixNano;
          if (start < minStart) minStart = start;
          if (start > maxStart) maxStart = start;
          chunk.setText(C.tenant, row, batch.tenant);
          chunk.setId128(C.trace_id, row, span.traceId);
          chunk.setId64(C.span_id, row, span.spanId);
          chunk.setId64(C.parent_span_id, row, span.parentSpanId);
          chunk.setI64(C.start_ns, row, start);
          chunk.setI64(C.duration_ns, row, span.endTimeUnixNano - start);
          chunk.setText(C.service, row, span.resource.serviceName);
          chunk.setText(C.name, row, span.name);
          chunk.setU8(C.kind, row, span.kind);
          chunk.setU8(C.status_code, row, span.status.code);
          chunk.setText(C.status_message, row, span.status.message);
          chunk.setText(C.trace_state, row, span.traceState);
          chunk.setU32(C.flags, row, span.flags);
          chunk.setU32(C.resource_id, row, resourceId);
          chunk.setU32(C.scope_id, row, scopeId);
          const [keys, values] = encodeAttributeColumns(span.attributes);
          chunk.setText(C.attribute_keys, row, keys);
          chunk.setText(C.attribute_values, row, values);
          chunk.setText(C.events, row, span.events.length === 0 ? '' : encodeEvents(span.events));
          chunk.setText(C.links, row, span.links.length === 0 ? '' : encodeLinks(span.links));
          chunk.setU32(C.dropped_attributes_count, row, span.droppedAttributesCount);
          chunk.setU32(C.dropped_events_count, row, span.droppedEventsCount);
          chunk.setU32(C.dropped_links_count, row, span.droppedLinksCount);
          if (++row === CHUNK_ROWS) {
            chunk.appendRows(appender, row);
            row = 0;
          }
        }
        if (row > 0) chunk.appendRows(appender, row);
        this.dirty = { minStart, maxStart, spans: (this.dirty?.spans ?? 0) + batch.spans.length };
      } finally {
        chunk.clear();
        appender.closeSync();
      }
      for (const row of newResources) {
        await w.run('INSERT INTO resources VALUES ($1, $2, $3, $4, $5, $6)', row, [UINTEGER, UBIGINT, VARCHAR, VARCHAR, UINTEGER, VARCHAR]);
      }
      for (const row of newScopes) {
        await w.run('INSERT INTO scopes VALUES ($1, $2, $3, $4, $5, $6, $7)', row, [UINTEGER, UBIGINT, VARCHAR, VARCHAR, VARCHAR, UINTEGER, VARCHAR]);
      }
      await w.run('COMMIT');
    } catch (error) {
      await w.run('ROLLBACK').catch(() => undefined);
      for (const row of newResources) this.resourceIds.forget(row[1] as bigint);
      for (const row of newScopes) this.scopeIds.forget(row[1] as bigint);
      throw error;
    }
    if (this.dirty && this.dirty.spans >= COMPACT_EVERY_SPANS) await this.compact();
  }

  /**
   * Deletes the second and later copies of spans written more than once (redeliveries), among
   * the spans whose start lies in the range written since the last compaction: a copy has the
   * start of its original. Reads never show copies; this only gives their space back.
   */
  private async compact(): Promise<number> {
    const dirty = this.dirty;
    if (!dirty) return 0;
    const range = { lo: dirty.minStart, hi: dirty.maxStart };
    const types = { lo: BIGINT, hi: BIGINT };
    const deleted = await this.writer.run(
      `DELETE FROM spans WHERE start_ns BETWEEN $lo AND $hi AND rowid IN (
         SELECT rowid FROM spans WHERE start_ns BETWEEN $lo AND $hi
         QUALIFY row_number() OVER (PARTITION BY tenant, trace_id, span_id, start_ns ORDER BY rowid) > 1)`,
      range,
      types,
    );
    this.dirty = undefined;
    return deleted.rowsChanged;
  }

  private encodeResource(resource: Resource): Encoded {
    let encoded = this.resourceHashes.get(resource);
    if (!encoded) {
      const attributes = encodeAttributes(resource.attributes);
      const text = [resource.serviceName, attributes, resource.droppedAttributesCount, resource.schemaUrl].join('\x1c');
      encoded = { hash: contentId(text), row: [resource.serviceName, attributes, resource.droppedAttributesCount, resource.schemaUrl] };
      this.resourceHashes.set(resource, encoded);
    }
    return encoded;
  }

  private encodeScope(scope: InstrumentationScope): Encoded {
    let encoded = this.scopeHashes.get(scope);
    if (!encoded) {
      const attributes = encodeAttributes(scope.attributes);
      const text = [scope.name, scope.version, attributes, scope.droppedAttributesCount, scope.schemaUrl].join('\x1c');
      encoded = { hash: contentId(text), row: [scope.name, scope.version, attributes, scope.droppedAttributesCount, scope.schemaUrl] };
      this.scopeHashes.set(scope, encoded);
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
      // Copies of a redelivered span not compacted yet sort next to each other; show one.
      const same = (a: DuckDBValue[], b: DuckDBValue[]) => a[C.span_id] === b[C.span_id] && a[C.start_ns] === b[C.start_ns];
      const unique = rows.filter((row, i) => i === 0 || !same(row, rows[i - 1]));
      return unique.map((row) => this.toSpan(row));
    });
  }

  getTraceOutline(traceId: string, tenant = DEFAULT_TENANT): Promise<TraceOutline | undefined> {
    return this.reads.run(async () => {
      const result = await this.reader.runAndReadAll(
        `SELECT span_id, parent_span_id, start_ns, duration_ns::DOUBLE, service, name, kind, status_code, status_message
         FROM spans WHERE tenant = $tenant AND trace_id = $trace ORDER BY start_ns, span_id`,
        { tenant, trace: hexToBigInt(traceId) },
        { tenant: VARCHAR, trace: UHUGEINT },
      );
      if (result.currentRowCount === 0) return undefined;
      // Read by column: no row arrays, no per-row object.
      const [spanId, parentId, start, duration, service, name, kind, statusCode, statusMessage] = result.getColumns();
      const out = new TraceOutlineBuilder(traceId);
      for (let i = 0; i < spanId.length; i++) {
        out.add(
          bigIntToHex(spanId[i] as bigint, 16),
          bigIntToHex(parentId[i] as bigint, 16),
          start[i] as bigint,
          duration[i] as number,
          service[i] as string,
          name[i] as string,
          kind[i] as number,
          statusCode[i] as number,
          statusMessage[i] as string,
        );
      }
      return out.finish();
    });
  }

  getSpan(traceId: string, spanId: string, tenant = DEFAULT_TENANT): Promise<Span | undefined> {
    return this.reads.run(async () => {
      const rows = (
        await this.reader.runAndReadAll(
          `SELECT ${SPAN_SELECT} FROM spans s WHERE s.tenant = $tenant AND s.trace_id = $trace AND s.span_id = $span ORDER BY s.start_ns LIMIT 1`,
          { tenant, trace: hexToBigInt(traceId), span: hexToBigInt(spanId) },
          { tenant: VARCHAR, trace: UHUGEINT, span: UBIGINT },
        )
      ).getRows();
      if (rows.length === 0) return undefined;
      await this.loadResourcesAndScopes(rows);
      return this.toSpan(rows[0]);
    });
  }

  private async loadResourcesAndScopes(rows: DuckDBValue[][]): Promise<void> {
    const resources = new Set<number>();
    const scopes = new Set<number>();
    for (const row of rows) {
      if (!this.resourceCache.has(row[C.resource_id] as number)) resources.add(row[C.resource_id] as number);
      if (!this.scopeCache.has(row[C.scope_id] as number)) scopes.add(row[C.scope_id] as number);
    }
    if (resources.size > 0) {
      const found = await this.reader.runAndReadAll(
        `SELECT id, service_name, attributes, dropped_attributes_count, schema_url FROM resources WHERE id IN (SELECT unnest($ids::UINTEGER[]))`,
        { ids: `[${[...resources].join(',')}]` },
      );
      for (const [id, serviceName, attributes, dropped, schemaUrl] of found.getRows()) {
        this.resourceCache.set(id as number, {
          serviceName: serviceName as string,
          attributes: decodeAttributes(attributes as string),
          droppedAttributesCount: dropped as number,
          schemaUrl: schemaUrl as string,
        });
      }
    }
    if (scopes.size > 0) {
      const found = await this.reader.runAndReadAll(
        `SELECT id, name, version, attributes, dropped_attributes_count, schema_url FROM scopes WHERE id IN (SELECT unnest($ids::UINTEGER[]))`,
        { ids: `[${[...scopes].join(',')}]` },
      );
      for (const [id, name, version, attributes, dropped, schemaUrl] of found.getRows()) {
        this.scopeCache.set(id as number, {
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
    const start = row[C.start_ns] as bigint;
    return {
      traceId: bigIntToHex(row[C.trace_id] as bigint, 32),
      spanId: bigIntToHex(row[C.span_id] as bigint, 16),
      parentSpanId: bigIntToHex(row[C.parent_span_id] as bigint, 16),
      startTimeUnixNano: start,
      endTimeUnixNano: start + (row[C.duration_ns] as bigint),
      name: row[C.name] as string,
      kind: row[C.kind] as SpanKind,
      status: { code: row[C.status_code] as StatusCode, message: row[C.status_message] as string },
      traceState: row[C.trace_state] as string,
      flags: row[C.flags] as number,
      resource: this.resourceCache.get(row[C.resource_id] as number) as Resource,
      scope: this.scopeCache.get(row[C.scope_id] as number) as InstrumentationScope,
      attributes: decodeAttributeColumns(row[C.attribute_keys] as string, row[C.attribute_values] as string),
      events: decodeEvents(row[C.events] as string),
      links: decodeLinks(row[C.links] as string),
      droppedAttributesCount: row[C.dropped_attributes_count] as number,
      droppedEventsCount: row[C.dropped_events_count] as number,
      droppedLinksCount: row[C.dropped_links_count] as number,
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
        const [escapedKey, escapedValue] = escapedTag(key, value);
        values[`tagKey${i}`] = escapedKey;
        values[`tagValue${i}`] = escapedValue;
        types[`tagKey${i}`] = types[`tagValue${i}`] = VARCHAR;
        add(
          `tag${i}`,
          `(${attributeMatchSql('s.attribute_keys', 's.attribute_values', `$tagKey${i}`, `$tagValue${i}`)} OR contains(s.events, $tag${i})
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
      // As Jaeger: an edge per parent→child span pair across services, the child in the range;
      // copies of a redelivered span not compacted yet count once.
      const result = await this.reader.runAndReadAll(
        `SELECT p.service, c.service, count(DISTINCT (c.trace_id, c.span_id, c.start_ns)) FROM spans c JOIN spans p
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
      await this.compact();
      await w.run('BEGIN');
      try {
        const deleted = await w.run('DELETE FROM spans WHERE start_ns < $cutoff', { cutoff: cutoffUnixNano }, { cutoff: BIGINT });
        await w.run('DELETE FROM resources WHERE id NOT IN (SELECT DISTINCT resource_id FROM spans)');
        await w.run('DELETE FROM scopes WHERE id NOT IN (SELECT DISTINCT scope_id FROM spans)');
        for (const sql of METRICS_PURGE_SQL) await w.run(sql, { cutoff: cutoffUnixNano }, { cutoff: BIGINT });
        await w.run('COMMIT');
        await this.resourceIds.load(w);
        await this.scopeIds.load(w);
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
        await this.compact();
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
