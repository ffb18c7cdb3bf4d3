import { LOG_CORRELATION_KEYS, logCorrelation } from '../log-correlation.js';
import { onModuleLoad } from '../module-hook.js';
import { wrapMethod } from '../wrap-method.js';

// Records this patch gave ids: winston logs an object the app passes as the record itself, so
// an app that logs the same object again, in another span or in none, must not see stale ids.
const stamped = new WeakSet<object>();

/**
 * Adds trace_id, span_id and trace_flags to winston records while a span is active, in the
 * logger's write, which every level method and child logger goes through before the formats
 * run; fields the app gave the record are kept.
 */
export function patchWinston(exports: unknown): void {
  const Logger = (exports as { Logger?: { prototype?: object } }).Logger;
  wrapMethod(Logger?.prototype, 'write', (write) =>
    function (this: unknown, ...args: unknown[]) {
      const info = args[0] as Record<string, unknown> | null;
      if (typeof info === 'object' && info !== null) {
        const ids = logCorrelation();
        const ours = stamped.has(info);
        if (ids !== undefined) {
          for (const key of LOG_CORRELATION_KEYS) if (ours || info[key] === undefined) info[key] = ids[key];
          stamped.add(info);
        } else if (ours) {
          for (const key of LOG_CORRELATION_KEYS) delete info[key];
          stamped.delete(info);
        }
      }
      return write.apply(this, args);
    },
  );
}

export function instrumentWinston(): void {
  onModuleLoad('winston', patchWinston);
}
