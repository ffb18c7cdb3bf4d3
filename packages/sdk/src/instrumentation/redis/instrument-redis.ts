import { createRequire } from 'node:module';
import { context, trace } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import { onModuleLoad } from '../module-hook.js';
import { callWithSpan, endDbSpan, endOnSettle, redisQueryText, startDbSpan } from '../db/db-span.js';
import type { DbCall } from '../db/db-span.js';
import { wrapMethod } from '../wrap-method.js';

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;
type RedisArgs = readonly unknown[];

interface RedisClientOptions {
  socket?: { host?: string; port?: number; path?: string };
  database?: number;
  username?: string;
}

interface RedisClientClass {
  prototype: Record<string | symbol, unknown>;
}

interface V4Command {
  transformArguments(...args: unknown[]): RedisArgs;
}

const ATTACHED = Symbol.for('ariadne.redis.commands');
const redisSpans = new WeakSet<Span>();

function callOf(client: unknown, operation: string, query: string, batchSize?: number): DbCall {
  const options = (client as { options?: RedisClientOptions }).options;
  return {
    system: 'redis',
    operation,
    name: operation,
    query,
    batchSize,
    namespace: options?.database === undefined ? undefined : String(options.database),
    // node-redis connects to localhost:6379 unless told otherwise.
    host: options?.socket?.path ?? options?.socket?.host ?? 'localhost',
    port: options?.socket?.path === undefined ? (options?.socket?.port ?? 6379) : undefined,
    user: options?.username,
  };
}

function commandText(args: RedisArgs): { operation: string; query: string } {
  const operation = String(args[0]).toUpperCase();
  return { operation, query: redisQueryText(operation, args.slice(1)) };
}

/** Runs `invoke` (which returns a promise) under a span ended when the promise settles. */
function traced(describe: () => DbCall, invoke: () => unknown): unknown {
  // node-redis 4 runs an isolated command again on a pooled client: one span for both.
  const active = trace.getActiveSpan();
  if (active !== undefined && redisSpans.has(active)) return invoke();
  const span = startDbSpan(describe);
  if (span === undefined) return invoke();
  redisSpans.add(span);
  const result = callWithSpan(span, context.active(), [], invoke);
  if (typeof (result as PromiseLike<unknown> | undefined)?.then !== 'function') {
    endDbSpan(span);
    return result;
  }
  return endOnSettle(span, result as PromiseLike<unknown>);
}

/** A span for a whole MULTI or pipeline: its commands are queued together and settle together. */
function wrapBatch(operation: (args: unknown[]) => 'MULTI' | 'PIPELINE') {
  return (original: AnyFunction): AnyFunction =>
    function (this: unknown, ...args: unknown[]) {
      const commands = args[0] as { args: RedisArgs }[] | undefined;
      if (!Array.isArray(commands) || commands.length === 0) return original.apply(this, args);
      const describe = () => callOf(this, operation(args), commands.map((c) => commandText(c.args).query).join('\n'), commands.length);
      return traced(describe, () => original.apply(this, args));
    };
}

function wrapSendCommand(original: AnyFunction): AnyFunction {
  return function (this: unknown, ...args: unknown[]) {
    const redisArgs = args[0];
    if (!Array.isArray(redisArgs) || redisArgs.length === 0) return original.apply(this, args);
    const describe = () => {
      const { operation, query } = commandText(redisArgs);
      return callOf(this, operation, query);
    };
    return traced(describe, () => original.apply(this, args));
  };
}

/** node-redis 5: every command passes the public sendCommand; MULTI and pipelines their executors. */
function patchV5(RedisClient: RedisClientClass): void {
  wrapMethod(RedisClient.prototype, 'sendCommand', wrapSendCommand);
  wrapMethod(RedisClient.prototype, '_executeMulti', wrapBatch(() => 'MULTI'));
  wrapMethod(RedisClient.prototype, '_executePipeline', wrapBatch(() => 'PIPELINE'));
}

/**
 * node-redis 4: typed commands call an executor captured when the module loaded, so they are
 * attached again with a traced one; raw sendCommand and multiExecutor are patched in place.
 */
function patchV4(RedisClient: RedisClientClass, require: NodeJS.Require): void {
  if (RedisClient.prototype[ATTACHED]) return;
  const commander = require('./lib/commander') as {
    attachCommands(config: { BaseClass: RedisClientClass; commands: Record<string, V4Command>; executor: AnyFunction }): void;
  };
  const commands = (require('./lib/client/commands') as { default: Record<string, V4Command> }).default;
  const executor = RedisClient.prototype.commandsExecutor as AnyFunction;
  commander.attachCommands({
    BaseClass: RedisClient,
    commands,
    executor: function (this: unknown, ...args: unknown[]) {
      const [command, commandArgs] = args as [V4Command, unknown[]];
      // Invalid arguments throw here: the call then runs untraced and reports them itself.
      const describe = () => {
        const { operation, query } = commandText(command.transformArguments(...commandArgs));
        return callOf(this, operation, query);
      };
      return traced(describe, () => executor.apply(this, args));
    },
  });
  Object.defineProperty(RedisClient.prototype, ATTACHED, { value: true });
  wrapMethod(RedisClient.prototype, 'sendCommand', wrapSendCommand);
  // multiExecutor(commands, selectedDB, chainId): a chain id means MULTI, none a pipeline.
  wrapMethod(RedisClient.prototype, 'multiExecutor', wrapBatch((args) => (args[2] === undefined ? 'PIPELINE' : 'MULTI')));
}

/** CLIENT spans for node-redis 4 and 5 (the `redis` package and `@redis/client`). */
export function instrumentRedis(): void {
  onModuleLoad('@redis/client', (_exports, request, filename) => {
    if (request !== '@redis/client' && !/@redis[\\/]client[\\/]dist[\\/]index\.js$/.test(request)) return;
    const require = createRequire(filename());
    const RedisClient = (require('./lib/client') as { default?: RedisClientClass }).default;
    if (RedisClient === undefined) return;
    if (typeof RedisClient.prototype._executeMulti === 'function') patchV5(RedisClient);
    else if (typeof RedisClient.prototype.commandsExecutor === 'function') patchV4(RedisClient, require);
  });
}
