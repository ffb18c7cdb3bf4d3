import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import type { Span, SpanBatch } from '../../model/span.js';
import { MemorySpanQueue } from './memory-span-queue.js';

const log = pino({ level: 'silent' });
const spans = (n: number, tag = 's') => Array.from({ length: n }, (_, i) => ({ name: `${tag}${i}` }) as unknown as Span);

class SlowConsumer {
  received: SpanBatch[] = [];
  release: (() => void) | undefined;
  failuresLeft = 0;
  gate = false;
  async consumeSpans(batch: SpanBatch): Promise<void> {
    if (this.gate) await new Promise<void>((resolve) => (this.release = resolve));
    if (this.failuresLeft-- > 0) throw new Error('storage down');
    this.received.push(batch);
  }
}

describe('MemorySpanQueue', () => {
  it('answers pipeline full beyond its bound and drains everything on shutdown', async () => {
    const consumer = new SlowConsumer();
    consumer.gate = true;
    const queue = new MemorySpanQueue(consumer, { maxSpans: 10, maxBatchSpans: 100 }, log);
    await queue.consumeSpans({ tenant: 't', spans: spans(6) });
    await queue.consumeSpans({ tenant: 't', spans: spans(4) });
    await assert.rejects(queue.consumeSpans({ tenant: 't', spans: spans(1) }), { code: 'ARIADNE_PIPELINE_FULL', statusCode: 503 });
    consumer.gate = false;
    const stopped = queue.shutdown();
    await assert.rejects(queue.consumeSpans({ tenant: 't', spans: spans(1) }), { code: 'ARIADNE_SHUTTING_DOWN' });
    consumer.release!();
    await stopped;
    assert.equal(consumer.received.reduce((n, b) => n + b.spans.length, 0), 10);
    assert.equal(queue.getStats().deliveredSpans, 10);
  });

  it('merges queued batches of one tenant up to maxBatchSpans, keeping order', async () => {
    const consumer = new SlowConsumer();
    consumer.gate = true;
    const queue = new MemorySpanQueue(consumer, { maxSpans: 100, maxBatchSpans: 5 }, log);
    await queue.consumeSpans({ tenant: 'a', spans: spans(1, 'first') });
    await queue.consumeSpans({ tenant: 'a', spans: spans(2, 'a') });
    await queue.consumeSpans({ tenant: 'b', spans: spans(2, 'b') });
    await queue.consumeSpans({ tenant: 'a', spans: spans(2, 'c') });
    await queue.consumeSpans({ tenant: 'a', spans: spans(2, 'd') });
    consumer.gate = false;
    consumer.release!();
    await queue.shutdown();
    const seen = consumer.received.map((b) => `${b.tenant}:${b.spans.map((s) => s.name).join(',')}`);
    assert.deepEqual(seen, ['a:first0', 'a:a0,a1,c0,c1', 'b:b0,b1', 'a:d0,d1']);
  });

  it('retries a failed write, then drops and counts after maxAttempts', async () => {
    const consumer = new SlowConsumer();
    consumer.failuresLeft = 2;
    const queue = new MemorySpanQueue(consumer, { maxSpans: 100, maxBatchSpans: 100, maxAttempts: 3, retryDelayMs: 1 }, log);
    await queue.consumeSpans({ tenant: 't', spans: spans(3) });
    await queue.shutdown();
    assert.equal(consumer.received.length, 1);

    const failing = new SlowConsumer();
    failing.failuresLeft = 99;
    const queue2 = new MemorySpanQueue(failing, { maxSpans: 100, maxBatchSpans: 100, maxAttempts: 2, retryDelayMs: 1 }, log);
    await queue2.consumeSpans({ tenant: 't', spans: spans(4) });
    await queue2.shutdown();
    assert.deepEqual(queue2.getStats(), { queuedSpans: 0, deliveredSpans: 0, droppedSpans: 4 });
  });
});
