import { context, diag, SpanKind, trace } from '@opentelemetry/api';
import type { Attributes, Context, Span } from '@opentelemetry/api';
import { isTracingSuppressed } from '../../context/suppress-tracing.js';
import { instrumentationTracer } from '../instrumentation-tracer.js';
import { recordError } from '../record-error.js';

export interface DbCall {
  /** db.system.name: postgresql, mysql, redis. */
  system: string;
  /** db.operation.name: SELECT, SET, MULTI; also the span name's first word. */
  operation: string | undefined;
  /** db.query.text, already sanitized. */
  query: string | undefined;
  namespace?: string | undefined;
  host?: string | undefined;
  port?: number | undefined;
  user?: string | undefined;
  /** db.operation.batch.size, for a pipeline or transaction of several commands. */
  batchSize?: number | undefined;
  /** The span name when not `{operation} {namespace}`: Redis names a span by its command. */
  name?: string | undefined;
}

/**
 * Whether to add the names OpenTelemetry JS contrib still emits by default (db.system, db.name,
 * db.statement, db.user, net.peer.*), beside the stable ones: yes unless
 * OTEL_SEMCONV_STABILITY_OPT_IN asks for `database` alone.
 */
let legacyNames: boolean | undefined;
function emitLegacyNames(): boolean {
  if (legacyNames === undefined) {
    const optIn = (process.env.OTEL_SEMCONV_STABILITY_OPT_IN ?? '').split(',').map((s) => s.trim());
    legacyNames = !(optIn.includes('database') && !optIn.includes('database/dup'));
  }
  return legacyNames;
}

/** For tests: re-read OTEL_SEMCONV_STABILITY_OPT_IN on the next span. */
export function resetDbSemconvChoice(): void {
  legacyNames = undefined;
}

/**
 * String (with an E/N/X/B prefix), dollar-quoted ($$...$$, $tag$...$tag$), hex and numeric
 * literals; not identifiers like t1 or placeholders like $1. With `doubleQuoted` (MySQL),
 * "..." is a string too; in PostgreSQL it quotes an identifier.
 */
const STRING = String.raw`(?:\b[ENXBenxb])?'(?:[^'\\]|''|\\.)*'`;
const DOLLAR = String.raw`\$([A-Za-z_]\w*)?\$[\s\S]*?\$\1\$`;
const NUMBER = String.raw`\b0x[0-9a-f]+\b|(?<![\w$.])-?\d+(?:\.\d+)?(?:e[+-]?\d+)?\b`;
const DOUBLE = String.raw`"(?:[^"\\]|""|\\.)*"`;
const LITERALS = new RegExp(`${STRING}|${DOLLAR}|${NUMBER}`, 'gi');
const LITERALS_DOUBLE_QUOTED = new RegExp(`${STRING}|${DOUBLE}|${NUMBER}`, 'gi');

/** Replaces literals with `?`, so that db.query.text carries no user data (the default). */
export function sanitizeSql(sql: string, doubleQuoted = false): string {
  return sql.replace(doubleQuoted ? LITERALS_DOUBLE_QUOTED : LITERALS, '?');
}

const SPACE = /\s/;
const WORD = /\w+/y;

/** The first keyword after any leading whitespace and comments, upper case: SELECT, INSERT, ... */
export function sqlOperation(sql: string): string | undefined {
  // Skipped by hand: as a regular expression of nested repeats, a long run of whitespace before
  // a non-word character made it backtrack exponentially, on the app's call path.
  let i = 0;
  for (;;) {
    if (SPACE.test(sql.charAt(i))) {
      i++;
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      if (end === -1) return undefined;
      i = end + 2;
    } else if (sql.startsWith('--', i)) {
      const end = sql.indexOf('\n', i + 2);
      if (end === -1) return undefined;
      i = end + 1;
    } else {
      break;
    }
  }
  WORD.lastIndex = i;
  return WORD.exec(sql)?.[0].toUpperCase();
}

