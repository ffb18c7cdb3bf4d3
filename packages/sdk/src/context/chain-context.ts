import type { Context, Span } from '@opentelemetry/api';

/**
 * A context that is its parent plus one entry: setValue costs one small object, where the API's
 * BaseContext copies its whole Map and makes three closures. Lookups walk the chain, which
 * stays as short as the number of values set along a request.
 */
export class ChainContext implements Context {
  constructor(
    private readonly parent: Context,
    private readonly key: symbol,
    private readonly value: unknown,
  ) {}

  getValue(key: symbol): unknown {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- walks the chain without recursion
    let ctx: Context = this;
    while (ctx instanceof ChainContext) {
      if (ctx.key === key) return ctx.value;
      ctx = ctx.parent;
    }
    return ctx.getValue(key);
  }

  setValue(key: symbol, value: unknown): Context {
    return new ChainContext(this, key, value);
  }

  deleteValue(key: symbol): Context {
    // An entry of undefined reads as a missing one, as with the API's contexts.
    return new ChainContext(this, key, undefined);
  }
}

/** `ctx.setValue(key, value)`, as a ChainContext. */
export function withValue(ctx: Context, key: symbol, value: unknown): Context {
  return new ChainContext(ctx, key, value);
}

// The key the API's trace.setSpan uses (createContextKey is Symbol.for).
const SPAN_KEY = Symbol.for('OpenTelemetry Context Key SPAN');

/** `trace.setSpan(ctx, span)`, as a ChainContext. */
export function withSpan(ctx: Context, span: Span): Context {
  return new ChainContext(ctx, SPAN_KEY, span);
}
