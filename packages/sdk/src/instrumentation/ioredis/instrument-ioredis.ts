import { onModuleLoad } from '../module-hook.js';
import { endDbSpan, redisQueryText, startDbSpan } from '../db/db-span.js';
import { wrapMethod } from '../wrap-method.js';

interface IoredisCommand {
  name: string;
  args: unknown[];
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

interface IoredisClient {
  options?: { host?: string; port?: number; db?: number; username?: string };
  status?: string;
}

interface IoredisExports {
  prototype?: object;
  Command?: { checkFlag?(flag: string, name: string): boolean };
}

/** Commands already traced: ioredis sends a command again when its offline queue drains. */
const traced = new WeakSet<object>();

/**
 * CLIENT spans for ioredis commands, one per command also inside pipelines and MULTI (as
 * OpenTelemetry's ioredis instrumentation does), ended when the command settles.
 */
export function instrumentIoredis(): void {
  onModuleLoad('ioredis', (exports) => {
    const Redis = exports as IoredisExports;
    // The connection's own setup (AUTH, SELECT, CLIENT SETINFO, the INFO ready check) is not the app's work.
    const isHandshake = (client: IoredisClient, name: string) => client.status === 'connect' && Redis.Command?.checkFlag?.('HANDSHAKE_COMMANDS', name) === true;
    wrapMethod(Redis.prototype, 'sendCommand', (sendCommand) =>
      function (this: unknown, ...args: unknown[]) {
        const command = args[0] as IoredisCommand | undefined;
        if (typeof command !== 'object' || command === null || typeof command.name !== 'string' || traced.has(command) || isHandshake(this as IoredisClient, command.name)) {
          return sendCommand.apply(this, args);
        }
        const span = startDbSpan(() => {
          const options = (this as IoredisClient).options;
          const operation = command.name.toUpperCase();
          return {
            system: 'redis',
            operation,
            name: operation,
            query: redisQueryText(operation, command.args ?? []),
            namespace: options?.db === undefined ? undefined : String(options.db),
            host: options?.host,
            port: options?.port,
            user: options?.username,
          };
        });
        if (span === undefined) return sendCommand.apply(this, args);
        traced.add(command);
        const { resolve, reject } = command;
        command.resolve = (value: unknown) => {
          endDbSpan(span);
          resolve(value);
        };
        command.reject = (error: unknown) => {
          endDbSpan(span, error);
          reject(error);
        };
        try {
          return sendCommand.apply(this, args);
        } catch (err) {
          endDbSpan(span, err);
          throw err;
        }
      },
    );
  });
}
