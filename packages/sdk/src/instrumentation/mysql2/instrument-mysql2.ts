import { context } from '@opentelemetry/api';
import { createRequire } from 'node:module';
import { onModuleLoad } from '../module-hook.js';
import { sanitizeSql, sqlOperation, startDbSpan, traceDbCall, wrapDbCallback } from '../db/db-span.js';
import type { RowCounter } from '../db/db-span.js';
import { wrapMethod } from '../wrap-method.js';

interface Mysql2Connection {
  config?: { database?: string; host?: string; port?: number; user?: string };
}

interface Mysql2Exports {
  Connection?: { prototype: object };
  Pool?: { prototype: object };
}

type Callback = (this: unknown, err: unknown, ...rest: unknown[]) => unknown;

function textOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  const sql = (arg as { sql?: unknown } | null | undefined)?.sql;
  return typeof sql === 'string' ? sql : undefined;
}

const rows: RowCounter = (result) => (Array.isArray(result) ? result.length : undefined);

/**
 * The prototype that defines `name`: mysql2 3.12+ keeps query and getConnection on base classes
 * that Connection, PoolConnection and Pool extend; older versions on the classes themselves.
 */
function owner(proto: object | undefined, name: string): object | undefined {
  for (let p = proto; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | undefined) {
    if (Object.prototype.hasOwnProperty.call(p, name)) return p;
  }
  return undefined;
}

function patch(mysql: Mysql2Exports): void {
  for (const method of ['query', 'execute']) {
    wrapMethod(owner(mysql.Connection?.prototype, method), method, (original) =>
      function (this: unknown, ...args: unknown[]) {
        const span = startDbSpan(() => {
          const config = (this as Mysql2Connection).config;
          const text = textOf(args[0]);
          return {
            system: 'mysql',
            operation: text === undefined ? undefined : sqlOperation(text),
            query: text === undefined ? undefined : sanitizeSql(text, true),
            namespace: config?.database,
            host: config?.host,
            port: config?.port,
            user: config?.user,
          };
        });
        // A pool hands over a prepared Query command whose onResult is the caller's callback.
        const command = args[0] as { onResult?: unknown } | null;
        if (span !== undefined && typeof command === 'object' && command !== null && typeof command.onResult === 'function') {
          command.onResult = wrapDbCallback(span, context.active(), command.onResult as Callback, rows);
        }
        return traceDbCall(span, args, (a) => original.apply(this, a), rows);
      },
    );
  }
  // A released connection is handed to a waiting getConnection() from the releaser's context.
  wrapMethod(owner(mysql.Pool?.prototype, 'getConnection'), 'getConnection', (getConnection) =>
    function (this: unknown, ...args: unknown[]) {
      if (typeof args[0] === 'function') args[0] = context.bind(context.active(), args[0]);
      return getConnection.apply(this, args);
    },
  );
}

/** CLIENT spans for mysql2 query and execute, callback and promise APIs alike. */
export function instrumentMysql2(): void {
  onModuleLoad('mysql2', (exports, request, filename) => {
    // mysql2/promise wraps the callback API without loading index.js: load and patch that.
    if (request.endsWith('promise') || request.endsWith('promise.js')) {
      patch(createRequire(filename())('./index.js') as Mysql2Exports);
    } else {
      patch(exports as Mysql2Exports);
    }
  });
}
