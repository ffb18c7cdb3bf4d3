import { diag } from '@opentelemetry/api';
import type { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';

/** Runs propagators in order; extraction lets later ones refine earlier ones' context. */
export class CompositePropagator implements TextMapPropagator {
  constructor(private readonly propagators: readonly TextMapPropagator[] = []) {}

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    for (const p of this.propagators) {
      try {
        p.inject(context, carrier, setter);
      } catch (err) {
        diag.warn('ariadne: propagator inject failed', err);
      }
    }
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    let out = context;
    for (const p of this.propagators) {
      try {
        out = p.extract(out, carrier, getter);
      } catch (err) {
        diag.warn('ariadne: propagator extract failed', err);
      }
    }
    return out;
  }

  fields(): string[] {
    return [...new Set(this.propagators.flatMap((p) => p.fields()))];
  }
}
