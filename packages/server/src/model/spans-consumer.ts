import type { SpanBatch } from './span.js';

/**
 * Takes a batch onward. Resolves once the batch is accepted (queued or written); the caller must
 * not mutate the batch afterwards. Rejects with a `PipelineFullError` when it cannot take more now.
 */
export interface SpansConsumer {
  consumeSpans(batch: SpanBatch): Promise<void>;
}
