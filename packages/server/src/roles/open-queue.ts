import type { Logger } from 'pino';
import type { AriadneConfig } from '../config/config.js';
import { KafkaQueueConsumer, KafkaQueueProducer } from '../queue/kafka/kafka-queue.js';
import { NatsJetStreamConsumer, NatsJetStreamProducer } from '../queue/nats/nats-jetstream-queue.js';
import type { QueueConsumer, QueueProducer } from '../queue/queue.js';

const brokers = (config: AriadneConfig) => config.kafkaBrokers.split(',').map((b) => b.trim()).filter(Boolean);

/** The configured broker's producer (NATS JetStream or Kafka); config validation ruled out memory. */
export function queueProducer(config: AriadneConfig): QueueProducer {
  const partitions = config.queuePartitions;
  if (config.queue === 'kafka') return new KafkaQueueProducer({ brokers: brokers(config), partitions });
  return new NatsJetStreamProducer({ servers: config.natsUrl, partitions });
}

/** The configured broker's consumer. */
export function queueConsumer(config: AriadneConfig, log: Logger): QueueConsumer {
  const partitions = config.queuePartitions;
  if (config.queue === 'kafka') return new KafkaQueueConsumer({ brokers: brokers(config), partitions }, log);
  return new NatsJetStreamConsumer({ servers: config.natsUrl, partitions }, log);
}
