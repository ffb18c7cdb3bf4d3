import { wrapMethod } from '../wrap-method.js';
import { wrapExpressLayer } from './wrap-express-layer.js';
import type { ExpressLayer } from './wrap-express-layer.js';

interface ExpressRouter {
  stack?: ExpressLayer[];
}

/** The path a use() or route() call mounts on: a string, an array of them or a RegExp. */
function mountPath(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (Array.isArray(arg)) return arg.map(String).join(',');
  if (arg instanceof RegExp) return arg.toString();
  return undefined;
}

function wrapAdded(original: (this: unknown, ...args: unknown[]) => unknown) {
  return function (this: unknown, ...args: unknown[]): unknown {
    const stack = (this as ExpressRouter).stack;
    const before = Array.isArray(stack) ? stack.length : 0;
    const result = original.apply(this, args);
    const after = (this as ExpressRouter).stack;
    // use(path, a, b) adds a layer per function; all of them are mounted on the same path.
    if (Array.isArray(after)) for (let i = before; i < after.length; i++) wrapExpressLayer(after[i], mountPath(args[0]));
    return result;
  };
}

/**
 * Wraps each layer as Router#use and Router#route add it, which covers app.use, app.get and
 * friends (they call the app's router) and every express.Router().
 */
export function patchExpress(exports: unknown): void {
  const Router = (exports as { Router?: { use?: unknown; prototype?: object } }).Router;
  // Express 4's Router is itself the prototype of its routers; Express 5's (the router package) is a class.
  const proto = typeof Router?.use === 'function' ? Router : Router?.prototype;
  wrapMethod(proto, 'use', wrapAdded);
  wrapMethod(proto, 'route', wrapAdded);
}
