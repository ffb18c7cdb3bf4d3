import { Errors } from '../errors.js';
import type { SpanBatch } from '../model/span.js';
import type { SpansConsumer } from '../model/spans-consumer.js';
import { TokenBucket } from './token-bucket.js';

export interface RateLimitOptions {
  /** Spans per second by tenant. */
  tenantLimits: ReadonlyMap<string, number>;
  /** For tenants without their own limit; 0: unlimited. */
  defaultSpansPerSecond: number;
  /** Seconds of the rate a tenant may send at once. Default 2. */
  burstSeconds?: number;
  now?: () => number;
}

/**
 * Passes batches on while their tenant is within its spans-per-second limit (a token bucket per
 * tenant); beyond it rejects with ARIADNE_RATE_LIMITED (429, Retry-After) without passing it on.
 */
export class RateLimitedConsumer implements SpansConsumer {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly now: () => number;

  constructor(
    private readonly downstream: SpansConsumer,
    private readonly options: RateLimitOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  async consumeSpans(batch: SpanBatch): Promise<void> {
    const bucket = this.bucketOf(batch.tenant);
    if (bucket) {
      const wait = bucket.take(batch.spans.length, this.now());
      if (wait > 0) throw Errors.rateLimited(batch.tenant, bucket.rate, wait);
    }
    await this.downstream.consumeSpans(batch);
  }

  private bucketOf(tenant: string): TokenBucket | undefined {
    let bucket = this.buckets.get(tenant);
    if (bucket) return bucket;
    const rate = this.options.tenantLimits.get(tenant) ?? this.options.defaultSpansPerSecond;
    if (rate <= 0) return undefined;
    bucket = new TokenBucket(rate, rate * (this.options.burstSeconds ?? 2), this.now());
    this.buckets.set(tenant, bucket);
    return bucket;
  }
}
