import type { Logger } from 'pino';
import type { AriadneConfig } from '../config/config.js';
import { createGateway } from '../gateway/create-gateway.js';
import { IngestTokens } from '../gateway/ingest-tokens.js';
import { boundPort } from './bound-port.js';
import { queueProducer } from './open-queue.js';
import { once, type RunningRole } from './running-role.js';

/** Authenticated, limited OTLP/HTTP on --otlp-http-port → the queue, by trace. */
export async function startGateway(config: AriadneConfig, log: Logger): Promise<RunningRole> {
  const tokens = IngestTokens.load(config.tokensFile);
  const producer = queueProducer(config);
  await producer.start();
  const { app } = createGateway({
    producer,
    partitions: config.queuePartitions,
    tokens,
    defaultRateLimit: config.tenantRateLimit,
    maxBodyBytes: config.maxBodyBytes,
    logger: log,
  });
  await app.listen({ host: config.host, port: config.otlpHttpPort });
  log.info(`gateway listening on http://${config.host}:${boundPort(app)}/v1/traces`);
  const shutdown = once(async () => {
    await app.close();
    await producer.shutdown();
  });
  return { shutdown };
}
