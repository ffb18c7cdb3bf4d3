/*
 * How many spans a sampled span stands for, from OpenTelemetry's consistent probability sampling:
 * tracestate `ot=th:<hex>` carries the 56-bit rejection threshold T (1–14 hex digits, padded with
 * trailing zeros); the sampling probability is (2^56 − T) / 2^56 and the adjusted count its inverse.
 */
const MAX_ADJUSTED_COUNT = 2 ** 56;
const TH = /(?:^|,)\s*ot=(?:[^,]*;)?th:([0-9a-f]{1,14})(?:[;,\s]|$)/;

/** The weight of a span in RED metrics: 1/probability when its tracestate says it was sampled, else 1. */
export function adjustedCount(traceState: string): number {
  if (traceState === '') return 1;
  const match = TH.exec(traceState);
  if (!match) return 1;
  const threshold = parseInt(match[1].padEnd(14, '0'), 16);
  if (threshold >= MAX_ADJUSTED_COUNT) return 1;
  return MAX_ADJUSTED_COUNT / (MAX_ADJUSTED_COUNT - threshold);
}
