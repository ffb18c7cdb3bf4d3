import { context } from '@opentelemetry/api';
import { onModuleLoad } from '../module-hook.js';
import { callWithSpan, endOnEvents, sanitizeSql, sqlOperation, startDbSpan, traceDbCall, wrapDbCallback } from '../db/db-span.js';
import type { RowCounter } from '../db/db-span.js';
import { wrapMethod } from '../wrap-method.js';

interface PgClient {
  database?: string;
  host?: string;
  port?: number;
  user?: string;
}

interface PgExports {
  Client?: { prototype: object };
  Pool?: { prototype: object };
}

type Callback = (this: unknown, err: unknown, ...rest: unknown[]) => unknown;

/** Query text from query(text, ...), query({ text }) or a Submittable. */
function textOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  const text = (arg as { text?: unknown } | null | undefined)?.text;
  return typeof text === 'string' ? text : undefined;
}

const rows: RowCounter = (result) => {
  const list = (result as { rows?: unknown } | null | undefined)?.rows;
  return Array.isArray(list) ? list.length : undefined;
};

/** CLIENT spans for node-postgres queries; pooled clients handed over in the caller's context. */
export function instrumentPg(): void {
  onModuleLoad('pg', (exports) => {
    const pg = exports as PgExports;
    wrapMethod(pg.Client?.prototype, 'query', (query) =>
      function (this: unknown, ...args: unknown[]) {
        const client = this as PgClient;
        const span = startDbSpan(() => {
          const text = textOf(args[0]);
          return {
            system: 'postgresql',
            operation: text === undefined ? undefined : sqlOperation(text),
            query: text === undefined ? undefined : sanitizeSql(text),
            namespace: client.database,
            host: client.host,
            port: client.port,
            user: client.user,
          };
        });
        const config = args[0] as { callback?: unknown; submit?: unknown } | null;
        if (span === undefined || typeof config !== 'object' || config === null || typeof config.callback !== 'function') {
          return traceDbCall(span, args, (a) => query.apply(this, a), rows);
        }
        // query({ text, callback }) or a Submittable with a callback: pg reports errors only there.
        const caller = context.active();
        const callback = wrapDbCallback(span, caller, config.callback as Callback, rows);
        const call = [...args];
        if (typeof config.submit === 'function') config.callback = callback;
        // A config whose fields come from its prototype (a query builder's getters) keeps them.
        else call[0] = Object.assign(Object.create(config) as object, { callback });
        const result = callWithSpan(span, caller, call, (a) => query.apply(this, a));
        if (typeof (result as { emit?: unknown } | undefined)?.emit === 'function') endOnEvents(span, result as Parameters<typeof endOnEvents>[1]);
        return result;
      },
    );
    // A released client is handed to a waiting connect() from the releaser's context.
    wrapMethod(pg.Pool?.prototype, 'connect', (connect) =>
      function (this: unknown, ...args: unknown[]) {
        if (typeof args[0] === 'function') args[0] = context.bind(context.active(), args[0]);
        return connect.apply(this, args);
      },
    );
  });
}
