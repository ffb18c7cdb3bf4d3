import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import type { Span, SpanBatch } from '../model/span.js';
import type { SpansConsumer } from '../model/spans-consumer.js';
import type { MetricsBatch } from '../storage/metrics-store.js';
import { Ingester } from './ingester.js';
import { adjustedCount } from './red-metrics/adjusted-count.js';
import { SpanBatchCoalescer, type SpanBatchCoalescerOptions } from './span-batch-coalescer.js';
import { generateWorkload } from './test-workload.js';

const tick = () => new Promise(setImmediate);

/** A batch of `n` stand-in spans named `<prefix>-<i>` (the coalescer only moves them). */
function batchOf(prefix: string, n: number, tenant = 'default'): SpanBatch {
  return { tenant, spans: Array.from({ length: n }, (_, i) => ({ spanId: `${prefix}-${i}` }) as unknown as Span) };
}

/** Records every write; `gate` holds writes until released, `failNext` fails the next ones. */
class RecordingWriter implements SpansConsumer {
  readonly writes: { tenant: string; spanIds: string[] }[] = [];
  failNext = 0;
  gate: Promise<void> | undefined;

  async consumeSpans(batch: SpanBatch): Promise<void> {
    await this.gate;
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('storage down');
    }
    this.writes.push({ tenant: batch.tenant, spanIds: batch.spans.map((s) => s.spanId) });
  }
}

function coalescer(writer: SpansConsumer, options: Partial<SpanBatchCoalescerOptions> = {}) {
  return new SpanBatchCoalescer(writer, { maxSpans: 2000, maxBytes: 1 << 30, lingerMs: 60_000, ...options });
}

/** Tracks whether a promise settled, and how. */
function track(p: Promise<void>) {
  const state = { settled: false, error: undefined as unknown };
  p.then(
    () => (state.settled = true),
    (err: unknown) => ((state.settled = true), (state.error = err)),
  );
  return state;
}

