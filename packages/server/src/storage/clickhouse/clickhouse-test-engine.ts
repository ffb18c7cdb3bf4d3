import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const FIXTURE = fileURLToPath(new URL('../../../../../test/fixtures/clickhouse/', import.meta.url));
const PYTHON = join(process.env.ARIADNE_CHDB_VENV ?? join(homedir(), '.cache', 'ariadne', 'chdb'), 'bin', 'python');

export interface ClickHouseTestEngine {
  /** HTTP endpoint on a free loopback port. */
  url: string;
  /** ClickHouse version of the engine. */
  version: string;
  stop(): Promise<void>;
}

/**
 * Starts a real ClickHouse engine for tests: chdb-core (ClickHouse 26.x in-process) behind the
 * HTTP fixture of test/fixtures/clickhouse, in a fresh data directory. Throws, naming the install
 * step, when the engine is not installed: a missing engine fails the tests, it never skips them.
 */
export async function startClickHouseTestEngine(): Promise<ClickHouseTestEngine> {
  if (!existsSync(PYTHON)) {
    throw new Error(`ClickHouse engine not installed (no ${PYTHON}): run test/fixtures/clickhouse/install.sh`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'ariadne-clickhouse-'));
  const child = spawn(PYTHON, [join(FIXTURE, 'chdb-http-server.py'), '--path', join(dir, 'data'), '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ready = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`ClickHouse test engine exited with ${code}: ${stderr.trim()}`)));
  }).catch(async (error: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw error;
  });
  const [, port, , version] = ready.split(' ');
  return {
    url: `http://127.0.0.1:${port}`,
    version,
    stop: async () => {
      await stopChild(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
