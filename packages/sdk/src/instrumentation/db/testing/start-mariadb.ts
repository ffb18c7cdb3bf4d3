import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { giveDirTo, isRoot } from './as-user.js';
import { runSetup } from './run-setup.js';
import { freePort, spawnServer } from '@ariadne/testing';

export interface RunningMariadb {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Stops the server and removes its data directory. */
  stop(): Promise<void>;
}

const MISSING = 'install it with `apt-get install mariadb-server` (Debian)';

/** Starts a throwaway MariaDB server (MySQL protocol; root without password) on a free loopback port. */
export async function startMariadb(): Promise<RunningMariadb> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ariadne-mariadb-'));
  const data = join(dir, 'data');
  try {
    // mariadbd refuses root unless told a user; as root it switches to `mysql` itself.
    const user = isRoot() ? ['--user=mysql'] : [];
    giveDirTo('mysql', dir);
    runSetup(
      'mariadb-install-db',
      ['--no-defaults', `--datadir=${data}`, ...user, '--auth-root-authentication-method=normal', '--skip-test-db', '--skip-name-resolve'],
      MISSING,
      dir,
    );
    const server = await spawnServer(
      'mariadbd',
      [
        '--no-defaults',
        ...user,
        `--datadir=${data}`,
        `--socket=${join(dir, 'mariadb.sock')}`,
        `--pid-file=${join(dir, 'mariadb.pid')}`,
        '--bind-address=127.0.0.1',
        `--port=${port}`,
        '--skip-name-resolve',
        '--innodb-buffer-pool-size=16M',
        '--innodb-log-file-size=16M',
        '--innodb-flush-log-at-trx-commit=0',
      ],
      port,
      MISSING,
      { cwd: dir },
    );
    return {
      host: '127.0.0.1',
      port,
      user: 'root',
      password: '',
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
