import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, diag, trace } from '@opentelemetry/api';
import type { Attributes, Context, Span } from '@opentelemetry/api';
import { setHttpRoute } from '../http/server-span.js';
import { instrumentationTracer } from '../instrumentation-tracer.js';
import { recordError } from '../record-error.js';

type Handle = (this: unknown, ...args: unknown[]) => unknown;

export interface ExpressLayer {
  handle: Handle;
  name?: string;
  route?: unknown;
}

interface RequestState {
  /** The context the first layer ran in (the SERVER span's): every layer span is its child. */
  base: Context;
  /** Mount paths of the layers entered and not yet left; their join is the route. */
  paths: string[];
}

const PATCHED = Symbol('ariadne.express.layer');
const STATE = Symbol('ariadne.express.request');
type Req = IncomingMessage & { [STATE]?: RequestState };

function routeOf(paths: string[]): string {
  const route = paths
    .filter((p) => p !== '' && p !== '/' && p !== '/*')
    .join('')
    .replace(/\/{2,}/g, '/');
  return route === '' ? '/' : route;
}

function describe(layer: ExpressLayer, path: string | undefined, route: string): { name: string; attributes: Attributes } {
  if (layer.route !== undefined) {
    return {
      name: `request handler - ${route}`,
      attributes: { 'express.type': 'request_handler', 'express.name': route, 'http.route': route },
    };
  }
  if (layer.name === 'router') {
    const mount = path ?? '/';
    return { name: `router - ${mount}`, attributes: { 'express.type': 'router', 'express.name': mount, 'http.route': route } };
  }
  const name = layer.name ?? '<anonymous>';
  return { name: `middleware - ${name}`, attributes: { 'express.type': 'middleware', 'express.name': name, 'http.route': route } };
}

/** What next() means by its argument: nothing, 'route' and 'router' are not errors. */
function isError(arg: unknown): boolean {
  return arg !== undefined && arg !== null && arg !== 'route' && arg !== 'router';
}

function stateOf(req: Req): RequestState {
  let state = req[STATE];
  if (state === undefined) {
    state = { base: context.active(), paths: [] };
    Object.defineProperty(req, STATE, { value: state, configurable: true });
  }
  return state;
}

function runLayer(layer: ExpressLayer, path: string | undefined, handle: Handle, self: unknown, args: unknown[]): unknown {
  const req = args[0] as Req;
  const res = args[1] as ServerResponse;
  const next = args[2];
  let state: RequestState;
  let span: Span | undefined;
  let depth: number;
  try {
    state = stateOf(req);
    depth = state.paths.length;
    state.paths.push(path ?? '');
    const route = routeOf(state.paths);
    if (layer.route !== undefined) setHttpRoute(req, route);
    if (trace.getSpan(state.base) !== undefined) {
      const { name, attributes } = describe(layer, path, route);
      span = instrumentationTracer(undefined).startSpan(name, { attributes }, state.base);
    }
  } catch (err) {
    diag.error('ariadne: express layer not traced', err);
    return handle.apply(self, args);
  }

  let ended = false;
  let listening = false;
  const finish = (err?: unknown) => {
    if (ended) return;
    ended = true;
    if (listening) {
      res.off('finish', onClose);
      res.off('close', onClose);
    }
    if (span === undefined) return;
    if (err !== undefined) recordError(span, err);
    span.end();
  };
  const onClose = () => finish();
  if (typeof next === 'function') {
    // Leaving the layer: end its span, forget its path, and go on in the base context so that the
    // next layer's span is the SERVER span's child, not this one's.
    args[2] = function (this: unknown, ...nextArgs: unknown[]) {
      finish(isError(nextArgs[0]) ? nextArgs[0] : undefined);
      state.paths.length = depth;
      return context.with(state.base, () => next.apply(this, nextArgs));
    };
  }
  let result: unknown;
  try {
    const ctx = span === undefined ? state.base : trace.setSpan(state.base, span);
    result = context.with(ctx, () => handle.apply(self, args));
  } catch (err) {
    finish(err);
    state.paths.length = depth;
    throw err;
  }
  // A handler that answers without calling next() is done when the response is: ahead of the
  // SERVER span, which ends on the same event; or when the client goes away first. Outside the
  // try above: what fails here is not the handler's error (a mock response without events).
  if (!ended && typeof (res as Partial<ServerResponse> | undefined)?.prependOnceListener === 'function') {
    res.prependOnceListener('finish', onClose);
    res.once('close', onClose);
    listening = true;
  }
  return result;
}

/**
 * Replaces a layer's handle with one that runs it in a span, keeps the mounted paths to name the
 * route, and ends the span when the layer calls next, throws, or its response closes. Error
 * handlers (four parameters) are left as they are, as OpenTelemetry's instrumentation does.
 */
export function wrapExpressLayer(layer: ExpressLayer | undefined, path: string | undefined): void {
  if (layer === undefined || typeof layer.handle !== 'function') return;
  const target = layer as ExpressLayer & { [PATCHED]?: true };
  if (target[PATCHED] || layer.handle.length > 3) return;
  target[PATCHED] = true;
  const handle = layer.handle;
  const wrapped = function (this: unknown, ...args: unknown[]) {
    return runLayer(layer, path, handle, this, args);
  };
  // The router reads the arity (error handler or not); a mounted router is also read for its stack.
  Object.defineProperty(wrapped, 'length', { value: handle.length });
  Object.defineProperty(wrapped, 'name', { value: handle.name });
  if (Object.getPrototypeOf(handle) !== Function.prototype) Object.setPrototypeOf(wrapped, Object.getPrototypeOf(handle));
  for (const key of Object.keys(handle)) {
    Object.defineProperty(wrapped, key, {
      get: () => (handle as unknown as Record<string, unknown>)[key],
      set: (value: unknown) => ((handle as unknown as Record<string, unknown>)[key] = value),
      enumerable: true,
    });
  }
  layer.handle = wrapped;
}
