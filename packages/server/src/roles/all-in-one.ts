import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import Fastify from 'fastify';
import type { Logger } from 'pino';
import type { AriadneConfig } from '../config/config.js';
import { Ingester } from '../ingest/ingester.js';
import { registerJaegerRoutes } from '../query/jaeger-routes.js';
import { registerMetricsRoutes } from '../query/metrics-routes.js';
import { registerNativeRoutes } from '../query/native-routes.js';
import { registerSearchRoutes } from '../query/search-routes.js';
import { registerWebUi } from '../query/web-ui-routes.js';
import { MemorySpanQueue } from '../queue/memory/memory-span-queue.js';
import { createOtlpHttpReceiver } from '../receiver/otlp-http-receiver.js';
import { DuckDbSpanStore } from '../storage/duckdb/duckdb-span-store.js';
import { RetentionEnforcer } from '../storage/retention-enforcer.js';

export interface RunningServer {
  /** Actual bound ports (useful when configured as 0). */
  otlpHttpPort: number;
  queryPort: number;
  /** Stops listening, drains the queue into storage, closes storage. Idempotent. */
  shutdown(): Promise<void>;
}

/** Wires every part into one process: receiver → memory queue → ingester → DuckDB ← query API. */
export async function startAllInOne(config: AriadneConfig, log: Logger): Promise<RunningServer> {
  mkdirSync(config.dataDir, { recursive: true });
  const dbPath = join(config.dataDir, 'ariadne.duckdb');
  const store = await DuckDbSpanStore.open({ path: dbPath });
  log.info({ path: dbPath }, 'storage opened');

  const retention = new RetentionEnforcer(store, config.retentionHours, log);
  await retention.start();
  const ingester = new Ingester(
    store,
    config.processors === 'none'
      ? undefined
      : {
          metrics: store.metrics,
          traceWindowMs: config.traceWindowSeconds * 1000,
          tailSampling: config.tailSampling
            ? {
                decisionWaitMs: config.traceWindowSeconds * 1000,
                slowThresholdMs: config.tailSamplingSlowMs,
                operationTracesPerSecond: config.tailSamplingOperationRate,
                probability: config.tailSamplingProbability,
              }
            : undefined,
          log,
        },
  );
  await ingester.start();
  const queue = new MemorySpanQueue(ingester, { maxSpans: config.queueMaxSpans, maxBatchSpans: config.writeBatchSpans }, log);
  await queue.start();

  const { app: receiver, stats: receiverStats } = createOtlpHttpReceiver({ consumer: queue, maxBodyBytes: config.maxBodyBytes, logger: log });
  const query = Fastify({ loggerInstance: log, disableRequestLogging: true });
  registerJaegerRoutes(query, store);
  registerNativeRoutes(query, store);
  registerMetricsRoutes(query, store.metrics);
  query.get('/api/v1/stats', async () => ({ receiver: receiverStats, queue: queue.getStats(), ingester: ingester.getStats() }));
  registerSearchRoutes(query, store);
  registerWebUi(query);

  await receiver.listen({ host: config.host, port: config.otlpHttpPort });
  const otlpHttpPort = boundPort(receiver);
  log.info(`OTLP/HTTP receiver listening on http://${config.host}:${otlpHttpPort}/v1/traces`);
  await query.listen({ host: config.host, port: config.queryPort });
  const queryPort = boundPort(query);
  log.info(`UI and query API listening on http://${config.host}:${queryPort}`);

  let stopping: Promise<void> | undefined;
  const shutdown = () =>
    (stopping ??= (async () => {
      await receiver.close();
      await queue.shutdown();
      await ingester.shutdown();
      await retention.shutdown();
      await query.close();
      await store.shutdown();
      log.info({ ...queue.getStats(), ...ingester.getStats() }, 'stopped; every accepted span was written');
    })());
  return { otlpHttpPort, queryPort, shutdown };
}

function boundPort(app: { server: Server }): number {
  const address = app.server.address();
  return typeof address === 'object' && address ? address.port : 0;
}
