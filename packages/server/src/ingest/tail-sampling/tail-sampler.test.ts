import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MINUTE_NANO } from '../../storage/metrics-store.js';
import { generateWorkload } from '../test-workload.js';
import { TailSampler } from './tail-sampler.js';

const T0 = 1_700_000_040_000_000_000n - (1_700_000_040_000_000_000n % MINUTE_NANO);
const SLOW_MS = 40;

describe('TailSampler', () => {
  it('keeps every error and slow trace whole, and the rest at the configured rate', () => {
    const probability = 0.2;
    const spans = generateWorkload({ traces: 20_000, startUnixNano: T0, intervalNano: 1_000_000n, seed: 3 });
    const sampler = new TailSampler({ decisionWaitMs: 1000, slowThresholdMs: SLOW_MS, operationTracesPerSecond: 0, probability });
    const kept: typeof spans = [];
    let now = 0;
    // Spans arrive in batches; a late span of each trace comes after its decision.
    const late = spans.filter((_, i) => i % 4 === 3 && i % 400 === 3);
    const onTime = spans.filter((s) => !late.includes(s));
    for (let i = 0; i < onTime.length; i += 1000) {
      kept.push(...sampler.route('default', onTime.slice(i, i + 1000), now));
      now += 300;
      for (const batch of sampler.decide(now).values()) kept.push(...batch);
    }
    for (const batch of sampler.decide(now, true).values()) kept.push(...batch);
    kept.push(...sampler.route('default', late, now));

    const traces = new Map<string, typeof spans>();
    for (const span of spans) traces.set(span.traceId, [...(traces.get(span.traceId) ?? []), span]);
    const keptIds = new Set(kept.map((s) => s.traceId));
    let remainder = 0;
    let remainderKept = 0;
    for (const [id, trace] of traces) {
      const error = trace.some((s) => s.status.code === 2);
      const duration = Number(trace.reduce((m, s) => (s.endTimeUnixNano > m ? s.endTimeUnixNano : m), 0n) - trace[0].startTimeUnixNano);
      if (error || duration >= SLOW_MS * 1e6) {
        assert.ok(keptIds.has(id), `trace ${id} (error ${error}, ${duration} ns) must be kept`);
        assert.equal(kept.filter((s) => s.traceId === id).length, trace.length, 'whole, late span included');
      } else {
        remainder++;
        if (keptIds.has(id)) remainderKept++;
      }
    }
    const expected = remainder * probability;
    const sigma = Math.sqrt(remainder * probability * (1 - probability));
    assert.ok(Math.abs(remainderKept - expected) <= 4 * sigma, `${remainderKept} kept of ${remainder}, expected ${expected} ± ${4 * sigma}`);
    const stats = sampler.getStats();
    assert.equal(stats.tracesKept + stats.tracesDropped, traces.size);
    assert.equal(stats.tracesKept, keptIds.size);
    assert.ok(stats.keptBy.error > 0 && stats.keptBy.slow > 0 && stats.keptBy.probabilistic > 0);
    assert.equal(stats.bufferedTraces, 0);
  });

  it('keeps up to the rate limit per root operation', () => {
    const spans = generateWorkload({ traces: 100, startUnixNano: T0, intervalNano: 1_000_000n }).map((s) => ({ ...s, status: { code: 0 as const, message: '' } }));
    const sampler = new TailSampler({ decisionWaitMs: 0, slowThresholdMs: 0, operationTracesPerSecond: 5, probability: 0 });
    sampler.route('default', spans, 0);
    sampler.decide(0);
    assert.equal(sampler.getStats().keptBy.rateLimit, 5);
    assert.equal(sampler.getStats().tracesDropped, 95);
  });
});
