import type { SpanBatch } from '../model/span.js';
import type { SpansConsumer } from '../model/spans-consumer.js';
import { partitionForKey } from '../queue/partition-for-key.js';
import type { QueueProducer } from '../queue/queue.js';
import { encodeSpanBatch, splitByTrace } from '../queue/span-batch-codec.js';

/**
 * Publishes batches to the queue so that every span of a trace reaches the same partition, and so
 * the same ingester: the batch is split by trace id, the traces grouped by their partition, and
 * each group published as one message keyed by one of its trace ids (any of them routes there).
 * Resolves once the broker acknowledged every message of the batch.
 */
export class QueueSpanPublisher implements SpansConsumer {
  constructor(
    private readonly producer: QueueProducer,
    /** The queue's partition count, as its consumers were created with. */
    private readonly partitions: number,
  ) {}

  async consumeSpans(batch: SpanBatch): Promise<void> {
    const groups = new Map<number, { key: string; batch: SpanBatch }>();
    for (const [traceId, trace] of splitByTrace(batch)) {
      const partition = partitionForKey(traceId, this.partitions);
      const group = groups.get(partition);
      if (group) for (const span of trace.spans) group.batch.spans.push(span);
      else groups.set(partition, { key: traceId, batch: trace });
    }
    await Promise.all([...groups.values()].map(({ key, batch: b }) => this.producer.publish(key, encodeSpanBatch(b))));
  }
}
