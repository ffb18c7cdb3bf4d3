import type { IncomingMessage } from 'node:http';
import { setHttpRoute } from '../http/server-span.js';
import { wrapMethod } from '../wrap-method.js';
import { wrapFastifyHandler, wrapFastifyHook } from './wrap-fastify-hook.js';
import type { AnyFunction } from './wrap-fastify-hook.js';

/** The hooks on a request's way to its handler, as OpenTelemetry's Fastify instrumentation traces them. */
const TRACED_HOOKS = new Set(['onRequest', 'preParsing', 'preValidation', 'preHandler', 'preSerialization', 'onTimeout']);

interface FastifyInstance {
  addHook(name: string, fn: (...args: never[]) => unknown): unknown;
  pluginName?: string;
}

interface RouteOptions {
  url?: string;
  handler?: AnyFunction;
  [hook: string]: unknown;
}

const PATCHED = Symbol('ariadne.fastify.instance');

function pluginNameOf(instance: unknown): string | undefined {
  const name = (instance as FastifyInstance | undefined)?.pluginName;
  return typeof name === 'string' ? name : undefined;
}

/**
 * Adds a root onRequest hook that names the SERVER span after the matched route, an onRoute hook
 * that wraps each route's handler and route-level hooks, and wraps addHook for app and plugin
 * hooks (plugins inherit addHook from the root instance).
 */
export function patchFastifyInstance(instance: object): void {
  const app = instance as FastifyInstance & { [PATCHED]?: true };
  if (app[PATCHED]) return;
  app[PATCHED] = true;
  app.addHook('onRequest', function ariadneRoute(request: unknown, _reply: unknown, done: () => void) {
    const req = request as { raw?: IncomingMessage; routeOptions?: { url?: string } };
    setHttpRoute(req.raw, req.routeOptions?.url);
    done();
  });
  app.addHook('onRoute', function ariadneRoute(this: unknown, options: unknown) {
    const route = options as RouteOptions;
    const plugin = pluginNameOf(this);
    if (typeof route.handler === 'function') route.handler = wrapFastifyHandler(route.handler, route.url, plugin);
    for (const hook of TRACED_HOOKS) {
      const fns = route[hook];
      if (typeof fns === 'function') route[hook] = wrapFastifyHook(fns as AnyFunction, hook, plugin);
      else if (Array.isArray(fns)) route[hook] = fns.map((fn: unknown) => (typeof fn === 'function' ? wrapFastifyHook(fn as AnyFunction, hook, plugin) : fn));
    }
  });
  wrapMethod(app, 'addHook', (addHook) =>
    function (this: unknown, ...args: unknown[]) {
      if (typeof args[0] === 'string' && TRACED_HOOKS.has(args[0]) && typeof args[1] === 'function') {
        args[1] = wrapFastifyHook(args[1] as AnyFunction, args[0], pluginNameOf(this));
      }
      return addHook.apply(this, args);
    },
  );
}
