import {
  Admin,
  Consumer,
  ProduceAcks,
  Producer,
  compatibilityPartitioner,
  type Message as KafkaMessage,
  type MessagesStream,
} from '@platformatic/kafka';
import type { Logger } from 'pino';
import { Errors } from '../../errors.js';
import { retryDelayMs, settlesWithin, type ConsumerOptions } from '../consumer-options.js';
import type { MessageHandler, QueueConsumer, QueueProducer } from '../queue.js';

export interface KafkaQueueOptions {
  brokers: string[];
  /** Default ariadne-spans. */
  topic?: string;
  /** Partitions of the topic when this creates it; an existing topic with another count fails at start. */
  partitions: number;
  /** Replicas of the topic when this creates it. Default 1. */
  replicationFactor?: number;
  clientId?: string;
}

export interface KafkaQueueConsumerOptions extends KafkaQueueOptions, ConsumerOptions {
  /** The group coordinator drops a member silent this long (the broker bounds it, 6 s at least by default). Default 30 s. */
  sessionTimeoutMs?: number;
}

const topicOf = (options: KafkaQueueOptions) => options.topic ?? 'ariadne-spans';

/** Creates the topic, or checks the partition count of the existing one. */
async function ensureTopic(options: KafkaQueueOptions): Promise<void> {
  const topic = topicOf(options);
  const admin = new Admin({ clientId: options.clientId ?? 'ariadne-admin', bootstrapBrokers: options.brokers });
  try {
    const metadata = await admin.metadata({ topics: [topic] }).catch(() => undefined);
    const existing = metadata?.topics.get(topic);
    if (!existing) {
      await admin.createTopics({ topics: [topic], partitions: options.partitions, replicas: options.replicationFactor ?? 1 });
    } else if (existing.partitionsCount !== options.partitions) {
      throw Errors.invalidConfig(`Kafka topic ${topic} has ${existing.partitionsCount} partitions, not ${options.partitions}`);
    }
  } finally {
    await admin.close();
  }
}

interface PendingPublish {
  key: Buffer;
  value: Buffer;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Publishes with acks=all from an idempotent producer, so `publish` resolves once every in-sync
 * replica has the message and a retried send cannot reorder or duplicate it. Publishes made while
 * a send is in flight go together in the next one: one send at a time keeps the idempotent
 * producer's sequence numbers in order (concurrent sends to a partition fail with
 * OUT_OF_ORDER_SEQUENCE_NUMBER), and batching is what makes Kafka fast. Keys are partitioned by
 * murmur2 as the Java client does, so other Kafka clients agree on where a trace lives.
 */
export class KafkaQueueProducer implements QueueProducer {
  private producer: Producer | undefined;
  private pending: PendingPublish[] = [];
  private sending: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: KafkaQueueOptions) {}

  async start(): Promise<void> {
    await ensureTopic(this.options);
    this.producer = new Producer({
      clientId: this.options.clientId ?? 'ariadne-producer',
      bootstrapBrokers: this.options.brokers,
      acks: ProduceAcks.ALL,
      idempotent: true,
      partitioner: compatibilityPartitioner,
    });
  }

  publish(key: string, payload: Uint8Array): Promise<void> {
    if (this.closed || !this.producer) return Promise.reject(Errors.shuttingDown());
    const value = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
    return new Promise((resolve, reject) => {
      this.pending.push({ key: Buffer.from(key), value, resolve, reject });
      this.sending ??= this.sendAll();
    });
  }

  private async sendAll(): Promise<void> {
    // Lets the publishes of this tick join the first send.
    await new Promise(setImmediate);
    const topic = topicOf(this.options);
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        await this.producer!.send({ messages: batch.map(({ key, value }) => ({ topic, key, value })) });
        for (const p of batch) p.resolve();
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    }
    this.sending = undefined;
  }

  async shutdown(): Promise<void> {
    this.closed = true;
    await this.sending;
    await this.producer?.close();
  }
}

/** Messages read ahead of their handlers at most, over all partitions. */
const MAX_BUFFERED = 64;

