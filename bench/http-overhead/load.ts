/**
 * The load generator of bench/http-overhead, run as its own process (pinned to the other core by
 * the bench): autocannon with keep-alive connections against one URL, a warm-up whose results are
 * dropped, then the measured window (announced by a line "measuring" on stdout). Latencies are recorded from autocannon's response events at
 * 10 µs resolution (autocannon's own histogram keeps whole milliseconds). Ends with one JSON line:
 * { requests, rps, p50Ms, p99Ms, warmupRequests, errors, non2xx }.
 *
 * Usage: load.ts <url> <connections> <warmupSeconds> <seconds>
 */
import { createRequire } from 'node:module';

interface Result {
  requests: { total: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
}
interface Instance {
  on(event: 'response', listener: (client: unknown, statusCode: number, bytes: number, ms: number) => void): void;
  on(event: 'done', listener: (result: Result) => void): void;
}
type Autocannon = (opts: Record<string, unknown>) => Instance;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const [url, connectionsArg, warmupArg, secondsArg] = process.argv.slice(2);
const connections = Number(connectionsArg);

const BUCKET_MS = 0.01;
const buckets = new Uint32Array(1_000_000); // up to 10 s

function run(seconds: number, record: boolean): Promise<Result> {
  return new Promise((resolve) => {
    const instance = autocannon({ url, connections, pipelining: 1, duration: seconds });
    if (record) {
      instance.on('response', (_client, _status, _bytes, ms) => {
        buckets[Math.min(buckets.length - 1, Math.floor(ms / BUCKET_MS))]++;
      });
    }
    instance.on('done', resolve);
  });
}

function percentile(p: number): number {
  let total = 0;
  for (const n of buckets) total += n;
  const rank = Math.ceil((p / 100) * total);
  let seen = 0;
  for (let i = 0; i < buckets.length; i++) {
    seen += buckets[i];
    if (seen >= rank && rank > 0) return (i + 1) * BUCKET_MS;
  }
  return NaN;
}

const warm = Number(warmupArg) > 0 ? await run(Number(warmupArg), false) : undefined;
process.stdout.write('measuring\n');
const result = await run(Number(secondsArg), true);
const requests = result.requests.total;
process.stdout.write(
  JSON.stringify({
    requests,
    rps: requests / result.duration,
    p50Ms: percentile(50),
    p99Ms: percentile(99),
    warmupRequests: warm?.requests.total ?? 0,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  }) + '\n',
);
