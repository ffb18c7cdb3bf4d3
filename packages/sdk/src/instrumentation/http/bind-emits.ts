import type { EventEmitter } from 'node:events';
import type { Context } from '@opentelemetry/api';
import { runInContext } from '../run-in-context.js';

type Emit = EventEmitter['emit'];
const CONTEXT = Symbol.for('ariadne.emit-context');
const EMIT = Symbol.for('ariadne.original-emit');

interface Bound {
  [CONTEXT]?: Context;
  [EMIT]?: Emit;
}

function emitInContext(this: EventEmitter & Bound): boolean {
  // eslint-disable-next-line prefer-rest-params -- passed on as is, without copying
  return runInContext(this[CONTEXT]!, this[EMIT]!, this, arguments);
}

/**
 * Runs every listener of `emitter` in `ctx`, wherever the event comes from: a request's body
 * chunks, a response on a pooled keep-alive socket. One shared emit for all emitters, where
 * binding each listener would cost a closure per listener.
 */
export function bindEmits(emitter: EventEmitter, ctx: Context): void {
  const bound = emitter as EventEmitter & Bound;
  if (bound[EMIT] === undefined) {
    bound[EMIT] = emitter.emit;
    emitter.emit = emitInContext;
  }
  bound[CONTEXT] = ctx;
}

/** The context bindEmits gave `emitter`, if any. */
export function emitsContext(emitter: unknown): Context | undefined {
  return (emitter as Bound | undefined)?.[CONTEXT];
}
