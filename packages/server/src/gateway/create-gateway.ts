import type { FastifyBaseLogger } from 'fastify';
import type { QueueProducer } from '../queue/queue.js';
import { createOtlpHttpReceiver } from '../receiver/otlp-http-receiver.js';
import type { IngestTokens } from './ingest-tokens.js';
import { QueueSpanPublisher } from './queue-span-publisher.js';
import { RateLimitedConsumer } from './rate-limited-consumer.js';

export interface GatewayOptions {
  producer: QueueProducer;
  /** The queue's partition count. */
  partitions: number;
  tokens: IngestTokens;
  /** Spans per second for tenants whose tokens set none; 0: unlimited. */
  defaultRateLimit: number;
  maxBodyBytes: number;
  logger: FastifyBaseLogger;
}

/**
 * The gateway: OTLP/HTTP in, authenticated by ingest token (401 without, 403 for a wrong or revoked
 * one) to the token's tenant, limited in body size (413) and per-tenant rate (429 Retry-After),
 * published to the queue by trace. A request is answered 200 only once the broker has its spans.
 */
export function createGateway(options: GatewayOptions) {
  const { tokens } = options;
  const publisher = new QueueSpanPublisher(options.producer, options.partitions);
  const limited = new RateLimitedConsumer(publisher, { tenantLimits: tokens.tenantRateLimits(), defaultSpansPerSecond: options.defaultRateLimit });
  return createOtlpHttpReceiver({
    consumer: limited,
    maxBodyBytes: options.maxBodyBytes,
    logger: options.logger,
    authenticate: (request) => tokens.authenticate(request.headers.authorization).tenant,
  });
}
