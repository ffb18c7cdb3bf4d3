import type { Logger } from 'pino';
import type { AriadneConfig } from '../config/config.js';
import { SpanBatchCoalescer } from '../ingest/span-batch-coalescer.js';
import { decodeSpanBatch } from '../queue/span-batch-codec.js';
import { RetentionEnforcer } from '../storage/retention-enforcer.js';
import { createIngester } from './create-ingester.js';
import { queueConsumer } from './open-queue.js';
import { openStorage } from './open-storage.js';
import { once, type RunningRole } from './running-role.js';

/**
 * Queue (consumer group) → coalescer → ingester → storage. The messages handled concurrently (one
 * per partition at a time) are written together, and each is acked once that write is durable.
 */
export async function startIngesterRole(config: AriadneConfig, log: Logger): Promise<RunningRole> {
  const store = await openStorage(config, log);
  const retention = new RetentionEnforcer(store, config.retentionHours, log);
  await retention.start();
  const ingester = createIngester(config, store, store.metrics, log);
  await ingester.start();
  const coalescer = new SpanBatchCoalescer(ingester, {
    maxSpans: config.ingesterBatchSpans,
    maxBytes: config.ingesterBatchBytes,
    lingerMs: config.ingesterBatchLingerMs,
  });
  const consumer = queueConsumer(config, log);
  await consumer.start();
  let undecodableMessages = 0;
  await consumer.consume(config.ingesterGroup, async (message) => {
    let batch;
    try {
      batch = decodeSpanBatch(message.payload);
    } catch (err) {
      // Redelivering could never help: drop it, loudly, and count it.
      undecodableMessages++;
      log.error({ err, partition: message.partition, offset: String(message.offset) }, 'dropping an undecodable queue message');
      return;
    }
    await coalescer.add(batch, message.payload.byteLength, message.partition);
  });
  const report = setInterval(() => log.info({ ingester: ingester.getStats(), batches: coalescer.getStats(), undecodableMessages }, 'ingester stats'), 10_000);
  report.unref();
  log.info({ group: config.ingesterGroup, queue: config.queue }, 'ingester ready');
  const shutdown = once(async () => {
    clearInterval(report);
    // The coalescer writes what handlers wait on at once, so the consumer can ack it and stop.
    await Promise.all([consumer.shutdown(), coalescer.shutdown()]);
    await coalescer.shutdown();
    await ingester.shutdown();
    await retention.shutdown();
    await store.shutdown();
    log.info({ ...ingester.getStats(), batches: coalescer.getStats(), undecodableMessages }, 'ingester stopped');
  });
  return { shutdown };
}
