import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LogHistogram, RELATIVE_ACCURACY } from './log-histogram.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
}

// Log-normal durations around 20 ms, with a tail to seconds.
function durations(n: number, seed: number): number[] {
  const random = rng(seed);
  return Array.from({ length: n }, () => Math.exp(Math.log(20e6) + 1.2 * Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random())));
}

const QUANTILES = [0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1];

function assertQuantiles(h: LogHistogram, values: number[]): void {
  const sorted = [...values].sort((a, b) => a - b);
  for (const q of QUANTILES) {
    const truth = sorted[Math.floor(q * (sorted.length - 1))];
    const estimate = h.quantile(q);
    assert.ok(Math.abs(estimate - truth) <= RELATIVE_ACCURACY * truth * (1 + 1e-9), `q${q}: ${estimate} vs ${truth}`);
  }
}

describe('LogHistogram', () => {
  it('answers quantiles within 1% relative error', () => {
    const values = durations(50_000, 1);
    const h = new LogHistogram();
    for (const v of values) h.add(v);
    assert.equal(h.count, values.length);
    assertQuantiles(h, values);
  });

  it('merges partials into exactly the histogram of the whole', () => {
    const a = durations(10_000, 2);
    const b = durations(7_000, 3).map((v) => v * 10);
    const ha = new LogHistogram();
    const hb = new LogHistogram();
    const whole = new LogHistogram();
    for (const v of a) ha.add(v);
    for (const v of b) hb.add(v);
    for (const v of [...a, ...b]) whole.add(v);
    const merged = LogHistogram.decode(ha.encode()).merge(LogHistogram.decode(hb.encode()));
    for (const q of QUANTILES) assert.equal(merged.quantile(q), whole.quantile(q));
    assertQuantiles(merged, [...a, ...b]);
  });

  it('round-trips through its binary form compactly, weighted counts too', () => {
    const h = new LogHistogram();
    for (const v of durations(20_000, 4)) h.add(v);
    h.add(0, 3);
    const bytes = h.encode();
    assert.ok(bytes.length < 1200, `${bytes.length} bytes`);
    const back = LogHistogram.decode(bytes);
    assert.deepStrictEqual(back, h);
    const weighted = new LogHistogram();
    weighted.add(1000, 2.5);
    weighted.add(5000, 1 / 3);
    assert.deepStrictEqual(LogHistogram.decode(weighted.encode()), weighted);
  });

  it('counts weights as that many values', () => {
    const h = new LogHistogram();
    h.add(100, 98);
    h.add(10_000, 2);
    assert.equal(h.count, 100);
    assert.ok(Math.abs(h.quantile(0.5) - 100) <= 1);
    assert.ok(Math.abs(h.quantile(0.99) - 10_000) <= 100);
    assert.ok(Number.isNaN(new LogHistogram().quantile(0.5)));
  });
});
