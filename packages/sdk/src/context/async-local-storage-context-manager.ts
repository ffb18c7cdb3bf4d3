import { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitter } from 'node:events';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import type { Context, ContextManager } from '@opentelemetry/api';

type Listener = (...args: unknown[]) => unknown;

const ADD_METHODS = ['addListener', 'on', 'once', 'prependListener', 'prependOnceListener'] as const;
const BOUND = Symbol('ariadne bound listeners');

interface BoundEmitter {
  [BOUND]?: WeakMap<Listener, Listener>;
}

/**
 * The active context follows async continuations (await, timers, callbacks) through
 * AsyncLocalStorage. EventEmitter listeners run in the emitter's caller context, so bind()
 * wraps them to the context given.
 */
export class AsyncLocalStorageContextManager implements ContextManager {
  private storage = new AsyncLocalStorage<Context>();

  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    const bound = thisArg === undefined ? fn : (fn as (...a: A) => ReturnType<F>).bind(thisArg);
    return this.storage.run(context, bound, ...args);
  }

  /** `fn.apply(thisArg, args)` with `context` active: with() without a closure or a spread, for hot paths. */
  runWith<R>(context: Context, fn: (...args: never[]) => R, thisArg: unknown, args: ArrayLike<unknown>): R {
    // Most bound events fire where their context is already active (a response's finish, close
    // and its request's end, scheduled from the handler): a lookup costs less than a switch.
    if ((this.storage.getStore() ?? ROOT_CONTEXT) === context) return Reflect.apply(fn, thisArg, args) as R;
    return this.storage.run(context, Reflect.apply, fn, thisArg, args) as R;
  }

  bind<T>(context: Context, target: T): T {
    if (target instanceof EventEmitter) return this.bindEmitter(context, target) as T;
    if (typeof target === 'function') return this.bindFunction(context, target as unknown as Listener) as T;
    return target;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    this.storage.disable();
    this.storage = new AsyncLocalStorage<Context>();
    return this;
  }

  private bindFunction(context: Context, fn: Listener): Listener {
    const storage = this.storage;
    const bound = function (this: unknown, ...args: unknown[]) {
      return storage.run(context, () => fn.apply(this, args));
    };
    Object.defineProperty(bound, 'length', { value: fn.length });
    Object.defineProperty(bound, 'name', { value: fn.name });
    return bound;
  }

  private bindEmitter(context: Context, emitter: EventEmitter): EventEmitter {
    const target = emitter as EventEmitter & BoundEmitter;
    if (target[BOUND] !== undefined) return emitter;
    const map = new WeakMap<Listener, Listener>();
    target[BOUND] = map;
    const bindFunction = (listener: Listener) => this.bindFunction(context, listener);
    for (const method of ADD_METHODS) {
      const original = emitter[method];
      emitter[method] = function (this: EventEmitter, event: string | symbol, listener: Listener) {
        // Not a function: the emitter's own method says so, as it would unbound.
        if (typeof listener !== 'function') return original.call(this, event, listener);
        let bound = map.get(listener);
        if (bound === undefined) {
          bound = bindFunction(listener);
          map.set(listener, bound);
        }
        return original.call(this, event, bound);
      } as EventEmitter[typeof method];
    }
    const originalRemove = emitter.removeListener;
    emitter.removeListener = emitter.off = function (this: EventEmitter, event: string | symbol, listener: Listener) {
      return originalRemove.call(this, event, map.get(listener) ?? listener);
    };
    return emitter;
  }
}
