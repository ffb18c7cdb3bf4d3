import { spawnSync } from 'node:child_process';

/** Runs a setup program (initdb, mariadb-install-db) to completion; a failure throws with its output. */
export function runSetup(command: string, args: string[], missing: string, cwd?: string): void {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') throw new Error(`${command} not found: ${missing}`);
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} exited with ${result.status}: ${(result.stdout + result.stderr).slice(-4000)}`);
}
