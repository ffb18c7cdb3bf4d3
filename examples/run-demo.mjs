// `npm run demo`: the all-in-one Ariadne backend, serverB (CommonJS, --require), serverA (ES
// module, --import) and the load generator, stopped together with Ctrl-C. Needs `npm run build`.
/* global fetch, setTimeout */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
for (const built of ['packages/server/dist/cli.js', 'packages/sdk/dist/register.js', 'packages/sdk/dist/register.cjs']) {
  if (!existsSync(`${root}/${built}`)) {
    console.error(`demo: ${built} is missing; run npm run build first`);
    process.exit(1);
  }
}

const tracing = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_BSP_SCHEDULE_DELAY: '1000' };
const children = [];
let stopping = false;

function start(name, args, env = {}) {
  // Own process groups: Ctrl-C reaches only this script, which stops the others in order.
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`demo: ${name} exited (${code ?? signal}); stopping`);
    void stop(1);
  });
  children.push({ name, child });
}

async function waitFor(url) {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`demo: ${url} did not answer in 30 s`);
}

/** Stops the apps first (they flush their spans on SIGTERM), the backend last. */
async function stop(code) {
  stopping = true;
  for (const { child } of children.slice().reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
  process.exit(code);
}
process.on('exit', () => children.forEach(({ child }) => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL')));
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

start('ariadne', ['packages/server/dist/cli.js', '--host', '127.0.0.1', '--log-level', 'warn']);
await waitFor('http://127.0.0.1:16686/api/services');
start('serverB', ['--require', '@ariadne/sdk/register', 'examples/server-b.cjs'], { ...tracing, OTEL_SERVICE_NAME: 'serverB', PORT: '8082' });
start('serverA', ['--import', '@ariadne/sdk/register', 'examples/server-a.mjs'], {
  ...tracing,
  OTEL_SERVICE_NAME: 'serverA',
  PORT: '8081',
  SERVER_B_URL: 'http://127.0.0.1:8082',
});
await waitFor('http://127.0.0.1:8081/checkout?item=book');
start('load', ['examples/load.mjs'], { SERVER_A_URL: 'http://127.0.0.1:8081' });
console.log('demo: running; open http://localhost:16686 (Ctrl-C stops everything)');
