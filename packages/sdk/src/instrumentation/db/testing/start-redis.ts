import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, spawnServer } from '@ariadne/testing';

export interface RunningRedis {
  host: string;
  port: number;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

/** Starts `redis-server` on a free loopback port, with no persistence, in a temporary directory. */
export async function startRedis(): Promise<RunningRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ariadne-redis-'));
  const server = await spawnServer(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    port,
    'install it with `apt-get install redis-server` (Debian)',
  ).catch((err: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  });
  return {
    host: '127.0.0.1',
    port,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
