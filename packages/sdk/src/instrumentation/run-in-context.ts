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

/** Lets runInContext bypass the API, if `candidate` is the global context manager. */
export function useContextManager(candidate: AsyncLocalStorageContextManager): void {
  const probe = context.active().setValue(Symbol('ariadne probe'), true);
  manager = candidate.with(probe, () => context.active() === probe) ? candidate : undefined;
}
