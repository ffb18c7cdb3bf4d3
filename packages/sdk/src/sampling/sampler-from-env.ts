import { diag } from '@opentelemetry/api';
import { AlwaysOffSampler } from './always-off-sampler.js';
import { AlwaysOnSampler } from './always-on-sampler.js';
import { ParentBasedSampler } from './parent-based-sampler.js';
import type { Sampler } from './sampler.js';
import { TraceIdRatioBasedSampler } from './trace-id-ratio-sampler.js';

function ratioFrom(arg: string | undefined): number {
  if (arg === undefined || arg.trim() === '') return 1;
  const ratio = Number(arg);
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
    diag.warn(`ariadne: OTEL_TRACES_SAMPLER_ARG=${arg} is not a ratio in [0, 1]; using 1`);
    return 1;
  }
  return ratio;
}

/** The sampler named by OTEL_TRACES_SAMPLER (default parentbased_always_on) and its _ARG. */
export function samplerFromEnv(name: string | undefined, arg: string | undefined): Sampler {
  switch ((name ?? '').trim().toLowerCase()) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratioFrom(arg));
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratioFrom(arg)) });
    case '':
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    default:
      diag.warn(`ariadne: unknown OTEL_TRACES_SAMPLER=${name}; using parentbased_always_on`);
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}
