import { onModuleLoad } from '../module-hook.js';
import { wrapMethod } from '../wrap-method.js';
import { wrapKoaMiddleware, wrapRouterDispatch } from './wrap-koa-middleware.js';
import type { KoaMiddleware } from './wrap-koa-middleware.js';

/** Spans for Koa middleware and @koa/router routes, and the route on the SERVER span. */
export function instrumentKoa(): void {
  onModuleLoad('koa', (exports) => {
    const Koa = exports as { prototype?: object; default?: { prototype?: object } };
    wrapMethod(Koa.prototype ?? Koa.default?.prototype, 'use', (use) =>
      function (this: unknown, ...args: unknown[]) {
        const fn = args[0] as KoaMiddleware | undefined;
        if (typeof fn === 'function') args[0] = fn.router === undefined ? wrapKoaMiddleware(fn) : wrapRouterDispatch(fn);
        return use.apply(this, args);
      },
    );
  });
}
