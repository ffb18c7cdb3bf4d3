import type { EventEmitter } from 'node:events';
import type { Context } from '@opentelemetry/api';
import { runInContext } from '../run-in-context.js';

type Emit = EventEmitter['emit'];
// Symbol.for: the ESM and CommonJS copies of the SDK share the bindings and the patched emits.
const CONTEXT = Symbol.for('ariadne.emit-context');
const PATCHED = Symbol.for('ariadne.emit-patched');

const hasOwn = (o: object, key: PropertyKey): boolean => Object.prototype.hasOwnProperty.call(o, key);

interface Bound {
  [CONTEXT]?: Context;
  _events?: Record<string | symbol, unknown>;
}

// node:http's clearIncoming, the 'end' listener a server adds to a request whose body the app has
// not read, only resets the parser's incoming message: known by its name the first time it is seen.
let nodeClearIncoming: unknown;

/**
 * Whether `event`'s listeners might see the context. Most of a request's events have none
 * (readable, resume, prefinish, ...), and its 'end' often only Node's clearIncoming: no switch.
 */
function anyListenerSees(emitter: Bound, event: string | symbol): boolean {
  const events = emitter._events;
  if (events === undefined) return true;
  const listeners = events[event];
  if (listeners === undefined || listeners === nodeClearIncoming) return false;
  if (nodeClearIncoming === undefined && event === 'end' && typeof listeners === 'function' && listeners.name === 'clearIncoming') {
    nodeClearIncoming = listeners;
    return false;
  }
  return true;
}

function contextEmit(original: Emit): Emit {
  return function emitInContext(this: EventEmitter & Bound, event: string | symbol): boolean {
    const ctx = this[CONTEXT];
    if (ctx === undefined || !anyListenerSees(this, event)) {
      // eslint-disable-next-line prefer-rest-params -- passed on as is, without copying
      return Reflect.apply(original, this, arguments) as boolean;
    }
    // eslint-disable-next-line prefer-rest-params -- passed on as is, without copying
    return runInContext(ctx, original, this, arguments);
  } as Emit;
}

/**
 * Runs every listener of `emitter` in `ctx`, wherever the event comes from: a request's body
 * chunks, a response on a pooled keep-alive socket. The emit of the emitter's class is patched
 * once, for all its instances (a per-instance emit would change every request's shape and make
 * Node's own emit call sites polymorphic); an instance is bound by one property.
 */
export function bindEmits(emitter: EventEmitter, ctx: Context): void {
  const bound = emitter as EventEmitter & Bound & { [PATCHED]?: true };
  if (hasOwn(emitter, 'emit')) {
    // Its own emit (another tool's wrapper, say) would bypass the class's: wrapped in turn.
    if (!hasOwn(emitter, PATCHED)) {
      bound.emit = contextEmit(emitter.emit);
      bound[PATCHED] = true;
    }
  } else if (bound[PATCHED] !== true) {
    const proto = Object.getPrototypeOf(emitter) as (EventEmitter & { [PATCHED]?: true }) | null;
    if (proto !== null && proto !== Object.prototype) {
      proto.emit = contextEmit(proto.emit);
      proto[PATCHED] = true;
    } else {
      bound.emit = contextEmit(emitter.emit);
      bound[PATCHED] = true;
    }
  }
  bound[CONTEXT] = ctx;
}

/** The context bindEmits gave `emitter`, if any. */
export function emitsContext(emitter: unknown): Context | undefined {
  return (emitter as Bound | undefined)?.[CONTEXT];
}
