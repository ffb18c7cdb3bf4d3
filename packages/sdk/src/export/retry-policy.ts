/** Status codes OTLP/HTTP says to retry; any other non-2xx is final. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  initialBackoffMillis: number;
  maxBackoffMillis: number;
  multiplier: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 5,
  initialBackoffMillis: 1000,
  maxBackoffMillis: 5000,
  multiplier: 1.5,
});

/** Exponential backoff before attempt `attempt + 1`, with ±20% jitter so clients do not retry in step. */
export function backoffMillis(policy: RetryPolicy, attempt: number): number {
  const base = Math.min(policy.maxBackoffMillis, policy.initialBackoffMillis * policy.multiplier ** (attempt - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/** Retry-After as delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
