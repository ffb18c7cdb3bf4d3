/**
 * bench/scale: ingest throughput of the scaled-out topology, as separate processes on this machine
 * (gateway → NATS JetStream → 1 or 2 ingesters → ClickHouse), OTLP protobuf posted straight to the
 * gateway; the clock stops when ClickHouse holds every span. Compared in the same run with the
 * baseline "ClickHouse write path alone" (the gateway's messages, decoded, written by one process
 * with `ClickHouseSpanStore.writeSpans`, one write in flight per partition) and with the gateway
 * publishing to NATS with no ingester running. Every process's CPU time over the measured interval
 * is read from /proc/<pid>/stat, so the table says which part is saturated. See README.md.
 */
import { readdirSync, readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { QueueSpanPublisher } from '../../packages/server/src/gateway/queue-span-publisher.js';
import { decodeOtlpProtobuf } from '../../packages/server/src/otlp/decode-otlp-protobuf.js';
import type { SpanBatch } from '../../packages/server/src/model/span.js';
import type { QueueProducer } from '../../packages/server/src/queue/queue.js';
import { decodeSpanBatch } from '../../packages/server/src/queue/span-batch-codec.js';
import { freePort } from '@ariadne/testing';
import { startNats, type RunningNats } from '../../packages/server/src/queue/testing/start-nats.js';
import { startClickHouseTestEngine, type ClickHouseTestEngine } from '../../packages/server/src/storage/clickhouse/clickhouse-test-engine.js';
import { ClickHouseSpanStore } from '../../packages/server/src/storage/clickhouse/clickhouse-span-store.js';
import { eventually } from '../../test/e2e/start-ariadne.js';
import { startRole, type RunningRole } from '../../test/e2e/start-role.js';
import { makeWorkload, SPANS_PER_TRACE } from '../ingest/workload.js';

const TRACES = Number(process.env.BENCH_TRACES ?? 2_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 8);
/** Requests in flight at the gateway, as a few agents would send. */
const CONCURRENCY = 4;
const SPANS = TRACES * SPANS_PER_TRACE;
const TOKEN = 'tok-bench-scale-0001';
const TICKS = 100; // USER_HZ: /proc/<pid>/stat times are in 1/100 s on Linux

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const progress = (msg: string) => process.stderr.write(`scale: ${msg}\n`);

// ---- CPU time of this process's children, from /proc ----

type Part = 'sender' | 'gateway' | 'ingester 1' | 'ingester 2' | 'NATS' | 'ClickHouse';
const PARTS: Part[] = ['sender', 'gateway', 'ingester 1', 'ingester 2', 'NATS', 'ClickHouse'];

/** utime + stime of a process (all its threads), in seconds; 0 once it is gone. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return 0;
  }
}

/** Time the process's threads spent runnable but waiting for a core (schedstat run delay), in seconds. */
function waitSeconds(pid: number): number {
  let ns = 0;
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[1]);
      } catch {
        // Thread gone meanwhile.
      }
    }
  } catch {
    return 0;
  }
  return ns / 1e9;
}

/** Children of this process whose command name matches (nats-server, the chDB fixture's python). */
function childPid(comm: RegExp): number | undefined {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === process.pid && comm.test(stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')))) return Number(name);
    } catch {
      // Gone meanwhile.
    }
  }
  return undefined;
}

interface Usage { cpu: number; wait: number }

class CpuMeter {
  private readonly start: Map<Part, Usage>;
  constructor(private readonly pids: Map<Part, number>) {
    this.start = this.now();
  }
  private now(): Map<Part, Usage> {
    return new Map([...this.pids].map(([part, pid]) => [part, { cpu: part === 'sender' ? selfCpu() : cpuSeconds(pid), wait: waitSeconds(pid) }]));
  }
  /** CPU seconds used by each part since the meter was made, and seconds it waited for a core. */
  read(): Map<Part, Usage> {
    return new Map([...this.now()].map(([part, u]) => [part, { cpu: u.cpu - this.start.get(part)!.cpu, wait: u.wait - this.start.get(part)!.wait }]));
  }
}
const selfCpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

// ---- the workload, and the messages the gateway makes of it ----

const bodies = makeWorkload(TRACES);
const wireBytes = bodies.reduce((n, b) => n + b.length, 0);
/** The queue messages the gateway publishes for these requests (split by trace, grouped by partition). */
async function gatewayMessages(): Promise<SpanBatch[]> {
  const messages: SpanBatch[] = [];
  const capture: QueueProducer = {
    start: async () => {},
    shutdown: async () => {},
    publish: async (_key, payload) => void messages.push(decodeSpanBatch(payload)),
  };
  const publisher = new QueueSpanPublisher(capture, PARTITIONS);
  for (const body of bodies) await publisher.consumeSpans(decodeOtlpProtobuf(body, 'bench').batch);
  return messages;
}
const messages = await gatewayMessages();

// ---- one measured configuration ----

