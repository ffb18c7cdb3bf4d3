import type { HrTime, TimeInput } from '@opentelemetry/api';

// Times are [epoch seconds, nanoseconds] so that nanosecond precision survives doubles
// (epoch nanoseconds exceed 2^53).
const origin = performance.timeOrigin;
/** Whole seconds of `performance.timeOrigin`. */
export const originSec = Math.floor(origin / 1000);
/**
 * Nanoseconds from `originSec` to `performance.timeOrigin`: the epoch time of `performance.now()`
 * is `originSec` s + `originNanos` + now * 1e6 ns (a sum exact in a double).
 */
export const originNanos = Math.round((origin - originSec * 1000) * 1e6);

function fromOriginOffsetMs(ms: number): HrTime {
  const n = originNanos + Math.round(ms * 1e6);
  const s = Math.floor(n / 1e9);
  return [originSec + s, n - s * 1e9];
}

function fromEpochMs(ms: number): HrTime {
  const s = Math.floor(ms / 1000);
  return [s, Math.round((ms - s * 1000) * 1e6)];
}

/** Current time with the resolution of `performance.now()`. */
export function hrNow(): HrTime {
  return fromOriginOffsetMs(performance.now());
}

/**
 * Converts the API's TimeInput forms: HrTime, Date, epoch milliseconds, or (as OpenTelemetry
 * does) a number below `performance.timeOrigin`, read as `performance.now()` milliseconds.
 */
export function toHrTime(input: TimeInput | undefined): HrTime {
  if (input === undefined) return hrNow();
  if (typeof input === 'number') return input < origin ? fromOriginOffsetMs(input) : fromEpochMs(input);
  if (input instanceof Date) return fromEpochMs(input.getTime());
  if (Array.isArray(input) && input.length === 2) {
    const extra = Math.floor(input[1] / 1e9);
    return [input[0] + extra, input[1] - extra * 1e9];
  }
  return hrNow();
}

/** Epoch nanoseconds as a decimal string, the OTLP/JSON form of a fixed64 time. */
export function hrToNanoString(t: HrTime): string {
  return (BigInt(t[0]) * 1_000_000_000n + BigInt(t[1])).toString();
}

export function isTimeBefore(a: HrTime, b: HrTime): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}
