import type { SpanBatch } from '../model/span.js';
import type { SpansConsumer } from '../model/spans-consumer.js';
import type { SpanWriter } from '../storage/span-store.js';

/**
 * The stream processor's entry: takes batches from the queue, runs the processors and writes
 * storage. Resolves when the batch is durable, so the queue may acknowledge it.
 */
export class Ingester implements SpansConsumer {
  private spansWritten = 0;

  constructor(private readonly writer: SpanWriter) {}

  async consumeSpans(batch: SpanBatch): Promise<void> {
    await this.writer.writeSpans(batch);
    this.spansWritten += batch.spans.length;
  }

  getStats(): { spansWritten: number } {
    return { spansWritten: this.spansWritten };
  }
}
