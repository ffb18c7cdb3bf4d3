/**
 * A token bucket: `rate` tokens a second, holding at most `burst`. `take` either takes `n` now or
 * says how many seconds until it could; a request larger than the burst is let through when the
 * bucket is full, leaving it in debt, so that no batch size is refused for ever.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly rate: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  /** 0 when taken, else the seconds to wait (at least 1, as Retry-After counts whole seconds). */
  take(n: number, nowMs: number): number {
    this.tokens = Math.min(this.burst, this.tokens + ((nowMs - this.last) / 1000) * this.rate);
    this.last = nowMs;
    if (this.tokens >= Math.min(n, this.burst)) {
      this.tokens -= n;
      return 0;
    }
    return Math.max(1, Math.ceil((Math.min(n, this.burst) - this.tokens) / this.rate));
  }
}
