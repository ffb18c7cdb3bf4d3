import { BIGINT, BLOB, blobValue, DOUBLE, LIST, listValue, UTINYINT, VARCHAR } from '@duckdb/node-api';
import type { DuckDBBlobValue, DuckDBConnection, DuckDBListValue, DuckDBType, DuckDBValue } from '@duckdb/node-api';
import { LogHistogram } from '../../ingest/sketch/log-histogram.js';
import { DEFAULT_TENANT } from '../../model/span.js';
import type { TimeRange } from '../../model/span.js';
import { mergeEdges, mergeErrorGroups, mergeRed } from '../metrics-merge.js';
import { MINUTE_NANO } from '../metrics-store.js';
import type { ErrorGroup, ErrorGroupQuery, MetricsBatch, MetricsStore, RedQuery, RedSeries, ServiceEdge } from '../metrics-store.js';
import { Serial } from './serial.js';

const histogram = (value: DuckDBValue): LogHistogram => LogHistogram.decode((value as DuckDBBlobValue).bytes);

/** The minutes overlapping the range, for one tenant. */
function rangeFilter(range: TimeRange, tenant: string) {
  return {
    sql: 'tenant = $tenant AND minute_ns > $start AND minute_ns <= $end',
    values: { tenant, start: range.startUnixNano - MINUTE_NANO, end: range.endUnixNano } as Record<string, DuckDBValue>,
    types: { tenant: VARCHAR, start: BIGINT, end: BIGINT } as Record<string, DuckDBType>,
  };
}

/**
 * Per-minute aggregates in the span store's DuckDB database, on connections of their own: a
 * flush is one transaction, reads merge rows in JavaScript (histograms do not merge in SQL).
 */
export class DuckDbMetricsStore implements MetricsStore {
  private readonly writes = new Serial();
  private readonly reads = new Serial();

  constructor(
    private readonly writer: DuckDBConnection,
    private readonly reader: DuckDBConnection,
  ) {}

  writeMetrics(batch: MetricsBatch): Promise<void> {
    return this.writes.run(async () => {
      const w = this.writer;
      await w.run('BEGIN');
      try {
        const red = await w.prepare('INSERT INTO red_minutes VALUES ($1, $2, $3, $4, $5, $6, $7, $8)');
        for (const p of batch.red) {
          red.bind([p.tenant, p.minuteUnixNano, p.service, p.operation, p.spanKind, p.requests, p.errors, blobValue(p.latency.encode())], [VARCHAR, BIGINT, VARCHAR, VARCHAR, UTINYINT, DOUBLE, DOUBLE, BLOB]);
          await red.run();
        }
        const edge = await w.prepare('INSERT INTO edge_minutes VALUES ($1, $2, $3, $4, $5, $6, $7)');
        for (const e of batch.edges) {
          edge.bind([e.tenant, e.minuteUnixNano, e.parent, e.child, e.calls, e.errors, blobValue(e.latency.encode())], [VARCHAR, BIGINT, VARCHAR, VARCHAR, DOUBLE, DOUBLE, BLOB]);
          await edge.run();
        }
        const error = await w.prepare('INSERT INTO error_minutes VALUES ($1, $2, $3, $4, $5, $6, $7, $8)');
        for (const g of batch.errors) {
          error.bind(
            [g.tenant, g.minuteUnixNano, g.service, g.errorType, g.message, g.frame, g.count, listValue(g.exampleTraceIds)],
            [VARCHAR, BIGINT, VARCHAR, VARCHAR, VARCHAR, VARCHAR, DOUBLE, LIST(VARCHAR)],
          );
          await error.run();
        }
        await w.run('COMMIT');
      } catch (error) {
        await w.run('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  red(query: RedQuery): Promise<RedSeries[]> {
    return this.reads.run(async () => {
      const f = rangeFilter(query.range, query.tenant ?? DEFAULT_TENANT);
      let sql = `SELECT minute_ns, service, ${query.groupByOperation ? 'operation' : "''"}, requests, errors, latency FROM red_minutes WHERE ${f.sql}`;
      if (query.services) {
        sql += ' AND list_contains($services, service)';
        f.values.services = listValue(query.services);
        f.types.services = LIST(VARCHAR);
      }
      if (query.operation !== undefined) {
        sql += ' AND operation = $operation';
        f.values.operation = query.operation;
        f.types.operation = VARCHAR;
      }
      if (query.spanKinds) {
        sql += ' AND list_contains($kinds, kind)';
        f.values.kinds = listValue(query.spanKinds);
        f.types.kinds = LIST(UTINYINT);
      }
      const rows = (await this.reader.runAndReadAll(sql + ' ORDER BY minute_ns', f.values, f.types)).getRows();
      return mergeRed(
        rows.map(([minute, service, operation, requests, errors, latency]) => ({
          minuteUnixNano: minute as bigint,
          service: service as string,
          operation: operation as string,
          requests: requests as number,
          errors: errors as number,
          latency: histogram(latency),
        })),
        query,
      );
    });
  }

  dependencies(range: TimeRange, tenant = DEFAULT_TENANT): Promise<ServiceEdge[]> {
    return this.reads.run(async () => {
      const f = rangeFilter(range, tenant);
      const rows = (await this.reader.runAndReadAll(`SELECT parent, child, calls, errors, latency FROM edge_minutes WHERE ${f.sql}`, f.values, f.types)).getRows();
      return mergeEdges(
        rows.map(([parent, child, calls, errors, latency]) => ({
          parent: parent as string,
          child: child as string,
          calls: calls as number,
          errors: errors as number,
          latency: histogram(latency),
        })),
      );
    });
  }

  errorGroups(query: ErrorGroupQuery): Promise<ErrorGroup[]> {
    return this.reads.run(async () => {
      const f = rangeFilter(query.range, query.tenant ?? DEFAULT_TENANT);
      let sql = `SELECT minute_ns, service, error_type, message, frame, count, examples FROM error_minutes WHERE ${f.sql}`;
      if (query.service !== undefined) {
        sql += ' AND service = $service';
        f.values.service = query.service;
        f.types.service = VARCHAR;
      }
      const rows = (await this.reader.runAndReadAll(sql + ' ORDER BY minute_ns', f.values, f.types)).getRows();
      return mergeErrorGroups(
        rows.map(([minute, service, errorType, message, frame, count, examples]) => ({
          minuteUnixNano: minute as bigint,
          service: service as string,
          errorType: errorType as string,
          message: message as string,
          frame: frame as string,
          count: count as number,
          exampleTraceIds: (examples as DuckDBListValue).items as string[],
        })),
        query,
      );
    });
  }

  /** Waits for running reads and writes, then closes the connections; the database stays open. */
  async close(): Promise<void> {
    await this.writes.run(async () => undefined);
    await this.reads.run(async () => undefined);
    this.writer.closeSync();
    this.reader.closeSync();
  }
}
