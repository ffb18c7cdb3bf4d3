import { logCorrelation } from '../log-correlation.js';
import { onModuleLoad } from '../module-hook.js';
import { wrapMethod } from '../wrap-method.js';

/**
 * Adds trace_id, span_id and trace_flags to winston records while a span is active, in the
 * logger's write, which every level method and child logger goes through before the formats
 * run; fields the record already has are kept.
 */
export function patchWinston(exports: unknown): void {
  const Logger = (exports as { Logger?: { prototype?: object } }).Logger;
  wrapMethod(Logger?.prototype, 'write', (write) =>
    function (this: unknown, ...args: unknown[]) {
      const info = args[0] as Record<string, unknown> | null;
      const ids = typeof info === 'object' && info !== null ? logCorrelation() : undefined;
      if (ids !== undefined) {
        for (const [key, value] of Object.entries(ids)) if (info![key] === undefined) info![key] = value;
      }
      return write.apply(this, args);
    },
  );
}

export function instrumentWinston(): void {
  onModuleLoad('winston', patchWinston);
}
