/**
 * bench/sdk-spans: the SDK's cost per span (start, 5 attributes, end, batched and encoded as an
 * OTLP protobuf request) and the heap a queued span retains, Ariadne vs OpenTelemetry JS
 * (BasicTracerProvider + BatchSpanProcessor + ProtobufTraceSerializer), in one run with
 * interleaved repetitions. The encoded requests go to a no-op sink: network is out of it.
 * Each measurement runs in a fresh process (this file with `--child <sdk>`), so that neither SDK
 * pays for the other's garbage or compiled code. Prints a table of medians; see README.md.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
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

const SPANS = Number(process.env.BENCH_SPANS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const RETAINED_SPANS = 2000;
const WARMUP_SPANS = 20_000;
const BATCH = 512;

setFlagsFromString('--expose-gc');
const gc = (globalThis as { gc?: () => void }).gc ?? (runInNewContext('gc') as () => void);

let encodedBytes = 0;

interface Subject {
  name: string;
  /** A tracer whose batch processor queues up to `queue` spans and exports `batch` at a time. */
  make(queue: number, batch: number): { tracer: Tracer; flush(): Promise<void> };
  /** The workload: start, 5 attributes, end. */
  makeSpan(tracer: Tracer, i: number): void;
}

// Each SDK gets its own copy of the workload function, so that its call sites see one SDK only
// (monomorphic), as in an application; a shared copy would make both pay for polymorphism.
function makeSpanAriadne(tracer: Tracer, i: number): void {
  const span = tracer.startSpan('GET /api/orders/:id');
  span.setAttribute('http.request.method', 'GET');
  span.setAttribute('http.route', '/api/orders/:id');
  span.setAttribute('http.response.status_code', 200);
  span.setAttribute('server.address', 'orders.internal');
  span.setAttribute('user.id', i);
  span.end();
}

function makeSpanOpenTelemetry(tracer: Tracer, i: number): void {
  const span = tracer.startSpan('GET /api/orders/:id');
  span.setAttribute('http.request.method', 'GET');
  span.setAttribute('http.route', '/api/orders/:id');
  span.setAttribute('http.response.status_code', 200);
  span.setAttribute('server.address', 'orders.internal');
  span.setAttribute('user.id', i);
  span.end();
}

const resourceAttributes = { 'service.name': 'bench', 'host.name': 'bench-host', 'process.pid': 1234 };

const ariadne: Subject = {
  name: 'Ariadne',
  makeSpan: makeSpanAriadne,
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
  makeSpan: makeSpanOpenTelemetry,
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
  const makeSpan = subject.makeSpan;
  for (let i = 0; i < WARMUP_SPANS; i++) makeSpan(tracer, i); // warm the code paths up (JIT)
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
  const makeSpan = subject.makeSpan;
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

interface Measurement {
  cost: Cost;
  heap: number;
}

/** One measurement of one SDK, in a fresh process. */
function measureInChild(subject: Subject): Measurement {
  const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', subject.name], {
    env: process.env,
    encoding: 'utf8',
  });
  return JSON.parse(out) as Measurement;
}

async function main(): Promise<void> {
  const subjects = [opentelemetry, ariadne];
  const runs = new Map<Subject, Measurement[]>(subjects.map((s) => [s, []]));
  for (let run = 0; run < RUNS; run++) {
    // Alternate the order so that neither always runs on a warmer or cooler machine.
    const order = run % 2 === 0 ? subjects : [...subjects].reverse();
    for (const s of order) runs.get(s)!.push(measureInChild(s));
  }
  const wall = (s: Subject) => median(runs.get(s)!.map((m) => m.cost.wall));
  const cpu = (s: Subject) => median(runs.get(s)!.map((m) => m.cost.cpu));
  const heap = (s: Subject) => median(runs.get(s)!.map((m) => m.heap));
  const ratio = (f: (s: Subject) => number) => (f(ariadne) / f(opentelemetry)).toFixed(2);
  console.log(`${SPANS} spans per run, ${RUNS} interleaved runs, Node ${process.versions.node}; medians\n`);
  console.log('| SDK | wall ns per span | CPU ns per span | heap per queued span (bytes) |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const s of subjects) {
    console.log(`| ${s.name} | ${wall(s).toFixed(0)} | ${cpu(s).toFixed(0)} | ${heap(s).toFixed(0)} |`);
  }
  console.log(`| Ariadne / OpenTelemetry | ${ratio(wall)} | ${ratio(cpu)} | ${ratio(heap)} |`);
  const all = (s: Subject) => runs.get(s)!.map((m) => m.cost.wall.toFixed(0)).join(' ');
  console.log(`\n(wall ns per span, all runs: OpenTelemetry ${all(opentelemetry)}; Ariadne ${all(ariadne)})`);
}

const child = process.argv.indexOf('--child');
if (child === -1) {
  await main();
} else {
  const subject = [opentelemetry, ariadne].find((s) => s.name === process.argv[child + 1])!;
  const cost = await timePerSpan(subject);
  const heap = await retainedPerSpan(subject);
  if (encodedBytes === 0) throw new Error('nothing was encoded');
  console.log(JSON.stringify({ cost, heap }));
}
