import { SamplingDecision } from './sampler.js';
import type { Sampler, SamplingResult } from './sampler.js';

const RESULT: SamplingResult = Object.freeze({ decision: SamplingDecision.RECORD_AND_SAMPLED });

export class AlwaysOnSampler implements Sampler {
  shouldSample(): SamplingResult {
    return RESULT;
  }

  toString(): string {
    return 'AlwaysOnSampler';
  }
}
