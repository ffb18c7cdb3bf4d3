import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asUser, giveDirTo } from './as-user.js';
import { runSetup } from './run-setup.js';
import { freePort, spawnServer } from '@ariadne/testing';

export interface RunningPostgres {
  host: string;
  port: number;
  user: string;
  database: string;
  /** Stops the server and removes its data directory. */
  stop(): Promise<void>;
}

const MISSING = 'install it with `apt-get install postgresql` (Debian), or set PG_BIN to the directory holding initdb and postgres';

/** Debian keeps initdb and postgres off PATH, under /usr/lib/postgresql/<major>/bin. */
function binDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const major of majors) if (existsSync(join(root, major, 'bin', 'postgres'))) return join(root, major, 'bin');
  throw new Error(`PostgreSQL server binaries not found under ${root}: ${MISSING}`);
}

/** Starts a throwaway PostgreSQL cluster (trust auth, no fsync) on a free loopback port. */
export async function startPostgres(): Promise<RunningPostgres> {
  const bin = binDir();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ariadne-pg-'));
  const data = join(dir, 'data');
  try {
    giveDirTo('postgres', dir);
    const init = asUser('postgres', join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    runSetup(init.command, init.args, MISSING, dir);
    const run = asUser(
      'postgres',
      join(bin, 'postgres'),
      ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'full_page_writes=off'],
    );
    const server = await spawnServer(run.command, run.args, port, MISSING, { cwd: dir });
    return {
      host: '127.0.0.1',
      port,
      user: 'postgres',
      database: 'postgres',
      async stop() {
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
