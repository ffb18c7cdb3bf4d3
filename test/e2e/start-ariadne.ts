import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const CLI = fileURLToPath(new URL('../../packages/server/src/cli.ts', import.meta.url));

export interface RunningAriadne {
  otlpUrl: string;
  queryUrl: string;
  child: ChildProcess;
  /** Every log record printed so far. */
  logs: Array<Record<string, unknown>>;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts the real `ariadne` CLI (from source, through tsx) on free ports and waits for both listeners.
 * `wrapper` runs it under another command, e.g. `taskset -c 0`.
 */
export async function startAriadne(dataDir: string, extraArgs: string[] = [], wrapper: string[] = []): Promise<RunningAriadne> {
  const [command, ...prefix] = [...wrapper, process.execPath];
  const child = spawn(
    command,
    [...prefix, '--import', 'tsx', CLI, '--data-dir', dataDir, '--host', '127.0.0.1', '--otlp-http-port', '0', '--otlp-grpc-port', '0', '--zipkin-port', '0', '--query-port', '0', ...extraArgs],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const logs: Array<Record<string, unknown>> = [];
  const exited = once(child, 'exit');
  const ports = new Promise<{ otlp: string; query: string }>((resolve, reject) => {
    let otlp = '';
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line);
      } catch {
        return;
      }
      logs.push(record);
      const msg = String(record.msg ?? '');
      const otlpMatch = /OTLP\/HTTP receiver listening on (http:\/\/[^/]+)/.exec(msg);
      if (otlpMatch) otlp = otlpMatch[1];
      const queryMatch = /UI and query API listening on (http:\/\/\S+)/.exec(msg);
      if (queryMatch) resolve({ otlp, query: queryMatch[1] });
    });
    void exited.then(([code]) => reject(new Error(`ariadne exited with ${code} before listening`)));
  });
  const { otlp, query } = await ports;
  return {
    otlpUrl: otlp,
    queryUrl: query,
    child,
    logs,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null) return child.exitCode;
      child.kill(signal);
      const [code] = await exited;
      return code as number | null;
    },
  };
}

/** Polls `check` until it returns a value or the deadline passes. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
