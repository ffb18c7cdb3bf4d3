import { diag } from '@opentelemetry/api';
import { LOG_CORRELATION_KEYS, logCorrelation } from '../log-correlation.js';
import { onModuleLoad } from '../module-hook.js';

type AsJson = (this: Record<symbol, unknown>, obj: Record<string, unknown>, ...rest: unknown[]) => unknown;
type Pino = ((options: object, stream: object) => object) & { symbols?: { asJsonSym?: symbol; chindingsSym?: symbol } };
type Ids = NonNullable<ReturnType<typeof logCorrelation>>;

/** The ids the record does not have, as the `,"key":"value"` pairs pino's bindings are kept as. */
function idFields(ids: Ids, obj: Record<string, unknown>): string {
  let fields = '';
  for (const key of LOG_CORRELATION_KEYS) {
    if (obj[key] === undefined) fields += `,"${key}":"${ids[key]}"`; // hex: nothing to escape
  }
  return fields;
}

const WRAPPED = Symbol.for('ariadne.wrapped');

/**
 * Adds trace_id, span_id and trace_flags to the records of every pino logger while a span is
 * active. The pino factory cannot be swapped from a load hook, so instead of a mixin per logger
 * this wraps the serializer all loggers share (pino.symbols.asJsonSym, found on a throwaway
 * logger's prototype chain); it runs after the user's mixin, and the record's own fields win.
 * The ids join the logger's bindings (chindings, already JSON) for the one call: the logged
 * object reaches the app's formatters as it is, not copied.
 */
export function patchPino(exports: unknown): void {
  const pino = exports as Pino;
  const asJsonSym = pino.symbols?.asJsonSym;
  const chindingsSym = pino.symbols?.chindingsSym;
  if (typeof pino !== 'function' || typeof asJsonSym !== 'symbol' || typeof chindingsSym !== 'symbol') return;
  let proto: Record<symbol, unknown> | null = pino({ level: 'silent' }, { write() {} }) as Record<symbol, unknown>;
  while (proto !== null && !Object.prototype.hasOwnProperty.call(proto, asJsonSym)) proto = Object.getPrototypeOf(proto);
  const asJson = proto?.[asJsonSym] as (AsJson & { [WRAPPED]?: true }) | undefined;
  if (proto === null || typeof asJson !== 'function') {
    diag.debug('ariadne: pino serializer not found; logs are not correlated');
    return;
  }
  if (asJson[WRAPPED]) return;
  const wrapped = function (this: Record<symbol, unknown>, obj: Record<string, unknown>, ...rest: unknown[]) {
    const ids = logCorrelation();
    const fields = ids === undefined ? '' : idFields(ids, obj);
    if (fields === '') return asJson.call(this, obj, ...rest);
    const own = Object.prototype.hasOwnProperty.call(this, chindingsSym);
    const chindings = this[chindingsSym];
    this[chindingsSym] = `${typeof chindings === 'string' ? chindings : ''}${fields}`;
    try {
      return asJson.call(this, obj, ...rest);
    } finally {
      if (own) this[chindingsSym] = chindings;
      else delete this[chindingsSym];
    }
  };
  Object.defineProperty(wrapped, WRAPPED, { value: true });
  proto[asJsonSym] = wrapped;
}

export function instrumentPino(): void {
  onModuleLoad('pino', patchPino);
}
