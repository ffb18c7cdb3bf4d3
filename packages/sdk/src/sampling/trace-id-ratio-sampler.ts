import type { Context } from '@opentelemetry/api';
import { SamplingDecision } from './sampler.js';
import type { Sampler, SamplingResult } from './sampler.js';

const SAMPLED: SamplingResult = Object.freeze({ decision: SamplingDecision.RECORD_AND_SAMPLED });
const DROPPED: SamplingResult = Object.freeze({ decision: SamplingDecision.NOT_RECORD });
const TWO_28 = 2 ** 28;

/**
 * Samples a trace when the randomness in its id (the low 56 bits, random by W3C Trace Context
 * Level 2) is at least the threshold (1 - ratio) * 2^56, as OpenTelemetry's consistent
 * probability sampling does, so every service with the same ratio keeps the same traces.
 */
export class TraceIdRatioBasedSampler implements Sampler {
  readonly ratio: number;
  // The threshold split into two 28-bit halves, so the comparison stays exact in doubles.
  private readonly thresholdHigh: number;
  private readonly thresholdLow: number;

  constructor(ratio = 1) {
    this.ratio = Number.isFinite(ratio) ? Math.min(1, Math.max(0, ratio)) : 0;
    const threshold = Math.round((1 - this.ratio) * 2 ** 56);
    this.thresholdHigh = Math.floor(threshold / TWO_28);
    this.thresholdLow = threshold - this.thresholdHigh * TWO_28;
  }

  shouldSample(_context: Context, traceId: string): SamplingResult {
    if (this.ratio <= 0) return DROPPED;
    if (this.ratio >= 1) return SAMPLED;
    const high = parseInt(traceId.slice(18, 25), 16);
    const low = parseInt(traceId.slice(25, 32), 16);
    if (Number.isNaN(high) || Number.isNaN(low)) return DROPPED;
    const keep = high > this.thresholdHigh || (high === this.thresholdHigh && low >= this.thresholdLow);
    return keep ? SAMPLED : DROPPED;
  }

  toString(): string {
    return `TraceIdRatioBased{${this.ratio}}`;
  }
}
