import { context } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import type { AsyncLocalStorageContextManager } from '../context/async-local-storage-context-manager.js';

type Fn = (...args: never[]) => unknown;
let manager: AsyncLocalStorageContextManager | undefined;

/**
 * `fn.apply(thisArg, args)` with `ctx` active, for wrappers that run on every emit: straight
 * through Ariadne's context manager when it is the global one, else through the API.
 */
export function runInContext<R>(ctx: Context, fn: (...args: never[]) => R, thisArg: unknown, args: ArrayLike<unknown>): R {
  if (manager !== undefined) return manager.runWith(ctx, fn, thisArg, args);
  return context.with(ctx, () => Reflect.apply(fn as Fn, thisArg, args) as R);
}

// Where the API keeps its globals (the key of every 1.x version of @opentelemetry/api).
const API_GLOBALS = Symbol.for('opentelemetry.js.api.1');

/** Lets runInContext bypass the API, if `candidate` is the global context manager. */
export function useContextManager(candidate: AsyncLocalStorageContextManager): void {
  // Read rather than probed with context.with(), which would switch AsyncLocalStorage's async
  // hooks on at startup, for every promise the app's module loading makes. Not found there (no
  // global, or another major version of the API), runInContext goes through the API.
  const globals = (globalThis as { [API_GLOBALS]?: { context?: unknown } })[API_GLOBALS];
  manager = globals?.context === candidate ? candidate : undefined;
}
