import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { runQueueConformance } from '../queue-conformance.js';
import { startKafka, type RunningKafka } from '../testing/start-kafka.js';
import { KafkaQueueConsumer, KafkaQueueProducer, type KafkaQueueOptions } from './kafka-queue.js';

const log = pino({ level: 'silent' });
let kafka: RunningKafka;
let topics = 0;

before(async () => {
  kafka = await startKafka();
});
after(async () => {
  await kafka?.stop();
});

runQueueConformance('Kafka', () => {
  const options: KafkaQueueOptions = { brokers: [kafka.bootstrap], topic: `spans-${++topics}`, partitions: 4 };
  return {
    producer: () => new KafkaQueueProducer(options),
    // The broker's least session timeout; a consumer that leaves the group is handed over at once.
    consumer: () => new KafkaQueueConsumer({ ...options, sessionTimeoutMs: 6_000, retryDelayMs: 5, shutdownGraceMs: 200 }, log),
  };
});

describe('KafkaQueueProducer', () => {
  it('fails at start when the topic has another partition count', async () => {
    const topic = { brokers: [kafka.bootstrap], topic: 'partitioned' };
    const first = new KafkaQueueProducer({ ...topic, partitions: 4 });
    await first.start();
    await first.shutdown();
    await assert.rejects(new KafkaQueueProducer({ ...topic, partitions: 8 }).start(), { code: 'ARIADNE_INVALID_CONFIG' });
  });
});
