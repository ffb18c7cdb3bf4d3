import type { IncomingMessage } from 'node:http';
import { context, diag, trace } from '@opentelemetry/api';
import type { Attributes, Context, Span } from '@opentelemetry/api';
import { setHttpRoute } from '../http/server-span.js';
import { instrumentationTracer } from '../instrumentation-tracer.js';
import { recordError } from '../record-error.js';

type Next = () => Promise<unknown>;
interface KoaContext {
  req?: IncomingMessage;
}
export type KoaMiddleware = ((ctx: KoaContext, next: Next) => unknown) & { router?: KoaRouter; [WRAPPED]?: true };
interface RouterLayer {
  path: string | RegExp;
  methods?: string[];
  stack?: KoaMiddleware[];
}
interface KoaRouter {
  stack?: RouterLayer[];
}

const WRAPPED = Symbol('ariadne.koa.wrapped');
/** The context the first middleware ran in (the SERVER span's): every middleware span is its child. */
const BASE = Symbol('ariadne.koa.base');
/** An error is recorded on the span of the middleware that threw it, not on every one it passes. */
const recorded = new WeakSet<object>();

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

function isGenerator(fn: KoaMiddleware): boolean {
  return fn.constructor?.name === 'GeneratorFunction' || fn.constructor?.name === 'AsyncGeneratorFunction';
}

function fail(span: Span, err: unknown): void {
  if (typeof err !== 'object' || err === null || !recorded.has(err)) {
    recordError(span, err);
    if (typeof err === 'object' && err !== null) recorded.add(err);
  }
  span.end();
}

function traced(fn: KoaMiddleware, describe: (ctx: KoaContext) => { name: string; attributes: Attributes }): KoaMiddleware {
  if (fn[WRAPPED] || isGenerator(fn)) return fn;
  const wrapped: KoaMiddleware = function (this: unknown, ctx: KoaContext, next: Next) {
    const holder = ctx as KoaContext & { [BASE]?: Context };
    let base: Context;
    let name: string;
    let attributes: Attributes;
    try {
      base = holder[BASE] ??= context.active();
      ({ name, attributes } = describe(ctx));
    } catch (err) {
      diag.error('ariadne: koa middleware not traced', err);
      return fn.call(this, ctx, next);
    }
    if (trace.getSpan(base) === undefined) return fn.call(this, ctx, next);
    const span = instrumentationTracer(undefined).startSpan(name, { attributes }, base);
    // Downstream middleware runs in the base context, so its span is the SERVER span's child too.
    const nextInBase: Next = () => context.with(base, next);
    let result: unknown;
    try {
      result = context.with(trace.setSpan(base, span), () => fn.call(this, ctx, nextInBase));
    } catch (err) {
      fail(span, err);
      throw err;
    }
    if (!isPromiseLike(result)) {
      span.end();
      return result;
    }
    return Promise.resolve(result).then(
      (value) => {
        span.end();
        return value;
      },
      (err: unknown) => {
        fail(span, err);
        throw err;
      },
    );
  };
  Object.defineProperty(wrapped, 'name', { value: fn.name });
  Object.defineProperty(wrapped, 'length', { value: fn.length });
  wrapped[WRAPPED] = true;
  return wrapped;
}

/** `middleware - name`, with koa.type and koa.name, as OpenTelemetry's Koa instrumentation. */
export function wrapKoaMiddleware(fn: KoaMiddleware): KoaMiddleware {
  const name = fn.name || 'anonymous';
  const described = { name: `middleware - ${name}`, attributes: { 'koa.type': 'middleware', 'koa.name': name } };
  return traced(fn, () => described);
}

function wrapRouterLayer(layer: RouterLayer): void {
  const stack = layer.stack;
  if (!Array.isArray(stack)) return;
  for (let i = 0; i < stack.length; i++) {
    const fn = stack[i];
    if (typeof fn !== 'function' || fn[WRAPPED]) continue;
    stack[i] = traced(fn, (ctx) => {
      const path = String(layer.path);
      // A route (it has methods) names the request; router.use() middleware does not.
      if (layer.methods !== undefined && layer.methods.length > 0) setHttpRoute(ctx.req, path);
      return { name: `router - ${path}`, attributes: { 'koa.type': 'router', 'koa.name': path, 'http.route': path } };
    });
  }
}

/**
 * Wraps the middleware of every layer of a @koa/router router when its routes() dispatch runs, so
 * that routes added after app.use(router.routes()) are traced too; layers already wrapped are
 * skipped, so the cost per request is a look at each layer.
 */
export function wrapRouterDispatch(dispatch: KoaMiddleware): KoaMiddleware {
  if (dispatch[WRAPPED]) return dispatch;
  const router = dispatch.router!;
  const wrapped: KoaMiddleware = function (this: unknown, ctx: KoaContext, next: Next) {
    try {
      for (const layer of router.stack ?? []) wrapRouterLayer(layer);
    } catch (err) {
      diag.error('ariadne: koa router not traced', err);
    }
    return dispatch.call(this, ctx, next);
  };
  Object.defineProperty(wrapped, 'name', { value: dispatch.name });
  Object.defineProperty(wrapped, 'length', { value: dispatch.length });
  wrapped.router = router;
  wrapped[WRAPPED] = true;
  return wrapped;
}
