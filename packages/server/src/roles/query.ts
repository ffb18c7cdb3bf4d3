import Fastify from 'fastify';
import type { Logger } from 'pino';
import type { AriadneConfig } from '../config/config.js';
import { NatsKvAlertStore } from '../storage/nats-kv/nats-kv-alert-store.js';
import { scopeRequestsToTenant, tenantFromHeader, tenantMetricsReader, tenantSpanReader } from '../query/tenant-scope.js';
import { boundPort } from './bound-port.js';
import { openStorage } from './open-storage.js';
import { registerQueryApi } from './register-query-api.js';
import { once, type RunningRole } from './running-role.js';
import { startAlerting } from './start-alerting.js';

/** APIs and UI over the storage backend, each request reading the tenant of its X-Ariadne-Tenant header. */
export async function startQuery(config: AriadneConfig, log: Logger): Promise<RunningRole> {
  const store = await openStorage(config, log);
  const app = Fastify({ loggerInstance: log, disableRequestLogging: true });
  scopeRequestsToTenant(app, tenantFromHeader);
  registerQueryApi(app, tenantSpanReader(store), tenantMetricsReader(store.metrics), () => ({}));
  // ClickHouse keeps no alert documents: query instances then share them, and the evaluator lease, in NATS.
  const natsAlerts = store.alerts === undefined && config.natsUrl !== '' ? await NatsKvAlertStore.open({ servers: config.natsUrl }) : undefined;
  const alerts = store.alerts ?? natsAlerts;
  if (alerts === undefined) log.warn('alerting off: this storage keeps no alert documents; give --nats-url to keep them in NATS');
  const alerting = alerts && (await startAlerting(app, config, alerts, store.metrics, log));
  await app.listen({ host: config.host, port: config.queryPort });
  log.info(`UI and query API listening on http://${config.host}:${boundPort(app)}`);
  const shutdown = once(async () => {
    await app.close();
    await alerting?.shutdown();
    await natsAlerts?.shutdown();
    await store.shutdown();
  });
  return { shutdown };
}
