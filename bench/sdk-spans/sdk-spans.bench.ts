/**
 * bench/sdk-spans: the SDK's cost per span (start, 5 attributes, end, batched and encoded as an
 * OTLP protobuf request) and the heap a queued span retains, Ariadne vs OpenTelemetry JS
 * (BasicTracerProvider + BatchSpanProcessor + ProtobufTraceSerializer), in one run with
 * interleaved repetitions. The encoded requests go to a no-op sink: network is out of it.
 * Prints a table of medians; see README.md.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { performance } from 'node:perf_hooks';
import type { Tracer } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { AlwaysOnSampler as OtelAlwaysOn, BasicTracerProvider, BatchSpanProcessor as OtelBatch } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan, SpanExporter as OtelExporter } from '@opentelemetry/sdk-trace-base';
import {
  AlwaysOnSampler,
  AriadneTracerProvider,
  BatchSpanProcessor,
  encodeTraceRequestProtobuf,
  ExportResultCode,
  Resource,
} from '../../packages/sdk/src/index.js';
import type { RecordingSpan, SpanExporter } from '../../packages/sdk/src/index.js';

const SPANS = Number(process.env.BENCH_SPANS ?? 50_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const RETAINED_SPANS = 2000;
const BATCH = 512;

setFlagsFromString('--expose-gc');
const gc = (globalThis as { gc?: () => void }).gc ?? (runInNewContext('gc') as () => void);

let encodedBytes = 0;

interface Subject {
  name: string;
  /** A tracer whose batch processor queues up to `queue` spans and exports `batch` at a time. */
  make(queue: number, batch: number): { tracer: Tracer; flush(): Promise<void> };
}

const resourceAttributes = { 'service.name': 'bench', 'host.name': 'bench-host', 'process.pid': 1234 };

const ariadne: Subject = {
  name: 'Ariadne',
  make(queue, batch) {
    const sink: SpanExporter = {
      export(spans: readonly RecordingSpan[]) {
        encodedBytes += encodeTraceRequestProtobuf(spans).length;
        return Promise.resolve({ code: ExportResultCode.SUCCESS });
      },
      shutdown: () => Promise.resolve(),
    };
    const processor = new BatchSpanProcessor(sink, { maxQueueSize: queue, maxExportBatchSize: batch, scheduledDelayMillis: 1e9 });
    const provider = new AriadneTracerProvider({
      resource: new Resource(resourceAttributes),
      sampler: new AlwaysOnSampler(),
      spanProcessors: [processor],
    });
    return { tracer: provider.getTracer('bench', '1.0.0'), flush: () => provider.forceFlush() };
  },
};

const opentelemetry: Subject = {
  name: 'OpenTelemetry JS',
  make(queue, batch) {
    const sink: OtelExporter = {
      export(spans: ReadableSpan[], done) {
        encodedBytes += ProtobufTraceSerializer.serializeRequest(spans)?.length ?? 0;
        done({ code: 0 });
      },
      shutdown: () => Promise.resolve(),
    };
    const processor = new OtelBatch(sink, { maxQueueSize: queue, maxExportBatchSize: batch, scheduledDelayMillis: 1e9 });
    const provider = new BasicTracerProvider({ sampler: new OtelAlwaysOn(), spanProcessors: [processor] });
    return { tracer: provider.getTracer('bench', '1.0.0'), flush: () => provider.forceFlush() };
  },
};

function makeSpan(tracer: Tracer, i: number): void {
  const span = tracer.startSpan('GET /api/orders/:id');
  span.setAttribute('http.request.method', 'GET');
  span.setAttribute('http.route', '/api/orders/:id');
  span.setAttribute('http.response.status_code', 200);
  span.setAttribute('server.address', 'orders.internal');
  span.setAttribute('user.id', i);
  span.end();
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

interface Cost {
  wall: number;
  cpu: number;
}

/**
 * Nanoseconds per span, of wall time and of this process's CPU time (steadier on a shared
 * machine): make SPANS spans, letting the batch processor export between batches.
 */
async function timePerSpan(subject: Subject): Promise<Cost> {
  const { tracer, flush } = subject.make(4 * BATCH, BATCH);
  for (let i = 0; i < 2000; i++) makeSpan(tracer, i); // warm the code paths up
  await flush();
  gc();
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < SPANS; i++) {
    makeSpan(tracer, i);
    if (i % BATCH === BATCH - 1) await tick();
  }
  await flush();
  const wall = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  return { wall: (wall * 1e6) / SPANS, cpu: ((cpu.user + cpu.system) * 1e3) / SPANS };
}

/** Bytes of heap per ended span waiting in the batch processor's queue. */
async function retainedPerSpan(subject: Subject): Promise<number> {
  const { tracer, flush } = subject.make(RETAINED_SPANS * 2, RETAINED_SPANS * 2);
  makeSpan(tracer, 0);
  await flush();
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < RETAINED_SPANS; i++) makeSpan(tracer, i);
  gc();
  gc();
  const after = process.memoryUsage().heapUsed;
  await flush();
  return (after - before) / RETAINED_SPANS;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const subjects = [opentelemetry, ariadne];
  const times = new Map<Subject, Cost[]>(subjects.map((s) => [s, []]));
  const heaps = new Map<Subject, number[]>(subjects.map((s) => [s, []]));
  for (let run = 0; run < RUNS; run++) {
    // Alternate the order so that neither always runs on a warmer or cooler machine.
    const order = run % 2 === 0 ? subjects : [...subjects].reverse();
    for (const s of order) times.get(s)!.push(await timePerSpan(s));
    for (const s of order) heaps.get(s)!.push(await retainedPerSpan(s));
  }
  const wall = (s: Subject) => median(times.get(s)!.map((c) => c.wall));
  const cpu = (s: Subject) => median(times.get(s)!.map((c) => c.cpu));
  const heap = (s: Subject) => median(heaps.get(s)!);
  const ratio = (f: (s: Subject) => number) => (f(ariadne) / f(opentelemetry)).toFixed(2);
  console.log(`${SPANS} spans per run, ${RUNS} interleaved runs, Node ${process.versions.node}; medians\n`);
  console.log('| SDK | wall ns per span | CPU ns per span | heap per queued span (bytes) |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const s of subjects) {
    console.log(`| ${s.name} | ${wall(s).toFixed(0)} | ${cpu(s).toFixed(0)} | ${heap(s).toFixed(0)} |`);
  }
  console.log(`| Ariadne / OpenTelemetry | ${ratio(wall)} | ${ratio(cpu)} | ${ratio(heap)} |`);
  const all = (s: Subject) => times.get(s)!.map((c) => c.cpu.toFixed(0)).join(' ');
  console.log(`\n(CPU ns per span, all runs: OpenTelemetry ${all(opentelemetry)}; Ariadne ${all(ariadne)}; ${encodedBytes} bytes encoded)`);
}

await main();