interface Result {
  /** Spans per second until every request was answered 200 (published and acked by NATS). */
  publishRate: number;
  /** Spans per second until ClickHouse held every span (NaN when nothing was consumed). */
  endToEndRate: number;
  /** CPU seconds per part over the measured interval, and that interval's length. */
  cpu: Map<Part, Usage>;
  seconds: number;
  /** Span writes the ingesters made (their coalesced batches: one INSERT each), when they ran. */
  writes?: number;
}

async function countSpans(clickhouse: ClickHouseTestEngine): Promise<number> {
  const res = await fetch(`${clickhouse.url}/?database=ariadne`, { method: 'POST', body: 'SELECT count() FROM spans' });
  if (res.status !== 200) return 0; // table not made yet
  return Number((await res.text()).trim());
}

async function postAll(url: string): Promise<void> {
  let next = 0;
  const sender = async () => {
    while (next < bodies.length) {
      const body = bodies[next++];
      for (;;) {
        const res = await fetch(url, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/x-protobuf', authorization: `Bearer ${TOKEN}` },
        });
        await res.arrayBuffer();
        if (res.status === 200) break;
        if (res.status !== 503 && res.status !== 429) throw new Error(`gateway answered ${res.status}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, sender));
}

/** Gateway → NATS → `ingesters` ingesters → ClickHouse; with 0 ingesters, the gateway's publishing alone. */
async function scaledOut(ingesters: number): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'ariadne-bench-scale-'));
  const tokens = join(dir, 'tokens.json');
  writeFileSync(tokens, JSON.stringify({ [TOKEN]: { tenant: 'bench', project: 'scale' } }));
  let nats: RunningNats | undefined;
  let clickhouse: ClickHouseTestEngine | undefined;
  const roles: RunningRole[] = [];
  try {
    [nats, clickhouse] = await Promise.all([startNats(), startClickHouseTestEngine()]);
    const queue = ['--queue', 'nats', '--nats-url', nats.url, '--queue-partitions', String(PARTITIONS)];
    const port = await freePort();
    const gateway = await startRole('gateway', [...queue, '--tokens-file', tokens, '--otlp-http-port', String(port)], /^gateway listening/);
    roles.push(gateway);
    const pids = new Map<Part, number>([['sender', process.pid], ['gateway', gateway.child.pid!], ['NATS', childPid(/^nats-server$/)!]]);
    for (let i = 0; i < ingesters; i++) {
      const args = [...queue, '--storage', 'clickhouse', '--clickhouse-url', clickhouse.url, '--data-dir', mkdtempSync(join(dir, 'ing-'))];
      const ingester = await startRole('ingester', args, /^ingester ready/);
      roles.push(ingester);
      pids.set(`ingester ${i + 1}` as Part, ingester.child.pid!);
    }
    if (ingesters > 0) pids.set('ClickHouse', childPid(/^python/)!);
    const meter = new CpuMeter(pids);
    const t0 = performance.now();
    await postAll(`http://127.0.0.1:${port}/v1/traces`);
    const published = (performance.now() - t0) / 1000;
    if (ingesters === 0) return { publishRate: SPANS / published, endToEndRate: NaN, cpu: meter.read(), seconds: published };
    await eventually(async () => {
      if ((await countSpans(clickhouse!)) >= SPANS) return true;
      await new Promise((r) => setTimeout(r, 200));
      return undefined;
    }, 600_000);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = meter.read();
    const ingesterRoles = roles.slice(1);
    await Promise.all(ingesterRoles.map((r) => r.stop('SIGTERM')));
    const writes = ingesterRoles
      .map((r) => r.logs.find((l) => l.msg === 'ingester stopped')?.batches as { writes?: number } | undefined)
      .reduce((n, b) => n + (b?.writes ?? NaN), 0);
    return { publishRate: SPANS / published, endToEndRate: SPANS / seconds, cpu, seconds, writes };
  } finally {
    await Promise.allSettled(roles.map((r) => r.stop('SIGTERM')));
    await Promise.allSettled([nats?.stop(), clickhouse?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Baseline: spans written by this one process straight into ClickHouse, `inFlight` writes at a
 * time: the gateway's messages (one INSERT per message, as the ingesters do) or whole requests.
 */
async function clickHouseAlone(batches: SpanBatch[], inFlight: number): Promise<Result> {
  const clickhouse = await startClickHouseTestEngine();
  try {
    const store = await ClickHouseSpanStore.open({ url: clickhouse.url, database: 'ariadne' });
    const meter = new CpuMeter(new Map<Part, number>([['sender', process.pid], ['ClickHouse', childPid(/^python/)!]]));
    const t0 = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: inFlight }, async () => {
      while (next < batches.length) await store.writeSpans(batches[next++]);
    }));
    const seconds = (performance.now() - t0) / 1000;
    const cpu = meter.read();
    await store.shutdown();
    const stored = await countSpans(clickhouse);
    if (stored !== SPANS) throw new Error(`ClickHouse holds ${stored} spans, expected ${SPANS}`);
    return { publishRate: NaN, endToEndRate: SPANS / seconds, cpu, seconds };
  } finally {
    await clickhouse.stop();
  }
}

// ---- runs and the tables ----

const requests = bodies.map((body) => decodeOtlpProtobuf(body, 'bench').batch);
const CONFIGS = [
  { name: `ClickHouse write path alone, 1 process, the gateway's messages, ${PARTITIONS} in flight (baseline)`, run: () => clickHouseAlone(messages, PARTITIONS) },
  { name: 'ClickHouse write path alone, 1 process, 500-span INSERTs, 1 in flight', run: () => clickHouseAlone(requests, 1) },
  { name: 'gateway → NATS only, no ingester', run: () => scaledOut(0) },
  { name: 'end to end, 1 ingester', run: () => scaledOut(1) },
  { name: 'end to end, 2 ingesters', run: () => scaledOut(2) },
];

console.log(
  `workload: ${TRACES} traces, ${SPANS} spans, ${bodies.length} requests of 500 spans (${(wireBytes / SPANS).toFixed(0)} protobuf B/span), ` +
    `${PARTITIONS} partitions → ${messages.length} queue messages (${(SPANS / messages.length).toFixed(0)} spans each)`,
);
console.log(`machine: ${readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm)?.length ?? '?'} cores, load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} at start; ${RUNS} interleaved runs\n`);

const results = CONFIGS.map(() => [] as Result[]);
for (let run = 0; run < RUNS; run++) {
  for (const [i, config] of CONFIGS.entries()) {
    progress(`run ${run + 1}/${RUNS}: ${config.name}`);
    const r = await config.run();
    results[i].push(r);
    const cpu = [...r.cpu].map(([part, u]) => `${part} ${u.cpu.toFixed(1)}s (+${u.wait.toFixed(1)}s waiting)`).join(', ');
    const writes = r.writes === undefined ? '' : `; ${r.writes} ingester writes`;
    progress(`  ${r.seconds.toFixed(1)} s${writes}; publish ${r.publishRate.toFixed(0)} spans/s, stored ${r.endToEndRate.toFixed(0)} spans/s; CPU ${cpu}`);
  }
}
console.log(`load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} at the end\n`);

const fmt = (x: number) => (Number.isNaN(x) ? '-' : Math.round(x).toLocaleString('en'));
const baseline = median(results[0].map((r) => r.endToEndRate));
console.log('| path | stored spans/s (median) | ratio to baseline | gateway publish spans/s (median) |');
console.log('| --- | ---: | ---: | ---: |');
for (const [i, config] of CONFIGS.entries()) {
  const stored = median(results[i].map((r) => r.endToEndRate));
  const ratio = Number.isNaN(stored) ? '-' : (stored / baseline).toFixed(2);
  console.log(`| ${config.name} | ${fmt(stored)} | ${ratio} | ${fmt(median(results[i].map((r) => r.publishRate)))} |`);
}

const PART_NAMES = PARTS.map((p) => (p === 'sender' ? 'this process' : p));
console.log(
  '\nPer process over the measured interval, % of one core: CPU used / runnable but waiting for a core ' +
    '(median; the machine has 2 cores, so 200% in all):\n',
);
console.log(`| path | ${PART_NAMES.join(' | ')} | total CPU |`);
console.log(`| --- |${PARTS.map(() => ' ---: |').join('')} ---: |`);
for (const [i, config] of CONFIGS.entries()) {
  const share = (part: Part, key: keyof Usage) => {
    const xs = results[i].filter((r) => r.cpu.has(part)).map((r) => (r.cpu.get(part)![key] / r.seconds) * 100);
    return xs.length ? median(xs) : NaN;
  };
  const cells = PARTS.map((p) => (Number.isNaN(share(p, 'cpu')) ? '-' : `${share(p, 'cpu').toFixed(0)} / ${share(p, 'wait').toFixed(0)}`));
  const total = PARTS.map((p) => share(p, 'cpu')).filter((x) => !Number.isNaN(x)).reduce((a, b) => a + b, 0);
  console.log(`| ${config.name} | ${cells.join(' | ')} | ${total.toFixed(0)}% |`);
}
console.log('\nCPU seconds per 10,000 spans (median):\n');
console.log(`| path | ${PART_NAMES.join(' | ')} |`);
console.log(`| --- |${PARTS.map(() => ' ---: |').join('')}`);
for (const [i, config] of CONFIGS.entries()) {
  const per = (part: Part) => {
    const xs = results[i].filter((r) => r.cpu.has(part)).map((r) => (r.cpu.get(part)!.cpu / SPANS) * 10_000);
    return xs.length ? median(xs).toFixed(2) : '-';
  };
  console.log(`| ${config.name} | ${PARTS.map(per).join(' | ')} |`);
}

console.log('\nIngester span writes (INSERTs into spans) per run, and spans per write (median):\n');
console.log('| path | writes | spans per write |');
console.log('| --- | ---: | ---: |');
for (const [i, config] of CONFIGS.entries()) {
  const writes = results[i].map((r) => r.writes).filter((w): w is number => w !== undefined);
  if (writes.length === 0) continue;
  const w = median(writes);
  console.log(`| ${config.name} | ${fmt(w)} | ${fmt(SPANS / w)} |`);
}
