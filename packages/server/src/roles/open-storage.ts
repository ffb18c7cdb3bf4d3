import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { AlertStore } from '../alerting/alert-store.js';
import type { AriadneConfig } from '../config/config.js';
import { ClickHouseSpanStore } from '../storage/clickhouse/clickhouse-span-store.js';
import { DuckDbSpanStore } from '../storage/duckdb/duckdb-span-store.js';
import type { MetricsStore } from '../storage/metrics-store.js';
import type { SpanStore } from '../storage/span-store.js';

/** The configured storage backend: spans, and the ingester's aggregates beside them; alerting's documents where the backend keeps them (DuckDB). */
export async function openStorage(config: AriadneConfig, log: Logger): Promise<SpanStore & { metrics: MetricsStore; alerts?: AlertStore }> {
  if (config.storage === 'clickhouse') {
    const store = await ClickHouseSpanStore.open({ url: config.clickhouseUrl, database: config.clickhouseDatabase, retentionHours: config.retentionHours });
    log.info({ url: config.clickhouseUrl, database: config.clickhouseDatabase }, 'storage opened (ClickHouse)');
    return store;
  }
  mkdirSync(config.dataDir, { recursive: true });
  const path = join(config.dataDir, 'ariadne.duckdb');
  const store = await DuckDbSpanStore.open({ path });
  log.info({ path }, 'storage opened');
  return store;
}
