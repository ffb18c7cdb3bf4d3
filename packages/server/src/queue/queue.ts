import type { Component } from '../model/component.js';

/** One message as a consumer sees it. The payload is the consumer's until its handler settles. */
export interface Message {
  key: string;
  payload: Uint8Array;
  /** The partition the key hashed to; messages of one partition are handled in publish order. */
  partition: number;
  /** Position within the partition (Kafka offset, JetStream stream sequence). */
  offset: bigint;
  /** True when known to be handed out before (a handler threw; Kafka cannot tell after a rebalance). */
  redelivered: boolean;
}

/** Handles one message; resolving acknowledges it, throwing has it delivered again after a backoff. */
export type MessageHandler = (message: Message) => Promise<void>;

/**
 * Publishes to the queue. `publish` resolves once the broker has stored the message durably (its
 * ack), so the caller may then drop its copy; messages of one key keep their order when each
 * publish is awaited before the next. The payload must not be mutated until `publish` settles.
 * After `shutdown`, which waits for publishes in flight, `publish` rejects with ARIADNE_SHUTTING_DOWN.
 */
export interface QueueProducer extends Component {
  publish(key: string, payload: Uint8Array): Promise<void>;
}

/**
 * Consumes the queue in a consumer group: the group's consumers share the partitions, each message
 * goes to one of them, at least once, and a partition's messages are handled one at a time in
 * order. `consume` resolves once consumption has started; call it once per consumer.
 * A message whose handler throws is redelivered (forever: a message the handler can never take must
 * be dropped by the handler, not thrown), and so is one whose consumer died before acking.
 * `shutdown` stops fetching and waits for handlers in flight, acking those that resolve; handlers
 * still running after the grace period are abandoned unacked, for another consumer to take over.
 */
export interface QueueConsumer extends Component {
  consume(group: string, handle: MessageHandler): Promise<void>;
}
