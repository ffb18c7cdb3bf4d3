import { createRequire } from 'node:module';
import type * as WorkerThreads from 'node:worker_threads';

// Runs in a worker thread: POSTs each body in turn, then stores the last HTTP status (0 when a
// request failed or timed out) in the shared word and wakes the waiting main thread.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { url, headers, bodies, deadline, shared } = workerData;
const { request } = require(url.startsWith('https:') ? 'node:https' : 'node:http');
const word = new Int32Array(shared);
const finish = (status) => { Atomics.store(word, 0, status); Atomics.notify(word, 0); };
const post = (i) => {
  if (i === bodies.length) return finish(200);
  const options = { method: 'POST', headers: { ...headers, 'content-length': String(bodies[i].length) }, timeout: Math.max(1, deadline - Date.now()) };
  const answered = (res) => {
    res.resume();
    res.on('end', () => (res.statusCode >= 200 && res.statusCode < 300 ? post(i + 1) : finish(res.statusCode)));
  };
  let req;
  try {
    req = request(url, options, answered);
  } catch {
    return finish(0); // a URL or header request() refuses: no waiting out the time limit
  }
  req.on('timeout', () => req.destroy(new Error('timed out')));
  req.on('error', () => finish(0));
  req.end(bodies[i]);
};
post(0);
`;

const PENDING = -1;

/**
 * POSTs `bodies` to `url` from inside a process 'exit' listener, where no asynchronous work can
 * run: a worker thread sends them while this thread blocks, at most `timeoutMillis`. Returns the
 * HTTP status of the last request (200 when all succeeded), or 0 when one failed or time ran
 * out. The worker runs with OTEL_SDK_DISABLED, so a --require'd register stays out of it.
 */
export function postAtExit(url: string, headers: Record<string, string>, bodies: Uint8Array[], timeoutMillis: number): number {
  const shared = new SharedArrayBuffer(4);
  const word = new Int32Array(shared);
  word[0] = PENDING;
  const deadline = Date.now() + timeoutMillis;
  // Loaded here, not at startup (~2 ms), as most processes never exit this way; any base path
  // resolves a builtin.
  const { Worker } = createRequire(`${process.cwd()}/`)('node:worker_threads') as typeof WorkerThreads;
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { url, headers, bodies, deadline, shared },
    env: { OTEL_SDK_DISABLED: 'true' },
    execArgv: [],
    stdout: true,
    stderr: true,
  });
  worker.unref();
  Atomics.wait(word, 0, PENDING, timeoutMillis);
  const status = Atomics.load(word, 0);
  void worker.terminate();
  return status === PENDING ? 0 : status;
}