/** Commands whose first argument is a secret or a value rather than a key. */
const NO_KEY = new Set(['AUTH', 'HELLO', 'ECHO', 'MIGRATE']);

/**
 * A Redis command as db.query.text: the command and its key, each further argument as `?`
 * (`SET user:1 ?`), so values never leave the process.
 */
export function redisQueryText(command: string, args: readonly unknown[]): string {
  if (args.length === 0) return command;
  const parts = [command];
  const first = args[0];
  const key = typeof first === 'string' ? first : Buffer.isBuffer(first) ? first.toString() : typeof first === 'number' ? String(first) : '?';
  parts.push(NO_KEY.has(command) ? '?' : key);
  for (let i = 1; i < args.length; i++) parts.push('?');
  return parts.join(' ');
}

/**
 * A CLIENT span per the database semantic conventions, child of the active span; undefined
 * while tracing is suppressed, or when `describe` throws (the call then runs untraced: the SDK
 * never throws into the application). Named `{operation} {namespace}` (`SELECT shop`).
 */
export function startDbSpan(describe: () => DbCall): Span | undefined {
  const active = context.active();
  if (isTracingSuppressed(active)) return undefined;
  let call: DbCall;
  try {
    call = describe();
  } catch (err) {
    diag.debug('ariadne: database call not described; untraced', err);
    return undefined;
  }
  const attributes: Attributes = { 'db.system.name': call.system };
  if (call.namespace) attributes['db.namespace'] = call.namespace;
  if (call.operation) attributes['db.operation.name'] = call.operation;
  if (call.query !== undefined) attributes['db.query.text'] = call.query;
  if (call.batchSize !== undefined) attributes['db.operation.batch.size'] = call.batchSize;
  if (call.host) attributes['server.address'] = call.host;
  if (call.port) attributes['server.port'] = call.port;
  if (emitLegacyNames()) {
    attributes['db.system'] = call.system;
    if (call.namespace) attributes['db.name'] = call.namespace;
    if (call.query !== undefined) attributes['db.statement'] = call.query;
    if (call.user) attributes['db.user'] = call.user;
    if (call.host) attributes['net.peer.name'] = call.host;
    if (call.port) attributes['net.peer.port'] = call.port;
  }
  const target = call.namespace ? ` ${call.namespace}` : '';
  const name = call.name ?? (call.operation ? `${call.operation}${target}` : call.system);
  return instrumentationTracer(undefined).startSpan(name, { kind: SpanKind.CLIENT, attributes }, active);
}

/**
 * db.response.status_code as the conventions define it per system: PostgreSQL's SQLSTATE,
 * MySQL's error number, the Redis error prefix (WRONGTYPE, ERR).
 */
function statusCodeOf(error: unknown): string | undefined {
  const e = error as { code?: unknown; errno?: unknown; sqlState?: unknown; message?: unknown } | null;
  if (e === null || typeof e !== 'object') return undefined;
  if (typeof e.errno === 'number' && typeof e.sqlState === 'string') return String(e.errno);
  if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && 'severity' in e) return e.code;
  if (isRedisReplyError(e) && typeof e.message === 'string') return /^[A-Z]+/.exec(e.message)?.[0];
  return undefined;
}

/** ioredis' ReplyError, node-redis' ErrorReply and its subclasses (their name stays Error). */
function isRedisReplyError(error: object): boolean {
  if ((error as { name?: unknown }).name === 'ReplyError') return true;
  for (let p = Object.getPrototypeOf(error) as object | null; p !== null && p !== Error.prototype; p = Object.getPrototypeOf(p) as object | null) {
    if ((p as { constructor?: { name?: unknown } }).constructor?.name === 'ErrorReply') return true;
  }
  return false;
}

/**
 * Ends the span, failed when `error` is set; `returnedRows` becomes db.response.returned_rows.
 * A second call (a callback and an event for the same query) does nothing.
 */
