/**
 * bench/ingest: end-to-end ingest of the all-in-one server, OTLP protobuf over HTTP in →
 * committed in DuckDB, with the server pinned to one core; compared in the same run with the
 * baseline "decode only" (the OTLP protobuf decoder alone, in this process), which bounds what
 * the pipeline could reach, and with the stream processors (RED metrics, service graph, error
 * groups) on and off. Prints a table of medians; see README.md.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { decodeOtlpProtobuf } from '../../packages/server/src/otlp/decode-otlp-protobuf.js';
import { eventually, startAriadne } from '../../test/e2e/start-ariadne.js';
import { makeWorkload, SPANS_PER_TRACE } from './workload.js';

const TRACES = Number(process.env.BENCH_TRACES ?? 40_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CONCURRENCY = 4;
const SPANS = TRACES * SPANS_PER_TRACE;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const hasTaskset = (() => {
  try {
    execFileSync('taskset', ['-c', '0', 'true']);
    return true;
  } catch {
    return false;
  }
})();

function dirBytes(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce(
    (n, e) => n + (e.isDirectory() ? dirBytes(join(dir, e.name)) : statSync(join(dir, e.name)).size),
    0,
  );
}

function decodeOnly(bodies: Uint8Array[]): number {
  const t0 = performance.now();
  let spans = 0;
  for (const body of bodies) spans += decodeOtlpProtobuf(body, 'default').batch.spans.length;
  const seconds = (performance.now() - t0) / 1000;
  if (spans !== SPANS) throw new Error(`decoded ${spans} spans, expected ${SPANS}`);
  return spans / seconds;
}

interface EndToEnd {
  spansPerSecond: number;
  bytesPerSpan: number;
  /** Time the ingester spent in its processors, as a share of the run's wall time. */
  processorShare: number;
}

async function endToEnd(bodies: Uint8Array[], processors: 'all' | 'none'): Promise<EndToEnd> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ariadne-bench-'));
  // The server gets core 0 alone (DuckDB's threads too); this process sends from the other core.
  const server = await startAriadne(dataDir, ['--log-level', 'info', '--processors', processors], hasTaskset ? ['taskset', '-c', '0'] : []);
  const url = `${server.otlpUrl}/v1/traces`;
  const stats = async () => ((await (await fetch(`${server.queryUrl}/api/v1/stats`)).json()) as { ingester: { spansWritten: number; processorMs: number } }).ingester;
  const written = async () => (await stats()).spansWritten;
  const t0 = performance.now();
  let next = 0;
  const sender = async () => {
    while (next < bodies.length) {
      const body = bodies[next++];
      for (;;) {
        const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/x-protobuf' } });
        await res.arrayBuffer();
        if (res.status === 200) break;
        if (res.status !== 503 && res.status !== 429) throw new Error(`receiver answered ${res.status}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, sender));
  await eventually(async () => ((await written()) >= SPANS ? true : undefined), 300_000);
  const seconds = (performance.now() - t0) / 1000;
  const processorShare = (await stats()).processorMs / 1000 / seconds;
  if ((await server.stop('SIGTERM')) !== 0) throw new Error('server did not stop cleanly');
  const bytesPerSpan = dirBytes(dataDir) / SPANS;
  rmSync(dataDir, { recursive: true, force: true });
  return { spansPerSecond: SPANS / seconds, bytesPerSpan, processorShare };
}

const bodies = makeWorkload(TRACES);
const wireBytes = bodies.reduce((n, b) => n + b.length, 0);
console.log(`workload: ${TRACES} traces, ${SPANS} spans, ${bodies.length} requests, ${(wireBytes / SPANS).toFixed(0)} protobuf bytes/span`);
console.log(`server pinned to one core: ${hasTaskset ? 'yes (taskset -c 0)' : 'no (taskset missing)'}; ${RUNS} interleaved runs\n`);

const decode: number[] = [];
const e2e: number[] = [];
const bare: number[] = [];
const size: number[] = [];
const inProcessors: number[] = [];
for (let run = 0; run < RUNS; run++) {
  decode.push(decodeOnly(bodies));
  const result = await endToEnd(bodies, 'all');
  const none = await endToEnd(bodies, 'none');
  e2e.push(result.spansPerSecond);
  bare.push(none.spansPerSecond);
  size.push(result.bytesPerSpan);
  inProcessors.push(result.processorShare);
  console.log(
    `run ${run + 1}: decode only ${decode[run].toFixed(0)} spans/s, end to end ${result.spansPerSecond.toFixed(0)} spans/s ` +
      `(processors off: ${none.spansPerSecond.toFixed(0)}), ${result.bytesPerSpan.toFixed(1)} bytes/span on disk, ` +
      `${(result.processorShare * 100).toFixed(1)}% of the time in processors`,
  );
}
const rows = [
  ['decode only (baseline)', median(decode), '1.00', '-'],
  ['end to end, 1 core, processors off', median(bare), (median(bare) / median(decode)).toFixed(2), '-'],
  ['end to end, 1 core, processors on', median(e2e), (median(e2e) / median(decode)).toFixed(2), median(size).toFixed(1)],
];
console.log('\n| path | spans/s (median) | ratio to baseline | bytes on disk per span |\n| --- | --- | --- | --- |');
for (const [name, rate, ratio, bytes] of rows) console.log(`| ${name} | ${Math.round(Number(rate)).toLocaleString('en')} | ${ratio} | ${bytes} |`);
console.log(
  `\nprocessors' share of the ingest path: ${((1 - median(e2e) / median(bare)) * 100).toFixed(1)}% by throughput (1 − on/off), ` +
    `${(median(inProcessors) * 100).toFixed(1)}% by the ingester's own clock`,
);
