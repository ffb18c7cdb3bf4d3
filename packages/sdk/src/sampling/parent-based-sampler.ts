import { isSpanContextValid, trace, TraceFlags } from '@opentelemetry/api';
import type { Attributes, Context, Link, SpanKind } from '@opentelemetry/api';
import { AlwaysOffSampler } from './always-off-sampler.js';
import { AlwaysOnSampler } from './always-on-sampler.js';
import type { Sampler, SamplingResult } from './sampler.js';

export interface ParentBasedSamplerOptions {
  root: Sampler;
  remoteParentSampled?: Sampler;
  remoteParentNotSampled?: Sampler;
  localParentSampled?: Sampler;
  localParentNotSampled?: Sampler;
}

/** Follows the parent's sampled flag; asks `root` only for spans without a parent. */
export class ParentBasedSampler implements Sampler {
  private readonly root: Sampler;
  private readonly remoteParentSampled: Sampler;
  private readonly remoteParentNotSampled: Sampler;
  private readonly localParentSampled: Sampler;
  private readonly localParentNotSampled: Sampler;

  constructor(options: ParentBasedSamplerOptions) {
    this.root = options.root;
    this.remoteParentSampled = options.remoteParentSampled ?? new AlwaysOnSampler();
    this.remoteParentNotSampled = options.remoteParentNotSampled ?? new AlwaysOffSampler();
    this.localParentSampled = options.localParentSampled ?? new AlwaysOnSampler();
    this.localParentNotSampled = options.localParentNotSampled ?? new AlwaysOffSampler();
  }

  shouldSample(
    context: Context,
    traceId: string,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    const parent = trace.getSpanContext(context);
    let sampler: Sampler;
    if (parent === undefined || !isSpanContextValid(parent)) sampler = this.root;
    else {
      const sampled = (parent.traceFlags & TraceFlags.SAMPLED) !== 0;
      if (parent.isRemote) sampler = sampled ? this.remoteParentSampled : this.remoteParentNotSampled;
      else sampler = sampled ? this.localParentSampled : this.localParentNotSampled;
    }
    return sampler.shouldSample(context, traceId, spanName, spanKind, attributes, links);
  }

  /** The samplers it may delegate to. */
  delegates(): Sampler[] {
    return [this.root, this.remoteParentSampled, this.remoteParentNotSampled, this.localParentSampled, this.localParentNotSampled];
  }

  toString(): string {
    return (
      `ParentBased{root=${this.root},remoteParentSampled=${this.remoteParentSampled},` +
      `remoteParentNotSampled=${this.remoteParentNotSampled},localParentSampled=${this.localParentSampled},` +
      `localParentNotSampled=${this.localParentNotSampled}}`
    );
  }
}
