import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  jetstream,
  jetstreamManager,
  type ConsumerMessages,
  type JetStreamClient,
  type JsMsg,
} from '@nats-io/jetstream';
import { connect, headers, nanos, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import { Errors } from '../../errors.js';
import { retryDelayMs, settlesWithin, type ConsumerOptions } from '../consumer-options.js';
import { partitionForKey } from '../partition-for-key.js';
import type { MessageHandler, QueueConsumer, QueueProducer } from '../queue.js';

export interface NatsJetStreamOptions {
  servers: string | string[];
  /** Stream name. Default ARIADNE_SPANS. */
  stream?: string;
  /** Subjects are `<prefix>.<partition>`. Default ariadne.spans. */
  subjectPrefix?: string;
  /** Fixed for the life of the stream: it is recorded there and a mismatch fails at start. */
  partitions: number;
  /** How long messages are kept, consumed or not. Default 24 h. */
  maxAgeMs?: number;
}

export interface NatsJetStreamConsumerOptions extends NatsJetStreamOptions, ConsumerOptions {
  /**
   * How long the server waits for an ack before redelivering (a live handler extends it). It is
   * also how long a partition stalls when a member dies holding its message. Default 5 s.
   */
  ackWaitMs?: number;
}

const DEFAULT_ACK_WAIT_MS = 5_000;

/** The key rides in a header: the subject names only the partition. */
const KEY_HEADER = 'Ariadne-Key';

const names = (options: NatsJetStreamOptions) => ({
  stream: options.stream ?? 'ARIADNE_SPANS',
  prefix: options.subjectPrefix ?? 'ariadne.spans',
  description: `ariadne span queue, partitions=${options.partitions}`,
});

/**
 * Creates the stream, or checks that the existing one has our partition count (kept in its
 * description, as servers before 2.10 have no stream metadata).
 */
async function ensureStream(nc: NatsConnection, options: NatsJetStreamOptions): Promise<void> {
  const { stream, prefix, description } = names(options);
  const jsm = await jetstreamManager(nc);
  const existing = await jsm.streams.info(stream).catch(() => undefined);
  if (existing) {
    if (existing.config.description !== description) {
      throw Errors.invalidConfig(`NATS stream ${stream} says '${existing.config.description ?? ''}', not partitions=${options.partitions}`);
    }
    return;
  }
  await jsm.streams.add({
    name: stream,
    description,
    subjects: [`${prefix}.*`],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: nanos(options.maxAgeMs ?? 24 * 3_600_000),
  });
}

/** Publishes to subject `<prefix>.<partition of key>`; `publish` resolves on the stream's PubAck. */
export class NatsJetStreamProducer implements QueueProducer {
  private nc: NatsConnection | undefined;
  private js: JetStreamClient | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();
  private closed = false;

  constructor(private readonly options: NatsJetStreamOptions) {}

  async start(): Promise<void> {
    this.nc = await connect({ servers: this.options.servers, name: 'ariadne-producer' });
    await ensureStream(this.nc, this.options);
    this.js = jetstream(this.nc);
  }

  async publish(key: string, payload: Uint8Array): Promise<void> {
    if (this.closed || !this.js) throw Errors.shuttingDown();
    const subject = `${names(this.options).prefix}.${partitionForKey(key, this.options.partitions)}`;
    const h = headers();
    h.set(KEY_HEADER, key);
    const ack = this.js.publish(subject, payload, { headers: h });
    this.inFlight.add(ack);
    try {
      await ack;
    } finally {
      this.inFlight.delete(ack);
    }
  }

  async shutdown(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
    await this.nc?.close();
  }
}

/**
 * A group is one durable consumer per partition, each with `max_ack_pending` 1: the server hands
 * out a partition's next message only after the previous one was acked, to whichever member of
 * the group is pulling. So members share partitions without an assignment protocol, a partition's
 * messages are handled one at a time in order, and a dead member's unacked message goes to another
 * after the ack wait (until then its partition waits, so the ack wait is short and a live handler
 * keeps extending it). Handlers of different partitions run concurrently.
 */
export class NatsJetStreamConsumer implements QueueConsumer {
  private nc: NatsConnection | undefined;
  private readonly feeds: ConsumerMessages[] = [];
  private readonly loops: Promise<void>[] = [];
  private stopping = false;
  private stopped: Promise<void> | undefined;

  constructor(
    private readonly options: NatsJetStreamConsumerOptions,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    this.nc = await connect({ servers: this.options.servers, name: 'ariadne-consumer' });
    await ensureStream(this.nc, this.options);
  }

  async consume(group: string, handle: MessageHandler): Promise<void> {
    if (!this.nc || this.stopping) throw Errors.shuttingDown();
    const { stream, prefix } = names(this.options);
    const jsm = await jetstreamManager(this.nc);
    const js = jetstream(this.nc);
    const ackWait = nanos(this.options.ackWaitMs ?? DEFAULT_ACK_WAIT_MS);
    for (let partition = 0; partition < this.options.partitions; partition++) {
      const durable = `${group}_p${partition}`;
      // Adding is idempotent for an identical config; a changed ack wait is applied by update.
      await jsm.consumers
        .add(stream, {
          durable_name: durable,
          filter_subject: `${prefix}.${partition}`,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: DeliverPolicy.All,
          max_ack_pending: 1,
          ack_wait: ackWait,
        })
        .catch(() => jsm.consumers.update(stream, durable, { ack_wait: ackWait }));
      const feed = await (await js.consumers.get(stream, durable)).consume({ max_messages: 1 });
      this.feeds.push(feed);
      this.loops.push(this.run(feed, partition, handle));
    }
  }

  private async run(feed: ConsumerMessages, partition: number, handle: MessageHandler): Promise<void> {
    for await (const m of feed) {
      if (this.stopping) {
        m.nak();
        break;
      }
      await this.handleOne(m, partition, handle);
    }
  }

  private async handleOne(m: JsMsg, partition: number, handle: MessageHandler): Promise<void> {
    const nc = this.nc!;
    // Keeps the server from redelivering while a slow handler is still at it.
    const ackWaitMs = this.options.ackWaitMs ?? DEFAULT_ACK_WAIT_MS;
    // Unref'd and self-clearing: an abandoned handler may never settle.
    const heartbeat = setInterval(() => (nc.isClosed() ? clearInterval(heartbeat) : m.working()), Math.max(ackWaitMs / 3, 100)).unref();
    try {
      await handle({
        key: m.headers?.get(KEY_HEADER) ?? '',
        payload: m.data,
        partition,
        offset: BigInt(m.seq),
        redelivered: m.redelivered,
      });
    } catch (err) {
      const delay = retryDelayMs(m.info.deliveryCount, this.options);
      this.log.warn({ err, partition, seq: m.seq, delayMs: delay }, 'queue message handler failed, redelivering');
      if (!nc.isClosed()) m.nak(delay);
      return;
    } finally {
      clearInterval(heartbeat);
    }
    // A handler that outlived shutdown's grace was abandoned: the server redelivers its message.
    if (!nc.isClosed()) await m.ackAck().catch((err: unknown) => this.log.warn({ err, partition, seq: m.seq }, 'queue ack failed'));
  }

  async shutdown(): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping = true;
      for (const feed of this.feeds) feed.stop();
      const grace = this.options.shutdownGraceMs ?? 10_000;
      if (!(await settlesWithin(Promise.all(this.loops), grace))) {
        this.log.warn('queue handlers still running at shutdown; their messages will be redelivered');
      }
      await this.nc?.close();
    })();
    await this.stopped;
  }
}
