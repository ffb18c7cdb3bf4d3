import assert from 'node:assert/strict';
import { context, SpanKind, trace } from '@opentelemetry/api';
import type { Attributes, Span } from '@opentelemetry/api';
import { InMemorySpanExporter } from '../../../export/in-memory-span-exporter.js';
import { SimpleSpanProcessor } from '../../../export/simple-span-processor.js';
import { startTracing } from '../../../start-tracing.js';
import type { TracingHandle } from '../../../start-tracing.js';
import { attributesOf } from '../../../trace/attribute-list.js';
import type { RecordingSpan } from '../../../trace/recording-span.js';

export interface DbTestTracing {
  readonly exporter: InMemorySpanExporter;
  /** Finished CLIENT spans, in the order they ended. */
  clientSpans(): RecordingSpan[];
  attrs(span: RecordingSpan): Attributes;
  /** Runs `fn` inside a new active INTERNAL span, ended when `fn`'s promise settles. */
  inParent<T>(name: string, fn: (parent: Span) => Promise<T>): Promise<T>;
  /** The span's parent's id, for parent/child assertions. */
  parentId(span: RecordingSpan): string | undefined;
  shutdown(): Promise<void>;
}

/** Tracing into memory, exported span by span, for the database instrumentation tests. */
export function startDbTestTracing(): DbTestTracing {
  const exporter = new InMemorySpanExporter();
  const handle: TracingHandle = startTracing({ env: { OTEL_SERVICE_NAME: 'db-test' }, spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = trace.getTracer('db-test');
  return {
    exporter,
    clientSpans: () => exporter.spans.filter((s) => s.kind === SpanKind.CLIENT),
    attrs: (span) => attributesOf(span.attributes),
    parentId: (span) => span.parentSpanContext?.spanId,
    inParent: (name, fn) =>
      tracer.startActiveSpan(name, (parent) =>
        fn(parent).finally(() => {
          parent.end();
        }),
      ),
    shutdown: () => handle.shutdown(),
  };
}

/** Waits until `count` CLIENT spans ended: a callback can run before its span's export. */
export async function waitForSpans(tracing: DbTestTracing, count: number, timeoutMs = 5_000): Promise<RecordingSpan[]> {
  const deadline = Date.now() + timeoutMs;
  while (tracing.clientSpans().length < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} client spans, got ${tracing.clientSpans().map((s) => s.name).join(', ') || 'none'}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return tracing.clientSpans();
}

export const activeSpanId = (): string | undefined => trace.getSpan(context.active())?.spanContext().spanId;

/** A connection taken from a pool: what `assertQueuedQueryKeepsItsParent` needs of it. */
export interface HeldConnection {
  query(sql: string): Promise<unknown>;
  release(): void;
}

/**
 * With the pool's only connection held, a second query waits; it starts when the holder releases
 * the connection, in the holder's context, and must still be the waiter's child.
 */
export async function assertQueuedQueryKeepsItsParent(
  tracing: DbTestTracing,
  hold: () => Promise<HeldConnection>,
  poolQuery: (sql: string) => Promise<unknown>,
): Promise<void> {
  const held = await hold();
  tracing.exporter.reset();
  let waiterId = '';
  const waiting = tracing.inParent('waiter', (parent) => {
    waiterId = parent.spanContext().spanId;
    return poolQuery('SELECT 1');
  });
  let holderId = '';
  await tracing.inParent('holder', async (parent) => {
    holderId = parent.spanContext().spanId;
    await held.query('SELECT 2');
    held.release();
  });
  await waiting;
  const [heldSpan, waiterSpan] = await waitForSpans(tracing, 2);
  assert.equal(tracing.parentId(heldSpan), holderId);
  assert.equal(tracing.parentId(waiterSpan), waiterId);
}