/**
 * A Kafka consumer group member. Each assigned partition's messages are handled one at a time in
 * offset order (partitions concurrently), and an offset is committed only after its handler
 * resolved. Commits run beside the handlers, one round at a time, each committing the highest
 * offset handled since the last round per partition, so a partition's next message never waits
 * for a commit round trip; shutdown commits what was handled. A handler that throws is retried in place, so later messages
 * of the partition wait.
 * A member that dies leaves its uncommitted messages to the member that gets the partition next;
 * during such a rebalance the old and new owner may briefly overlap, and the new one cannot tell
 * a message was handed out before (`redelivered` is then false).
 */
export class KafkaQueueConsumer implements QueueConsumer {
  private consumer: Consumer | undefined;
  private stream: MessagesStream<Buffer, Buffer, Buffer, Buffer> | undefined;
  private loop: Promise<void> | undefined;
  private readonly tails = new Map<number, Promise<void>>();
  /** The last handled message of each partition whose offset is not committed yet. */
  private readonly handled = new Map<number, KafkaMessage>();
  private committing: Promise<void> | undefined;
  private buffered = 0;
  private stopping = false;
  private abandoned = false;
  private stopped: Promise<void> | undefined;

  constructor(
    private readonly options: KafkaQueueConsumerOptions,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    await ensureTopic(this.options);
  }

  async consume(group: string, handle: MessageHandler): Promise<void> {
    if (this.stopping || this.consumer) throw Errors.shuttingDown();
    const sessionTimeout = this.options.sessionTimeoutMs ?? 30_000;
    this.consumer = new Consumer({
      clientId: this.options.clientId ?? 'ariadne-consumer',
      bootstrapBrokers: this.options.brokers,
      groupId: group,
      autocommit: false,
      sessionTimeout,
      heartbeatInterval: Math.min(3_000, sessionTimeout / 3),
    });
    this.stream = await this.consumer.consume({ topics: [topicOf(this.options)], mode: 'committed', fallbackMode: 'earliest' });
    this.loop = this.run(this.stream, handle);
  }

  private async run(stream: AsyncIterable<KafkaMessage>, handle: MessageHandler): Promise<void> {
    for await (const m of stream) {
      if (this.stopping) break;
      const tail = (this.tails.get(m.partition) ?? Promise.resolve()).then(() => this.handleOne(m, handle));
      this.tails.set(m.partition, tail);
      this.buffered++;
      void tail.then(() => this.buffered--);
      if (this.buffered >= MAX_BUFFERED) await tail;
    }
    await Promise.all(this.tails.values());
  }

  private async handleOne(m: KafkaMessage, handle: MessageHandler): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (this.stopping) return;
      try {
        await handle({ key: m.key.toString(), payload: m.value, partition: m.partition, offset: m.offset, redelivered: attempt > 1 });
        break;
      } catch (err) {
        const delay = retryDelayMs(attempt, this.options);
        this.log.warn({ err, partition: m.partition, offset: m.offset, delayMs: delay }, 'queue message handler failed, retrying');
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
    // A handler that outlived shutdown's grace was abandoned: its offset must stay uncommitted.
    if (this.abandoned) return;
    this.handled.set(m.partition, m);
    this.committing ??= this.commitHandled();
  }

  /** Commits the handled offsets until none is left; what is handled meanwhile goes in the next request. */
  private async commitHandled(): Promise<void> {
    while (this.handled.size > 0) {
      const latest = [...this.handled.values()];
      this.handled.clear();
      // Fails when the partition moved to another member meanwhile, which then handles it again.
      await Promise.all(
        latest.map((m) => (m.commit() as Promise<void>).catch((err: unknown) => this.log.warn({ err, partition: m.partition, offset: m.offset }, 'queue commit failed'))),
      );
    }
    this.committing = undefined;
  }

  async shutdown(): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping = true;
      if (!this.consumer || !this.stream) return;
      // Closing the stream first ends `run`'s iteration; handlers in flight keep their consumer.
      await this.stream.close();
      if (!(await settlesWithin(this.loop!, this.options.shutdownGraceMs ?? 10_000))) {
        this.abandoned = true;
        this.log.warn('queue handlers still running at shutdown; their messages will be redelivered');
      }
      await this.committing;
      await this.consumer.close(true);
    })();
    await this.stopped;
  }
}
