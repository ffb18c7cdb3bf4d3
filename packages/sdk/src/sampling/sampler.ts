import type { Attributes, Context, Link, SpanKind, TraceState } from '@opentelemetry/api';

/** Same values as OpenTelemetry's SamplingDecision. */
export enum SamplingDecision {
  NOT_RECORD = 0,
  RECORD = 1,
  RECORD_AND_SAMPLED = 2,
}

export interface SamplingResult {
  decision: SamplingDecision;
  /** Added to the span. */
  attributes?: Attributes;
  /** Replaces the parent's trace state on the new span. */
  traceState?: TraceState;
}

/** Decides at span start whether a span records and is sampled; must be fast and must not throw. */
export interface Sampler {
  shouldSample(
    context: Context,
    traceId: string,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult;
  toString(): string;
}
