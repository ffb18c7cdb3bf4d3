import type { ServerResponse } from 'node:http';
import { context, trace } from '@opentelemetry/api';
import type { Attributes, Context, Span } from '@opentelemetry/api';
import { instrumentationTracer } from '../instrumentation-tracer.js';
import { recordError } from '../record-error.js';

export type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

const WRAPPED = Symbol('ariadne.fastify.wrapped');
type Marked = AnyFunction & { [WRAPPED]?: true };

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/** Ends a span once, with the error if there is one. */
function finisher(span: Span): (err?: unknown) => void {
  let ended = false;
  return (err) => {
    if (ended) return;
    ended = true;
    if (err !== undefined && err !== null) recordError(span, err);
    span.end();
  };
}

/** Keeps what Fastify checks of a hook: its arity and whether it is an async function. */
function sameShape(original: AnyFunction, run: (self: unknown, args: unknown[]) => unknown): Marked {
  const wrapped: Marked =
    original.constructor?.name === 'AsyncFunction'
      ? async function (this: unknown, ...args: unknown[]) {
          return run(this, args);
        }
      : function (this: unknown, ...args: unknown[]) {
          return run(this, args);
        };
  Object.defineProperty(wrapped, 'length', { value: original.length });
  Object.defineProperty(wrapped, 'name', { value: original.name });
  wrapped[WRAPPED] = true;
  return wrapped;
}

/**
 * `middleware - name` for a hook, with fastify.type, plugin.name and hook.name. It ends when the
 * hook calls done or its promise settles; done runs the next hook in the hook's parent context, so
 * that each hook span is a child of the SERVER span rather than of the hook before it.
 */
export function wrapFastifyHook(hook: AnyFunction, hookName: string, pluginName: string | undefined): AnyFunction {
  if ((hook as Marked)[WRAPPED]) return hook;
  const name = `middleware - ${hook.name || pluginName || 'anonymous'}`;
  const attributes: Attributes = { 'fastify.type': 'middleware', 'hook.name': hookName };
  if (pluginName !== undefined) attributes['plugin.name'] = pluginName;
  return sameShape(hook, (self, args) => {
    const parent = context.active();
    if (trace.getSpan(parent) === undefined) return hook.apply(self, args);
    const span = instrumentationTracer(undefined).startSpan(name, { attributes }, parent);
    const finish = finisher(span);
    const last = args.length - 1;
    const done = args[last];
    if (typeof done === 'function') {
      args[last] = function (this: unknown, ...doneArgs: unknown[]) {
        finish(doneArgs[0]);
        return context.with(parent, () => done.apply(this, doneArgs));
      };
    }
    return run(span, parent, finish, () => hook.apply(self, args));
  });
}

function run(span: Span, parent: Context, finish: (err?: unknown) => void, call: () => unknown, onSync?: () => void): unknown {
  let result: unknown;
  try {
    result = context.with(trace.setSpan(parent, span), call);
  } catch (err) {
    finish(err);
    throw err;
  }
  // Observing the promise does not handle it for the app: Fastify awaits the same promise.
  if (isPromiseLike(result)) result.then(() => finish(), (err: unknown) => finish(err));
  else onSync?.();
  return result;
}

/**
 * `request handler - name` for a route handler, with fastify.type, plugin.name, fastify.name and
 * http.route. The handler runs in its span; the span ends when the handler returns, its promise
 * settles or, for a handler that replies later through reply.send, the response is done.
 */
export function wrapFastifyHandler(handler: AnyFunction, route: string | undefined, pluginName: string | undefined): AnyFunction {
  if ((handler as Marked)[WRAPPED]) return handler;
  const handlerName = handler.name.startsWith('bound ') ? handler.name.slice(6) : handler.name;
  const name = `request handler - ${handlerName || pluginName || 'anonymous'}`;
  const attributes: Attributes = { 'fastify.type': 'request_handler' };
  if (pluginName !== undefined) attributes['plugin.name'] = pluginName;
  if (handlerName) attributes['fastify.name'] = handlerName;
  if (route !== undefined) attributes['http.route'] = route;
  const wrapped: Marked = function (this: unknown, ...args: unknown[]) {
    const parent = context.active();
    if (trace.getSpan(parent) === undefined) return handler.apply(this, args);
    const span = instrumentationTracer(undefined).startSpan(name, { attributes }, parent);
    const finish = finisher(span);
    const reply = args[1] as { sent?: boolean; raw?: ServerResponse } | undefined;
    const result = run(span, parent, finish, () => handler.apply(this, args), () => {
      const raw = reply?.raw;
      if (reply?.sent === true || raw === undefined || typeof raw.once !== 'function') return finish();
      raw.prependOnceListener('finish', () => finish());
      raw.once('close', () => finish());
    });
    return result;
  };
  Object.defineProperty(wrapped, 'length', { value: handler.length });
  Object.defineProperty(wrapped, 'name', { value: handler.name });
  wrapped[WRAPPED] = true;
  return wrapped;
}
