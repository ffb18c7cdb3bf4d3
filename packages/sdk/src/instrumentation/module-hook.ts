import Module from 'node:module';
import { sep } from 'node:path';
import { diag } from '@opentelemetry/api';

/**
 * Patches a library's exports in place; `request` says which entry was loaded (`mysql2/promise`),
 * `filename` resolves it to its file.
 */
export type Patcher = (exports: unknown, request: string, filename: () => string) => void;

const patchers = new Map<string, Patcher>();
const seen = new WeakSet<object>();
const NODE_MODULES = `${sep}node_modules${sep}`;

/**
 * The package a `Module._load` request names: a bare specifier (`pg`, `@redis/client/dist/x`),
 * or an absolute path under node_modules, which is how an ESM import of a CJS package arrives.
 */
function packageOf(request: string): string | undefined {
  let spec = request;
  if (request.charCodeAt(0) === 46 /* . */) return undefined;
  if (request.includes(sep) && (request.charCodeAt(0) === 47 /* / */ || /^[A-Za-z]:/.test(request))) {
    const at = request.lastIndexOf(NODE_MODULES);
    if (at === -1) return undefined;
    spec = request.slice(at + NODE_MODULES.length).replaceAll(sep, '/');
  }
  const slash = spec.indexOf('/');
  if (slash === -1) return spec;
  if (spec.charCodeAt(0) !== 64 /* @ */) return spec.slice(0, slash);
  const second = spec.indexOf('/', slash + 1);
  return second === -1 ? spec : spec.slice(0, second);
}

function onLoad(request: string, exports: unknown, filename: () => string): void {
  const patch = patchers.get(request) ?? patchers.get(packageOf(request) ?? '');
  if (patch === undefined || (typeof exports !== 'object' && typeof exports !== 'function') || exports === null) return;
  if (seen.has(exports)) return;
  seen.add(exports);
  try {
    patch(exports, request, filename);
  } catch (err) {
    diag.error(`ariadne: instrumenting ${request} failed; it runs untraced`, err);
  }
}

let installed = false;

/**
 * Calls `patch` with a package's exports each time the app loads one of its entries. Every
 * supported library ships CommonJS, and Node 20 loads CommonJS through Module._load also when an
 * ES module imports it, so this one hook serves both module systems; a module.register() loader
 * would cost a loader thread and a source transform per module (what import-in-the-middle pays).
 */
export function onModuleLoad(packageName: string, patch: Patcher): void {
  patchers.set(packageName, patch);
  if (installed) return;
  installed = true;
  const mod = Module as unknown as {
    _load: (request: string, parent: unknown, isMain: boolean) => unknown;
    _resolveFilename: (request: string, parent: unknown, isMain: boolean) => string;
  };
  const load = mod._load;
  mod._load = function ariadneLoad(this: unknown, request: string, parent: unknown, isMain: boolean): unknown {
    const exports = load.call(this, request, parent, isMain);
    if (typeof request === 'string') onLoad(request, exports, () => mod._resolveFilename(request, parent, isMain));
    return exports;
  };
}