describe('SpanBatchCoalescer', () => {
  it('writes the messages of several partitions in one write, resolving each only after it', async () => {
    const writer = new RecordingWriter();
    let release!: () => void;
    writer.gate = new Promise((resolve) => (release = resolve));
    const c = coalescer(writer);
    const adds = [0, 1, 2].map((p) => c.add(batchOf(`p${p}`, 3), 100, p));
    const states = adds.map(track);
    await tick();
    await tick();
    assert.ok(states.every((s) => !s.settled), 'nothing acked before the write is durable');
    release();
    await Promise.all(adds);
    assert.equal(writer.writes.length, 1);
    assert.equal(writer.writes[0]!.spanIds.length, 9);
    assert.deepEqual(c.getStats(), { writes: 1, failedWrites: 0, messagesWritten: 3, spansWritten: 9 });
  });

  it('writes when every lately active partition has a message in the batch, without lingering', async () => {
    const writer = new RecordingWriter();
    const c = coalescer(writer);
    await Promise.all([0, 1].map((p) => c.add(batchOf(`a${p}`, 1), 10, p)));
    // Partitions 0 and 1 are known now; partition 0 alone waits for 1, then both go at once.
    const first = track(c.add(batchOf('b0', 1), 10, 0));
    await tick();
    await tick();
    assert.equal(first.settled, false);
    await c.add(batchOf('b1', 1), 10, 1);
    assert.equal(writer.writes.length, 2);
    assert.deepEqual(writer.writes[1]!.spanIds, ['b0-0', 'b1-0']);
  });

  it('writes a batch that reached the span or byte bound at once', async () => {
    const writer = new RecordingWriter();
    const warmUp = (c: SpanBatchCoalescer) => Promise.all([0, 1, 2].map((p) => c.add(batchOf(`w${p}`, 1), 1, p)));
    // Partition 2 is known and absent, so only a bound can send these before the linger.
    const bySpans = coalescer(writer, { maxSpans: 5 });
    await warmUp(bySpans);
    await Promise.all([bySpans.add(batchOf('x', 3), 1, 0), bySpans.add(batchOf('y', 3), 1, 1)]);
    const byBytes = coalescer(writer, { maxBytes: 100 });
    await warmUp(byBytes);
    await Promise.all([byBytes.add(batchOf('z', 1), 60, 0), byBytes.add(batchOf('v', 1), 60, 1)]);
    assert.deepEqual(
      writer.writes.map((w) => w.spanIds.length),
      [3, 6, 3, 2],
    );
  });

  it('writes what fewer partitions handed over once the linger elapsed', async () => {
    const writer = new RecordingWriter();
    const c = coalescer(writer, { lingerMs: 30, quietMs: 60_000 });
    await Promise.all([0, 1, 2].map((p) => c.add(batchOf(`a${p}`, 1), 10, p)));
    const lone = c.add(batchOf('lone', 2), 10, 2);
    const state = track(lone);
    await tick();
    await tick();
    assert.equal(state.settled, false, 'partitions 0 and 1 may still add');
    await lone;
    assert.deepEqual(writer.writes.at(-1)!.spanIds, ['lone-0', 'lone-1']);
  });

  it('writes what fewer partitions handed over once none came for the quiet period', async () => {
    const writer = new RecordingWriter();
    const c = coalescer(writer, { lingerMs: 60_000, quietMs: 20 });
    await Promise.all([0, 1, 2].map((p) => c.add(batchOf(`a${p}`, 1), 10, p)));
    const first = track(c.add(batchOf('q0', 1), 10, 0));
    await tick();
    await tick();
    assert.equal(first.settled, false);
    const second = c.add(batchOf('q1', 1), 10, 1);
    await second;
    assert.deepEqual(writer.writes.at(-1)!.spanIds, ['q0-0', 'q1-0']);
  });

  it('fails every message of a failed write, unacked, and writes them when handed over again', async () => {
    const writer = new RecordingWriter();
    writer.failNext = 1;
    const c = coalescer(writer, { lingerMs: 5 });
    const results = await Promise.allSettled([0, 1].map((p) => c.add(batchOf(`m${p}`, 2), 10, p)));
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected'],
    );
    assert.equal(writer.writes.length, 0);
    await Promise.all([0, 1].map((p) => c.add(batchOf(`m${p}`, 2), 10, p)));
    assert.deepEqual(writer.writes.map((w) => w.spanIds).flat().sort(), ['m0-0', 'm0-1', 'm1-0', 'm1-1']);
    assert.equal(c.getStats().failedWrites, 1);
  });

  it('writes each tenant separately, failing only the tenant whose write failed', async () => {
    const writer = new RecordingWriter();
    const failing: SpansConsumer = {
      consumeSpans: (batch) => (batch.tenant === 'bad' ? Promise.reject(new Error('no')) : writer.consumeSpans(batch)),
    };
    const c = coalescer(failing);
    const results = await Promise.allSettled([c.add(batchOf('g', 1, 'good'), 1, 0), c.add(batchOf('b', 1, 'bad'), 1, 1), c.add(batchOf('h', 1, 'good'), 1, 2)]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.deepEqual(writer.writes, [{ tenant: 'good', spanIds: ['g-0', 'h-0'] }]);
  });

  it('writes the pending batch at once on shutdown, and later adds without lingering', async () => {
    const writer = new RecordingWriter();
    const c = coalescer(writer);
    await Promise.all([0, 1].map((p) => c.add(batchOf(`a${p}`, 1), 10, p)));
    const pending = track(c.add(batchOf('pending', 1), 10, 0));
    await tick();
    assert.equal(pending.settled, false);
    await c.shutdown();
    assert.equal(pending.settled, true);
    assert.equal(pending.error, undefined);
    await c.add(batchOf('late', 1), 10, 1);
    assert.deepEqual(writer.writes.map((w) => w.spanIds[0]).slice(-2), ['pending-0', 'late-0']);
    await c.shutdown();
  });

  it('behind per-partition sequential handlers that retry, writes every message once and in batches', async () => {
    // A queue in miniature: each partition hands out its next message only after the previous
    // one's handler resolved (acked), and hands a message out again when its handler threw.
    const writer = new RecordingWriter();
    writer.failNext = 2;
    const c = coalescer(writer, { lingerMs: 10 });
    const partitions = 6;
    const perPartition = 20;
    let redeliveries = 0;
    const acked: string[] = [];
    await Promise.all(
      Array.from({ length: partitions }, async (_, p) => {
        for (let i = 0; i < perPartition; i++) {
          for (;;) {
            try {
              await c.add(batchOf(`p${p}m${i}`, 3), 50, p);
              acked.push(`p${p}m${i}`);
              break;
            } catch {
              redeliveries++;
            }
          }
        }
      }),
    );
    await c.shutdown();
    const written = writer.writes.flatMap((w) => w.spanIds);
    assert.equal(written.length, partitions * perPartition * 3);
    assert.equal(new Set(written).size, written.length, 'no span written twice');
    assert.equal(acked.length, partitions * perPartition);
    assert.ok(redeliveries >= 2);
    assert.ok(writer.writes.length < partitions * perPartition, `${writer.writes.length} writes for ${partitions * perPartition} messages`);
  });

  it('in front of the ingester, has the processors count every span once through a failed write', async () => {
    const spans = generateWorkload({ traces: 60, startUnixNano: 1_700_000_040_000_000_000n, intervalNano: 1_000_000n });
    const written: string[] = [];
    let failures = 1;
    const metrics: MetricsBatch[] = [];
    const ingester = new Ingester(
      {
        writeSpans: async (batch) => {
          if (failures-- > 0) throw new Error('storage down');
          written.push(...batch.spans.map((s) => s.spanId));
        },
      },
      { metrics: { writeMetrics: async (batch) => void metrics.push(batch) }, traceWindowMs: 1_000, log: pino({ level: 'silent' }) },
    );
    await ingester.start();
    const c = coalescer(ingester, { lingerMs: 5 });
    // Three partitions, each handing out 20 traces' spans in messages of 4 traces.
    await Promise.all(
      [0, 1, 2].map(async (p) => {
        const mine = spans.filter((_, i) => Math.floor(i / 4) % 3 === p);
        for (let i = 0; i < mine.length; i += 16) {
          for (;;) {
            try {
              await c.add({ tenant: 't', spans: mine.slice(i, i + 16) }, 100, p);
              break;
            } catch {
              // Redelivered.
            }
          }
        }
      }),
    );
    await c.shutdown();
    await ingester.shutdown();
    assert.equal(written.length, spans.length);
    assert.equal(new Set(written).size, spans.length);
    const requests = metrics.flatMap((m) => m.red).reduce((n, r) => n + r.requests, 0);
    assert.equal(requests, spans.reduce((n, s) => n + adjustedCount(s.traceState), 0));
    assert.ok(ingester.getStats().duplicateSpans > 0, 'the failed write was handed over again');
  });
});
