/**
 * bench/http-overhead: what zero-code tracing costs an HTTP service, untraced (the baseline) vs
 * Ariadne (`--import @ariadne/sdk/register`) vs OpenTelemetry (`--require
 * @opentelemetry/auto-instrumentations-node/register`, OTLP/HTTP protobuf) vs dd-trace (`--require
 * dd-trace/init`), in one run with interleaved repetitions: requests/s and p99 latency of a
 * hello-world server and of a serverA -> serverB pair (alone, and paired at the same moment with an
 * untraced server), RSS after a longer load, and the wall time of `node <preload> -e 0`; beside them the floor (floor.cjs: AsyncLocalStorage and one small record per
 * request, what any tracer built on it pays at least) and lean (lean-tracer.cjs: the floor plus
 * spans recorded and exported as OTLP, what any tracer that exports them pays at least). Servers
 * run on core 1, the load generator and the span sink on core 0.
 * Every traced variant samples every request and must deliver spans to the sink, or the bench
 * fails. Progress on stderr, the table on stdout; see README.md.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startSpanSink } from './span-sink.js';
import type { SpanSink } from './span-sink.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('../../', import.meta.url));
const serverScript = `${here}server.cjs`;
const loadScript = `${here}load.ts`;

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string' },
    warmup: { type: 'string' },
    reps: { type: 'string' },
    'startup-runs': { type: 'string' },
    'memory-duration': { type: 'string' },
    connections: { type: 'string' },
    variants: { type: 'string' },
    paired: { type: 'string' },
  },
});
const opt = (flag: string | undefined, env: string, dflt: number) => Number(flag ?? process.env[env] ?? dflt);
const DURATION = opt(flags.duration, 'BENCH_DURATION', 3); // seconds measured per load run
const WARMUP = opt(flags.warmup, 'BENCH_WARMUP', 3); // seconds of load dropped before each
const REPS = opt(flags.reps, 'BENCH_REPS', 4);
const STARTUP_RUNS = opt(flags['startup-runs'], 'BENCH_STARTUP_RUNS', 5); // per variant per rep
// Seconds of hello-world load for the memory figure, one run per variant: long enough for V8 to
// reach the young generation it keeps under load (untraced too: about 10 s here), which the
// short runs would catch some variants before and others after.
const MEMORY_DURATION = opt(flags['memory-duration'], 'BENCH_MEMORY_DURATION', 20);
// 1: each rep also runs every variant at the same time as an untraced server (see measureServe).
const PAIRED = opt(flags.paired, 'BENCH_PAIRED', 1) !== 0;
const CONNECTIONS = opt(flags.connections, 'BENCH_CONNECTIONS', 100); // enough to keep a server busy between scheduler slices
const SERVER_CORE = '1';
const LOAD_CORE = '0';

interface Variant {
  name: string;
  nodeArgs: string[];
  traced: boolean;
  /** A lower bound to read the tracers against, run whatever --variants says. */
  reference?: true;
  /** Which configuration environment the preload reads. */
  env: 'none' | 'otel' | 'datadog';
}

const ALL_VARIANTS: Variant[] = [
  { name: 'untraced', nodeArgs: [], traced: false, env: 'none' },
  { name: 'floor', nodeArgs: ['--require', `${here}floor.cjs`], traced: false, reference: true, env: 'none' },
  { name: 'lean', nodeArgs: ['--require', `${here}lean-tracer.cjs`], traced: true, reference: true, env: 'otel' },
  { name: 'Ariadne', nodeArgs: ['--import', '@ariadne/sdk/register'], traced: true, env: 'otel' },
  { name: 'OpenTelemetry', nodeArgs: ['--require', '@opentelemetry/auto-instrumentations-node/register'], traced: true, env: 'otel' },
  { name: 'dd-trace', nodeArgs: ['--require', 'dd-trace/init'], traced: true, env: 'datadog' },
];
const wanted = (flags.variants ?? process.env.BENCH_VARIANTS)?.split(',').map((s) => s.trim().toLowerCase());
const variants = ALL_VARIANTS.filter((v) => !v.traced || v.reference || !wanted || wanted.includes(v.name.toLowerCase()));

