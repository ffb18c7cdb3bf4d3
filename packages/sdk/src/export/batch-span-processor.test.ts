import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { Resource } from '../resource/resource.js';
import { AlwaysOffSampler } from '../sampling/always-off-sampler.js';
import { AlwaysOnSampler } from '../sampling/always-on-sampler.js';
import type { Sampler } from '../sampling/sampler.js';
import type { RecordingSpan } from '../trace/recording-span.js';
import { AriadneTracerProvider } from '../trace/tracer-provider.js';
import { BatchSpanProcessor } from './batch-span-processor.js';
import type { BatchSpanProcessorOptions } from './batch-span-processor.js';
import { ExportResultCode } from './span-exporter.js';
import type { ExportResult, SpanExporter } from './span-exporter.js';

class RecordingExporter implements SpanExporter {
  batches: RecordingSpan[][] = [];
  result: () => Promise<ExportResult> = () => Promise.resolve({ code: ExportResultCode.SUCCESS });
  shutdowns = 0;
  atExit: string[][] = [];
  exportAtExit(batches: ReadonlyArray<readonly RecordingSpan[]>): ExportResult {
    for (const b of batches) this.atExit.push(b.map((s) => s.name));
    return { code: ExportResultCode.SUCCESS };
  }
  export(spans: readonly RecordingSpan[]): Promise<ExportResult> {
    this.batches.push([...spans]);
    return this.result();
  }
  shutdown(): Promise<void> {
    this.shutdowns++;
    return Promise.resolve();
  }
}

function setup(options: BatchSpanProcessorOptions, sampler: Sampler = new AlwaysOnSampler()) {
  const exporter = new RecordingExporter();
  const processor = new BatchSpanProcessor(exporter, options);
  const provider = new AriadneTracerProvider({ resource: new Resource({}), sampler, spanProcessors: [processor] });
  const tracer = provider.getTracer('t');
  const make = (n: number) => {
    for (let i = 0; i < n; i++) tracer.startSpan(`s${i}`).end();
  };
  return { exporter, processor, provider, make };
}

describe('BatchSpanProcessor', () => {
  it('exports what is still queued synchronously at exit, in batches of the batch size', () => {
    const { exporter, processor, make } = setup({ scheduledDelayMillis: 60_000, maxExportBatchSize: 2 });
    make(5);
    processor.exportAtExit();
    assert.deepEqual(exporter.atExit, [['s0', 's1'], ['s2', 's3'], ['s4']]);
    assert.equal(processor.queuedSpans, 0);
    assert.equal(processor.exportedSpans, 5);
    processor.exportAtExit();
    assert.equal(exporter.atExit.length, 3, 'nothing left to send twice');
  });

  it('sends at exit the batch of an export still under way (a flush the process exits during)', async () => {
    const { exporter, processor, make } = setup({ scheduledDelayMillis: 60_000, maxExportBatchSize: 2 });
    exporter.result = () => new Promise(() => {}); // the collector never answers
    make(3);
    void processor.forceFlush();
    await sleep(5);
    assert.equal(exporter.batches.length, 1);
    processor.exportAtExit();
    assert.deepEqual(exporter.atExit, [['s0', 's1'], ['s2']]);
    assert.equal(processor.exportedSpans, 3);
  });

  it('exports after the schedule delay', async () => {
    const { exporter, make } = setup({ scheduledDelayMillis: 20 });
    make(3);
    assert.equal(exporter.batches.length, 0);
    await sleep(60);
    assert.deepEqual(exporter.batches.map((b) => b.length), [3]);
  });

  it('exports full batches soon, not waiting for the delay; the partial rest waits for it', async () => {
    const { exporter, make } = setup({ scheduledDelayMillis: 150, maxExportBatchSize: 4 });
    make(9);
    await sleep(20);
    assert.deepEqual(exporter.batches.map((b) => b.length), [4, 4]);
    await sleep(300);
    assert.deepEqual(exporter.batches.map((b) => b.length), [4, 4, 1]);
  });

  it('keeps exporting after a flush of an empty queue', async () => {
    const { exporter, processor, make } = setup({ scheduledDelayMillis: 20 });
    await processor.forceFlush();
    make(2);
    await sleep(80);
    assert.deepEqual(exporter.batches.map((b) => b.length), [2]);
  });

  it('a flush during an export exports everything queued', async () => {
    const { exporter, processor, make } = setup({ scheduledDelayMillis: 60_000, maxExportBatchSize: 4 });
    exporter.result = () => sleep(20).then(() => ({ code: ExportResultCode.SUCCESS }));
    make(4);
    await sleep(5);
    make(3);
    await processor.forceFlush();
    assert.deepEqual(exporter.batches.map((b) => b.length), [4, 3]);
  });

  it('bounds the queue, counts drops and warns once', async () => {
    const warnings: string[] = [];
    diag.setLogger({ warn: (m: string) => warnings.push(m), error() {}, info() {}, debug() {}, verbose() {} }, DiagLogLevel.WARN);
    try {
      const { exporter, processor, make } = setup({ scheduledDelayMillis: 60_000, maxQueueSize: 5, maxExportBatchSize: 5 });
      exporter.result = () => new Promise(() => {}); // an export that never finishes
      make(5);
      await sleep(5);
      make(8);
      assert.equal(processor.droppedSpans, 3);
      assert.equal(processor.queuedSpans, 5);
      assert.equal(warnings.filter((w) => w.includes('queue full')).length, 1);
    } finally {
      diag.disable();
    }
  });

  it('exports only sampled spans', async () => {
    const { exporter, processor, make } = setup({}, new AlwaysOffSampler());
    make(3);
    await processor.forceFlush();
    assert.equal(exporter.batches.length, 0);
  });

  it('forceFlush exports everything queued, in batches', async () => {
    const { exporter, provider, make } = setup({ scheduledDelayMillis: 60_000, maxExportBatchSize: 2 });
    make(5);
    await provider.forceFlush();
    assert.deepEqual(exporter.batches.flat().map((s) => s.name), ['s0', 's1', 's2', 's3', 's4']);
  });

  it('shutdown flushes, shuts the exporter down once, and ignores later spans', async () => {
    const { exporter, provider, processor, make } = setup({ scheduledDelayMillis: 60_000 });
    make(2);
    await Promise.all([provider.shutdown(), provider.shutdown()]);
    await processor.shutdown();
    assert.equal(exporter.batches.flat().length, 2);
    assert.equal(exporter.shutdowns, 1);
    make(2);
    await processor.forceFlush();
    assert.equal(exporter.batches.flat().length, 2);
  });

  it('survives failing, throwing and hanging exporters, counting the spans lost', async () => {
    const { exporter, processor, make } = setup({ scheduledDelayMillis: 60_000, exportTimeoutMillis: 20 });
    exporter.result = () => Promise.resolve({ code: ExportResultCode.FAILED, error: new Error('nope') });
    make(1);
    await processor.forceFlush();
    exporter.result = () => Promise.reject(new Error('thrown'));
    make(1);
    await processor.forceFlush();
    exporter.result = () => new Promise(() => {});
    make(1);
    // The processor's timers are unref'd; this one keeps the test's event loop alive meanwhile.
    const keepAlive = setTimeout(() => {}, 1000);
    await processor.forceFlush();
    clearTimeout(keepAlive);
    assert.equal(processor.failedSpans, 3);
    exporter.result = () => Promise.resolve({ code: ExportResultCode.SUCCESS });
    make(1);
    await processor.forceFlush();
    assert.equal(processor.exportedSpans, 1);
  });
});
