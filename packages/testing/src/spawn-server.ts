import { spawn } from 'node:child_process';
import { connect } from 'node:net';

export interface SpawnedServer {
  /** Stops the process (SIGTERM, then SIGKILL after 10 s) and resolves once it exited. */
  stop(): Promise<void>;
}

/**
 * Starts a test server process and resolves once `port` on loopback accepts connections. A missing
 * program rejects with `missing` (what to install), never a skip: CI installs every server.
 */
export async function spawnServer(
  command: string,
  args: string[],
  port: number,
  missing: string,
  { cwd, timeoutMs = 60_000 }: { cwd?: string; timeoutMs?: number } = {},
): Promise<SpawnedServer> {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  // Not events.once: it would reject on 'error', which is handled below.
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let failure: Error | undefined;
  child.once('error', (err: NodeJS.ErrnoException) => {
    failure = err.code === 'ENOENT' ? new Error(`${command} not found: ${missing}`) : err;
  });
  // A test process that exits without stopping its server (a crash, a timeout) takes it along.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  const stop = async () => {
    if (failure || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + timeoutMs;
  while (!(await accepts(port))) {
    if (failure) throw failure;
    if (child.exitCode !== null) throw new Error(`${command} exited with ${child.exitCode}: ${output}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${command} did not listen on ${port} within ${timeoutMs} ms: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { stop };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