/** This environment without any tracer configuration or NODE_OPTIONS. */
function untracedEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(OTEL_|DD_)/.test(k)) env[k] = v;
  env.NODE_OPTIONS = '';
  return env;
}

/**
 * Each tracer configured by its own environment only (dd-trace also reads OTEL_* variables and
 * would, for example, export OTLP elsewhere): every request traced, exported to the sink, the
 * OpenTelemetry SDK's batching defaults spelled out for Ariadne and OpenTelemetry alike.
 */
function tracerEnv(variant: Variant, sink: SpanSink, service: string): NodeJS.ProcessEnv {
  const env = untracedEnv();
  if (variant.env === 'otel') {
    Object.assign(env, {
      OTEL_SERVICE_NAME: service,
      OTEL_TRACES_SAMPLER: 'always_on',
      OTEL_PROPAGATORS: 'tracecontext,baggage',
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_BSP_SCHEDULE_DELAY: '5000',
      OTEL_BSP_MAX_QUEUE_SIZE: '2048',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '512',
      // The cloud detectors would probe metadata endpoints that do not exist here.
      OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os,process',
    });
  } else if (variant.env === 'datadog') {
    Object.assign(env, {
      DD_SERVICE: service,
      DD_TRACE_AGENT_URL: sink.url,
      DD_TRACE_STARTUP_LOGS: 'false',
      // Endpoints of the real agent that the sink does not stand in for.
      DD_REMOTE_CONFIGURATION_ENABLED: 'false',
      DD_INSTRUMENTATION_TELEMETRY_ENABLED: 'false',
    });
  }
  return env;
}

const log = (msg: string) => process.stderr.write(`${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

interface Proc {
  child: ChildProcess;
  stderr: () => string;
}

async function startServer(variant: Variant, sink: SpanSink, service: string, port: number, upstream?: string): Promise<Proc> {
  const env = { ...tracerEnv(variant, sink, service), PORT: String(port), ...(upstream ? { UPSTREAM: upstream } : {}) };
  const child = spawn('taskset', ['-c', SERVER_CORE, process.execPath, ...variant.nodeArgs, serverScript], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-4000)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${variant.name} ${service} did not listen within 30 s:\n${err}`)), 30_000);
    child.stdout!.on('data', (c: Buffer) => {
      if (c.toString().includes('listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${variant.name} ${service} exited (${code}) before listening:\n${err}`));
    });
  });
  return { child, stderr: () => err };
}

async function stopServer(p: Proc): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  const exited = new Promise((r) => p.child.once('exit', r));
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Resident set of a process in MB, from /proc. */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

interface LoadResult {
  requests: number;
  warmupRequests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

/** CPU time (user + system) a process has used so far, in ms. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

interface LoadWindow {
  warmup: number;
  duration: number;
}
const MEASURED: LoadWindow = { warmup: WARMUP, duration: DURATION };

function runLoad(url: string, window: LoadWindow, onMeasuring: () => void, onTick: () => void): Promise<LoadResult> {
  const args = ['-c', LOAD_CORE, process.execPath, '--import', 'tsx', loadScript, url, String(CONNECTIONS), String(window.warmup), String(window.duration)];
  const child = spawn('taskset', args, { cwd: root, env: untracedEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => {
    const before = out;
    out += c.toString();
    if (!before.includes('measuring\n') && out.includes('measuring\n')) onMeasuring();
  });
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const ticker = setInterval(onTick, 250);
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => {
      clearInterval(ticker);
      if (code !== 0) return reject(new Error(`load generator failed (${code}):\n${err}`));
      resolve(JSON.parse(out.trim().split('\n').pop()!) as LoadResult);
    });
  });
}

interface ServeResult extends LoadResult {
  /** Peak resident set of the (front) server during the load. */
  rssMb: number;
  /** CPU time of the server process(es) per request in the measured window, µs. */
  cpuUsPerRequest: number;
  spans: number;
  expectedSpans: number;
}

