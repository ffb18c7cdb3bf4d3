import { spawnSync } from 'node:child_process';
import { chownSync } from 'node:fs';
import { userInfo } from 'node:os';

/** Database servers refuse to run as root, and CI runs as root. */
export const isRoot = (): boolean => userInfo().uid === 0;

function ids(user: string): { uid: number; gid: number } {
  const uid = spawnSync('id', ['-u', user], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', user], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) throw new Error(`running as root, and there is no user ${user} to run the test database as`);
  return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
}

/** Hands `dir` to `user` when this process is root, so the server can write there. */
export function giveDirTo(user: string, dir: string): void {
  if (!isRoot()) return;
  const { uid, gid } = ids(user);
  chownSync(dir, uid, gid);
}

/** The command run as `user` (via setpriv, which execs: no extra process) when this process is root. */
export function asUser(user: string, command: string, args: string[]): { command: string; args: string[] } {
  if (!isRoot()) return { command, args };
  ids(user);
  return { command: 'setpriv', args: [`--reuid=${user}`, `--regid=${user}`, '--init-groups', '--', command, ...args] };
}
