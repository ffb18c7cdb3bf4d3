import { diag } from '@opentelemetry/api';
import { logCorrelation } from '../log-correlation.js';
import { onModuleLoad } from '../module-hook.js';

type AsJson = (this: unknown, obj: object, ...rest: unknown[]) => unknown;
type Pino = ((options: object, stream: object) => object) & { symbols?: { asJsonSym?: symbol } };

const WRAPPED = Symbol.for('ariadne.wrapped');

/**
 * Adds trace_id, span_id and trace_flags to the records of every pino logger while a span is
 * active. The pino factory cannot be swapped from a load hook, so instead of a mixin per logger
 * this wraps the serializer all loggers share (pino.symbols.asJsonSym, found on a throwaway
 * logger's prototype chain); it runs after the user's mixin, and the record's own fields win.
 */
export function patchPino(exports: unknown): void {
  const pino = exports as Pino;
  const asJsonSym = pino.symbols?.asJsonSym;
  if (typeof pino !== 'function' || typeof asJsonSym !== 'symbol') return;
  let proto: Record<symbol, unknown> | null = pino({ level: 'silent' }, { write() {} }) as Record<symbol, unknown>;
  while (proto !== null && !Object.prototype.hasOwnProperty.call(proto, asJsonSym)) proto = Object.getPrototypeOf(proto);
  const asJson = proto?.[asJsonSym] as (AsJson & { [WRAPPED]?: true }) | undefined;
  if (proto === null || typeof asJson !== 'function') {
    diag.debug('ariadne: pino serializer not found; logs are not correlated');
    return;
  }
  if (asJson[WRAPPED]) return;
  const wrapped = function (this: unknown, obj: object, ...rest: unknown[]) {
    const ids = logCorrelation();
    return asJson.call(this, ids === undefined ? obj : { ...ids, ...obj }, ...rest);
  };
  Object.defineProperty(wrapped, WRAPPED, { value: true });
  proto[asJsonSym] = wrapped;
}

export function instrumentPino(): void {
  onModuleLoad('pino', patchPino);
}