/** One variant's server(s) running: the front one (hello or serverA) first. */
interface Deployment {
  procs: Proc[];
  port: number;
}

async function deploy(variant: Variant, sink: SpanSink, pair: boolean): Promise<Deployment> {
  const procs: Proc[] = [];
  try {
    let upstream: string | undefined;
    if (pair) {
      const portB = await freePort();
      procs.push(await startServer(variant, sink, 'server-b', portB));
      upstream = `http://127.0.0.1:${portB}/`;
    }
    const port = await freePort();
    procs.unshift(await startServer(variant, sink, pair ? 'server-a' : 'hello', port, upstream));
    return { procs, port };
  } catch (err) {
    for (const p of procs) p.child.kill('SIGKILL');
    throw err;
  }
}

/**
 * Starts the server(s) of each variant of `group` at once on the server core, loads each with its
 * own load generator over the same window, stops them (letting tracers flush) and counts spans.
 * One variant alone measures it; two at once share the core at the same moment, so the ratio of
 * their requests/s does not move with the machine's load as runs one after the other do. The
 * sink counts spans of all servers: at most one variant of a group may be traced.
 */
async function measureServe(group: Variant[], sink: SpanSink, pair: boolean, window = MEASURED): Promise<ServeResult[]> {
  if (group.filter((v) => v.traced).length > 1) throw new Error('measureServe: one traced variant at a time');
  const spansBefore = sink.spans();
  const deployments: Deployment[] = [];
  try {
    for (const v of group) deployments.push(await deploy(v, sink, pair));
    const rss = group.map(() => 0);
    const cpuAtStart = group.map(() => NaN);
    const cpuNow = (d: Deployment) => d.procs.reduce((a, p) => a + cpuMs(p.child.pid!), 0);
    const loads = await Promise.all(
      deployments.map((d, i) =>
        runLoad(`http://127.0.0.1:${d.port}/`, window, () => (cpuAtStart[i] = cpuNow(d)), () => {
          try {
            rss[i] = Math.max(rss[i], rssMb(d.procs[0].child.pid!));
          } catch {
            // the process is gone; the load run will report it
          }
        }),
      ),
    );
    const cpuUsPerRequest = deployments.map((d, i) => ((cpuNow(d) - cpuAtStart[i]) * 1000) / loads[i].requests);
    for (const d of deployments) for (const p of d.procs) await stopServer(p);
    await sleep(300);
    const spans = sink.spans() - spansBefore;
    return group.map((variant, i) => {
      const load = loads[i];
      const perRequest = pair ? 3 : 1; // A's server span, A's client span, B's server span
      // Requests still in flight when the warm-up and the measured window end are answered (and
      // traced) but not counted by the load generator: at most one per connection each time.
      const inFlight = (window.warmup > 0 ? 2 : 1) * CONNECTIONS;
      const expectedSpans = (load.requests + load.warmupRequests + inFlight) * perRequest;
      if (load.errors > 0 || load.non2xx > 0) log(`  warning: ${variant.name}: ${load.errors} errors, ${load.non2xx} non-2xx answers`);
      if (variant.traced && spans === 0) {
        throw new Error(
          `${variant.name} delivered no spans to the sink (${pair ? 'A->B' : 'hello-world'}, ${load.requests} requests). ` +
            `Server stderr:\n${deployments[i].procs.map((p) => p.stderr()).join('\n')}`,
        );
      }
      return { ...load, rssMb: rss[i], cpuUsPerRequest: cpuUsPerRequest[i], spans: variant.traced ? spans : 0, expectedSpans };
    });
  } finally {
    for (const d of deployments) for (const p of d.procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  }
}

/** Wall time of `node <preload> -e 0` on the server core, in ms. */
async function measureStartup(variant: Variant, sink: SpanSink): Promise<number> {
  const env = tracerEnv(variant, sink, 'startup');
  const t0 = process.hrtime.bigint();
  const child = spawn('taskset', ['-c', SERVER_CORE, process.execPath, ...variant.nodeArgs, '-e', '0'], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await new Promise((r) => child.on('exit', r));
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (code !== 0) throw new Error(`${variant.name}: node -e 0 exited ${code}:\n${err}`);
  return ms;
}

interface Samples {
  hello: ServeResult[];
  pair: ServeResult[];
  /** Requests/s over the untraced server's, run at the same time (the untraced variant: with another untraced server). */
  helloPaired: number[];
  pairPaired: number[];
  /** Requests/s of the untraced server of each of those pairs. */
  helloPartner: number[];
  pairPartner: number[];
  startup: number[];
  /** Peak RSS under the long hello-world load, MB. */
  memory: number;
}

function rotate<T>(xs: T[], by: number): T[] {
  const k = by % xs.length;
  return [...xs.slice(k), ...xs.slice(0, k)];
}

async function main(): Promise<void> {
  // The bench process hosts the sink; it shares core 0 with the load generator.
  execFileSync('taskset', ['-a', '-p', '-c', LOAD_CORE, String(process.pid)], { stdio: 'ignore' });
  const sink = await startSpanSink();
  const samples = new Map<string, Samples>(variants.map((v) => [v.name, { hello: [], pair: [], helloPaired: [], pairPaired: [], helloPartner: [], pairPartner: [], startup: [], memory: NaN }]));
  const started = Date.now();
  log(
    `http-overhead: ${REPS} reps x ${variants.length} variants; load ${WARMUP}s warm-up + ${DURATION}s, ` +
      `${CONNECTIONS} connections; ${STARTUP_RUNS} startup runs per variant per rep; memory ${MEMORY_DURATION}s per variant; loadavg ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
  );
  try {
    // One untimed start each first, so that no variant pays for a cold file cache in the table.
    for (const v of variants) await measureStartup(v, sink);
    for (let rep = 0; rep < REPS; rep++) {
      const order = rotate(variants, rep);
      for (let i = 0; i < STARTUP_RUNS; i++) {
        for (const v of i % 2 ? [...order].reverse() : order) samples.get(v.name)!.startup.push(await measureStartup(v, sink));
      }
      log(`rep ${rep + 1}/${REPS} startup: ${order.map((v) => `${v.name} ${median(samples.get(v.name)!.startup).toFixed(1)} ms`).join(', ')}`);
      for (const pair of [false, true]) {
        for (const v of pair ? [...order].reverse() : order) {
          const [r] = await measureServe([v], sink, pair);
          samples.get(v.name)![pair ? 'pair' : 'hello'].push(r);
          log(
            `rep ${rep + 1}/${REPS} ${pair ? 'A->B ' : 'hello'} ${v.name.padEnd(13)} ${r.rps.toFixed(0).padStart(6)} req/s  ` +
              `p99 ${r.p99Ms.toFixed(2)} ms  CPU ${r.cpuUsPerRequest.toFixed(1)} us/req  RSS ${r.rssMb.toFixed(1)} MB  spans ${r.spans}/${r.expectedSpans}  (${((Date.now() - started) / 1000).toFixed(0)} s)`,
          );
        }
        if (!PAIRED) continue;
        for (const v of pair ? [...order].reverse() : order) {
          // Which of the two starts first alternates from rep to rep.
          const group = rep % 2 ? [v, variants[0]] : [variants[0], v];
          const [first, second] = await measureServe(group, sink, pair);
          const [traced, base] = rep % 2 ? [first, second] : [second, first];
          const ratio = traced.rps / base.rps;
          samples.get(v.name)![pair ? 'pairPaired' : 'helloPaired'].push(ratio);
          samples.get(v.name)![pair ? 'pairPartner' : 'helloPartner'].push(base.rps);
          log(
            `rep ${rep + 1}/${REPS} ${pair ? 'A->B ' : 'hello'} ${v.name.padEnd(13)} paired with untraced: ${traced.rps.toFixed(0)} / ${base.rps.toFixed(0)} req/s = x${ratio.toFixed(3)}  ` +
              `spans ${traced.spans}/${v.traced ? traced.expectedSpans : 0}  (${((Date.now() - started) / 1000).toFixed(0)} s)`,
          );
        }
      }
    }
    if (MEMORY_DURATION > 0) {
      for (const v of variants) {
        const [r] = await measureServe([v], sink, false, { warmup: 0, duration: MEMORY_DURATION });
        samples.get(v.name)!.memory = r.rssMb;
        log(`memory ${v.name.padEnd(13)} peak RSS ${r.rssMb.toFixed(1)} MB over ${MEMORY_DURATION} s of hello-world load  (${((Date.now() - started) / 1000).toFixed(0)} s)`);
      }
    }
  } finally {
    await sink.close();
  }
  if (sink.badRequests() > 0) throw new Error(`the sink could not read ${sink.badRequests()} export requests`);
  printTable(samples);
}

function printTable(samples: Map<string, Samples>): void {
  const baseVariant = variants[0];
  const base = samples.get(baseVariant.name)!;
  const f = (x: number, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
  const plus = (x: number, d = 1) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${x.toFixed(d)}` : 'n/a');
  const pct = (x: number) => `${f(100 * x)}%`;
  /**
   * A pair shows CPU per request only when each server gets half the core. The untraced server's
   * requests/s beside `v`, over its requests/s beside another untraced server, tells whether `v`
   * took more (its own busy threads, say).
   */
  const partnerShare = (v: Variant, which: 'hello' | 'pair') => {
    const key = which === 'hello' ? 'helloPartner' : 'pairPartner';
    return median(samples.get(v.name)![key]) / median(base[key]);
  };
  const greedy = (v: Variant, which: 'hello' | 'pair') => PAIRED && partnerShare(v, which) < 0.9;
  /** Median over reps of variant/untraced in the same rep. */
  const perRep = (s: ServeResult[], b: ServeResult[], key: 'rps' | 'cpuUsPerRequest') => median(s.map((r, i) => r[key] / b[i][key]));
  const table = (head: string[], body: string[][]) =>
    [`| ${head.join(' | ')} |`, `| --- | ${head.slice(1).map(() => '---:').join(' | ')} |`, ...body.map((r) => `| ${r.join(' | ')} |`)].join('\n');
  const serveRows = (which: 'hello' | 'pair') =>
    variants.map((v) => {
      const s = samples.get(v.name)![which];
      const b = base[which];
      const row = [
        v.name,
        f(median(s.map((r) => r.rps))),
        f(perRep(s, b, 'rps'), 2),
        ...(PAIRED ? [`${f(median(samples.get(v.name)![which === 'hello' ? 'helloPaired' : 'pairPaired']), 2)}${greedy(v, which) ? ' (!)' : ''}`] : []),
        f(median(s.map((r) => r.p50Ms)), 2),
        f(median(s.map((r) => r.p99Ms)), 2),
        f(median(s.map((r) => r.cpuUsPerRequest)), 1),
        f(perRep(s, b, 'cpuUsPerRequest'), 2),
      ];
      const expected = s.reduce((a, r) => a + r.expectedSpans, 0);
      row.push(v.traced ? pct(s.reduce((a, r) => a + r.spans, 0) / expected) : '');
      return row;
    });
  const serveNote = (which: 'hello' | 'pair') => {
    const notes = variants
      .filter((v) => greedy(v, which))
      .map((v) => `${v.name}'s untraced partner got ${pct(partnerShare(v, which))} of the requests/s it gets beside another untraced server`);
    return notes.length === 0
      ? []
      : ['', `(!) ${notes.join('; ')}: more than half the core went to the variant, so its paired ratio overstates it.`];
  };
  const serveHead = ['variant', 'req/s', 'x untraced', ...(PAIRED ? ['x untraced, paired'] : []), 'p50 ms', 'p99 ms', 'server CPU us/req', 'x untraced'];
  const baseStartup = median(base.startup);
  const aims = variants
    .filter((v) => v !== baseVariant)
    .map((v) => {
      const s = samples.get(v.name)!;
      const hello = perRep(s.hello, base.hello, 'rps');
      const helloCpu = 1 / perRep(s.hello, base.hello, 'cpuUsPerRequest');
      const pair = perRep(s.pair, base.pair, 'rps');
      const pairCpu = 1 / perRep(s.pair, base.pair, 'cpuUsPerRequest');
      const startup = median(s.startup) - baseStartup;
      const rss = s.memory - base.memory;
      const ok = (b: boolean) => (b ? 'met' : 'missed');
      /** "paired / req/s / CPU (verdicts)": the paired ratio first, when measured. */
      const ratios = (aim: number, xs: number[]) => {
        const shown = PAIRED ? xs : xs.slice(1);
        return `${shown.map(pct).join(' / ')} (${shown.map((x) => ok(x >= aim)).join(' / ')})`;
      };
      return [
        v.name,
        ratios(0.8, [median(s.helloPaired), hello, helloCpu]),
        ratios(0.85, [median(s.pairPaired), pair, pairCpu]),
        `${plus(startup)} ms (${ok(startup < 25)})`,
        MEMORY_DURATION > 0 ? `${plus(rss)} MB (${ok(rss < 15)})` : 'not measured',
      ];
    });
  const out = [
    `http-overhead: ${REPS} reps, ${WARMUP} s warm-up + ${DURATION} s per load run, ${CONNECTIONS} connections, ` +
      `${REPS * STARTUP_RUNS} startup runs per variant; medians; "x untraced" is the median over reps of the ratio ` +
      `to the untraced run of the same rep${PAIRED ? '; "paired": of the requests/s of the variant and of an untraced server run at the same time, sharing the core (the untraced row: two untraced servers)' : ''}; loadavg at the end ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
    '',
    'Hello-world server (one process on one core):',
    '',
    table([...serveHead, 'spans delivered'], serveRows('hello')),
    ...serveNote('hello'),
    '',
    'serverA -> serverB (both on one core; A calls B with http.get per request; CPU is A + B):',
    '',
    table([...serveHead, 'spans delivered'], serveRows('pair')),
    ...serveNote('pair'),
    '',
    'Startup, `node <preload> -e 0` wall time:',
    '',
    table(
      ['variant', 'median ms', 'added ms'],
      variants.map((v) => [v.name, f(median(samples.get(v.name)!.startup), 1), v !== baseVariant ? plus(median(samples.get(v.name)!.startup) - baseStartup) : '']),
    ),
    '',
    ...(MEMORY_DURATION > 0
      ? [
          `Memory, peak RSS of the hello-world server over ${MEMORY_DURATION} s of load (one run per variant):`,
          '',
          table(
            ['variant', 'RSS MB', 'added'],
            variants.map((v) => {
              const m = samples.get(v.name)!.memory;
              return [v.name, f(m, 1), v !== baseVariant ? plus(m - base.memory) : ''];
            }),
          ),
          '',
        ]
      : []),
    `Aims (issue 4): >=80% of untraced throughput on hello-world, >=85% on A->B (${PAIRED ? 'req/s paired / ' : ''}req/s / derived from server CPU per request), ` +
      '<25 ms added startup, <15 MB added RSS:',
    '',
    table(['variant', 'hello-world', 'A->B', 'startup', 'RSS'], aims),
  ];
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`http-overhead FAILED: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