export function endDbSpan(span: Span, error?: unknown, returnedRows?: number): void {
  if (!span.isRecording()) return;
  if (error) {
    recordError(span, error);
    const code = statusCodeOf(error);
    if (code !== undefined) {
      span.setAttribute('db.response.status_code', code);
      span.setAttribute('error.type', code);
    }
  } else if (returnedRows !== undefined) {
    span.setAttribute('db.response.returned_rows', returnedRows);
  }
  span.end();
}

type Callback = (this: unknown, err: unknown, ...rest: unknown[]) => unknown;

/** How a library's result says how many rows came back. */
export type RowCounter = (result: unknown) => number | undefined;

/** A node-style callback that ends the span first, then runs in `caller`, the context the call was made in. */
export function wrapDbCallback(span: Span, caller: Context, callback: Callback, rows?: RowCounter): Callback {
  return function (this: unknown, err: unknown, ...rest: unknown[]) {
    endDbSpan(span, err, err ? undefined : rows?.(rest[0]));
    return context.with(caller, () => callback.call(this, err, ...rest));
  };
}

/**
 * Calls `invoke` with args under the span, ending the span when the call's callback (the last
 * argument, run in the caller's context again) is called, its promise settles, or the returned
 * emitter ends.
 */
export function traceDbCall(span: Span | undefined, args: unknown[], invoke: (args: unknown[]) => unknown, rows?: RowCounter): unknown {
  if (span === undefined) return invoke(args);
  const caller = context.active();
  const last = args.length - 1;
  if (typeof args[last] === 'function') {
    args = [...args];
    args[last] = wrapDbCallback(span, caller, args[last] as Callback, rows);
    return callWithSpan(span, caller, args, invoke);
  }
  const result = callWithSpan(span, caller, args, invoke);
  // Emitters first: a mysql2 Query has a then() that throws.
  if (result !== null && typeof result === 'object' && typeof (result as { emit?: unknown }).emit === 'function') {
    endOnEvents(span, result as Emitter);
  } else if (typeof (result as { then?: unknown } | undefined)?.then === 'function') {
    return endOnSettle(span, result as PromiseLike<unknown>, rows);
  } else {
    endDbSpan(span);
  }
  return result;
}

/**
 * `promise`, ending `span` when it settles. A native promise is given back chained, not with a
 * handler attached: that would mark the app's promise handled, and a query the app never awaits
 * would no longer fail with an unhandled rejection as it does untraced. Another thenable (with
 * methods of its own) is returned as it is.
 */
export function endOnSettle(span: Span, promise: PromiseLike<unknown>, rows?: RowCounter): PromiseLike<unknown> {
  if (promise instanceof Promise) {
    return promise.then(
      (value: unknown) => {
        endDbSpan(span, undefined, rows?.(value));
        return value;
      },
      (error: unknown) => {
        endDbSpan(span, error);
        throw error;
      },
    );
  }
  promise.then(
    (value) => endDbSpan(span, undefined, rows?.(value)),
    (error: unknown) => endDbSpan(span, error),
  );
  return promise;
}

interface Emitter {
  emit(event: string | symbol, ...args: unknown[]): boolean;
}

/**
 * Ends the span when an event-emitting query (pg Submittable, mysql2 Query) emits `end` or
 * `error`. Seen through emit rather than listeners: an `error` listener would swallow errors the
 * application does not listen for.
 */
export function endOnEvents(span: Span, emitter: Emitter): void {
  const emit = emitter.emit;
  emitter.emit = function (this: unknown, event: string | symbol, ...rest: unknown[]) {
    if (event === 'end') endDbSpan(span);
    else if (event === 'error') endDbSpan(span, rest[0]);
    return emit.call(this, event, ...rest);
  };
}

/** Runs `invoke` with the span active, so that nested work (a pool's connect) is its child. */
export function callWithSpan(span: Span, caller: Context, args: unknown[], invoke: (args: unknown[]) => unknown): unknown {
  try {
    return context.with(trace.setSpan(caller, span), () => invoke(args));
  } catch (err) {
    endDbSpan(span, err);
    throw err;
  }
}
