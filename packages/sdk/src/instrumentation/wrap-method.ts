import { diag } from '@opentelemetry/api';

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;
const WRAPPED = Symbol.for('ariadne.wrapped');

/**
 * Replaces `target[name]` with `wrap(original)`, once: a second call on the same method (two
 * copies of a library sharing a prototype, a re-run patcher) leaves it as it is.
 */
export function wrapMethod(target: object | undefined, name: string, wrap: (original: AnyFunction) => AnyFunction): void {
  const holder = target as Record<string, unknown> | undefined;
  const original = holder?.[name];
  if (typeof original !== 'function') {
    diag.debug(`ariadne: no method ${name} to instrument`);
    return;
  }
  if ((original as { [WRAPPED]?: true })[WRAPPED]) return;
  const wrapped = wrap(original as AnyFunction);
  Object.defineProperty(wrapped, WRAPPED, { value: true });
  Object.defineProperty(wrapped, 'length', { value: original.length });
  holder![name] = wrapped;
}
