import Fastify from 'fastify';
import type { Logger } from 'pino';
import type { AriadneConfig } from '../config/config.js';
import { MemorySpanQueue } from '../queue/memory/memory-span-queue.js';
import { RetentionEnforcer } from '../storage/retention-enforcer.js';
import { boundPort } from './bound-port.js';
import { createIngester } from './create-ingester.js';
import { openStorage } from './open-storage.js';
import { registerQueryApi } from './register-query-api.js';
import { once, type RunningRole } from './running-role.js';
import { startAlerting } from './start-alerting.js';
import { startReceivers } from './start-receivers.js';

/** Wires every part into one process: receivers → memory queue → ingester → storage ← query API. */
export async function startAllInOne(config: AriadneConfig, log: Logger): Promise<RunningRole> {
  const store = await openStorage(config, log);
  const retention = new RetentionEnforcer(store, config.retentionHours, log);
  await retention.start();
  const ingester = createIngester(config, store, store.metrics, log);
  await ingester.start();
  const queue = new MemorySpanQueue(ingester, { maxSpans: config.queueMaxSpans, maxBatchSpans: config.writeBatchSpans }, log);
  await queue.start();

  const receivers = await startReceivers(config, queue, log);
  const query = Fastify({ loggerInstance: log, disableRequestLogging: true });
  registerQueryApi(query, store, store.metrics, () => ({ receiver: receivers.stats(), queue: queue.getStats(), ingester: ingester.getStats() }));
  const alerting = store.alerts && (await startAlerting(query, config, store.alerts, store.metrics, log));
  await query.listen({ host: config.host, port: config.queryPort });
  log.info(`UI and query API listening on http://${config.host}:${boundPort(query)}`);

  const shutdown = once(async () => {
    await receivers.close();
    await queue.shutdown();
    await ingester.shutdown();
    await retention.shutdown();
    await query.close();
    await alerting?.shutdown();
    await store.shutdown();
    log.info({ ...queue.getStats(), ...ingester.getStats() }, 'stopped; every accepted span was written');
  });
  return { shutdown };
}
