import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../packages/server/src/cli.ts', import.meta.url));

export interface RunningRole {
  child: ChildProcess;
  logs: Array<Record<string, unknown>>;
  /** Sends the signal and resolves once the process exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `ariadne --role <role>` from source with a small heap; resolves once a log message matches `ready`. */
export async function startRole(role: string, args: string[], ready: RegExp): Promise<RunningRole> {
  const child = spawn(process.execPath, ['--max-old-space-size=128', '--import', 'tsx', CLI, '--role', role, '--host', '127.0.0.1', '--log-level', 'info', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const logs: Array<Record<string, unknown>> = [];
  const exited = once(child, 'exit');
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const record = JSON.parse(line) as Record<string, unknown>;
        logs.push(record);
        if (ready.test(String(record.msg ?? ''))) resolve();
      } catch {
        // Not a log record.
      }
    });
    void exited.then(([code]) => reject(new Error(`ariadne --role ${role} exited with ${code} before it was ready: ${JSON.stringify(logs.slice(-3))}`)));
  });
  return {
    child,
    logs,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await exited;
    },
  };
}
