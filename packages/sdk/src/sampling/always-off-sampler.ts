import { SamplingDecision } from './sampler.js';
import type { Sampler, SamplingResult } from './sampler.js';

const RESULT: SamplingResult = Object.freeze({ decision: SamplingDecision.NOT_RECORD });

export class AlwaysOffSampler implements Sampler {
  shouldSample(): SamplingResult {
    return RESULT;
  }

  toString(): string {
    return 'AlwaysOffSampler';
  }
}
