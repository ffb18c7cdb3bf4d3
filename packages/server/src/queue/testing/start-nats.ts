import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, spawnServer } from '@ariadne/testing';

export interface RunningNats {
  url: string;
  /** Stops the server and removes its store. */
  stop(): Promise<void>;
}

/** Starts `nats-server` with JetStream on a free loopback port and a temporary store. */
export async function startNats(): Promise<RunningNats> {
  const port = await freePort();
  const storeDir = mkdtempSync(join(tmpdir(), 'ariadne-nats-'));
  const server = await spawnServer(
    'nats-server',
    ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir],
    port,
    'install it with `apt-get install nats-server` (Debian) or put a nats-server 2.9+ binary on PATH',
  ).catch((err: unknown) => {
    rmSync(storeDir, { recursive: true, force: true });
    throw err;
  });
  return {
    url: `nats://127.0.0.1:${port}`,
    async stop() {
      await server.stop();
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}
