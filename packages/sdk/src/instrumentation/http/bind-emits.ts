import type { EventEmitter } from 'node:events';
import { context } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';

type Emit = EventEmitter['emit'];
const CONTEXT = Symbol.for('ariadne.emit-context');
const EMIT = Symbol.for('ariadne.original-emit');

interface Bound {
  [CONTEXT]?: Context;
  [EMIT]?: Emit;
}

function emitInContext(this: EventEmitter & Bound, event: string | symbol, ...args: unknown[]): boolean {
  return context.with(this[CONTEXT]!, this[EMIT]!, this, event, ...args);
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
