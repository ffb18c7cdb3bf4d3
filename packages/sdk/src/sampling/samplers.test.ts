import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROOT_CONTEXT, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import { AlwaysOffSampler } from './always-off-sampler.js';
import { AlwaysOnSampler } from './always-on-sampler.js';
import { ParentBasedSampler } from './parent-based-sampler.js';
import { SamplingDecision } from './sampler.js';
import type { Sampler } from './sampler.js';
import { samplerFromEnv } from './sampler-from-env.js';
import { TraceIdRatioBasedSampler } from './trace-id-ratio-sampler.js';

const decide = (sampler: Sampler, traceId = '0123456789abcdef0123456789abcdef', context = ROOT_CONTEXT) =>
  sampler.shouldSample(context, traceId, 'span', SpanKind.INTERNAL, {}, []).decision;

// The low 56 bits of the id carry the randomness.
const idWithRandomness = (r56: bigint) => '0'.repeat(18) + r56.toString(16).padStart(14, '0');
const MAX = 2n ** 56n - 1n;

describe('always_on and always_off', () => {
  it('decide the same for every trace', () => {
    assert.equal(decide(new AlwaysOnSampler()), SamplingDecision.RECORD_AND_SAMPLED);
    assert.equal(decide(new AlwaysOffSampler()), SamplingDecision.NOT_RECORD);
  });
});

describe('traceidratio', () => {
  it('samples nothing at 0 and everything at 1, whatever the id', () => {
    for (const r of [0n, 1n, MAX / 2n, MAX]) {
      assert.equal(decide(new TraceIdRatioBasedSampler(0), idWithRandomness(r)), SamplingDecision.NOT_RECORD);
      assert.equal(decide(new TraceIdRatioBasedSampler(1), idWithRandomness(r)), SamplingDecision.RECORD_AND_SAMPLED);
    }
  });

  it('samples exactly the ids whose randomness reaches the threshold (1 - ratio) * 2^56', () => {
    const half = new TraceIdRatioBasedSampler(0.5);
    assert.equal(decide(half, idWithRandomness(2n ** 55n)), SamplingDecision.RECORD_AND_SAMPLED);
    assert.equal(decide(half, idWithRandomness(2n ** 55n - 1n)), SamplingDecision.NOT_RECORD);
    assert.equal(decide(half, idWithRandomness(MAX)), SamplingDecision.RECORD_AND_SAMPLED);
    assert.equal(decide(half, idWithRandomness(0n)), SamplingDecision.NOT_RECORD);
    const quarter = new TraceIdRatioBasedSampler(0.25);
    assert.equal(decide(quarter, idWithRandomness(3n * 2n ** 54n)), SamplingDecision.RECORD_AND_SAMPLED);
    assert.equal(decide(quarter, idWithRandomness(3n * 2n ** 54n - 1n)), SamplingDecision.NOT_RECORD);
  });

  it('ignores the high bits of the id and is deterministic', () => {
    const s = new TraceIdRatioBasedSampler(0.5);
    const id = 'ffffffffffffffffff' + '00000000000001';
    assert.equal(decide(s, id), SamplingDecision.NOT_RECORD);
    assert.equal(decide(s, id), decide(s, id));
  });

  it('samples about the ratio of random ids', () => {
    const s = new TraceIdRatioBasedSampler(0.3);
    let sampled = 0;
    for (let i = 0; i < 20000; i++) {
      const id = Array.from({ length: 32 }, () => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('');
      if (decide(s, id) === SamplingDecision.RECORD_AND_SAMPLED) sampled++;
    }
    assert.ok(Math.abs(sampled / 20000 - 0.3) < 0.02, String(sampled));
  });

  it('clamps ratios outside [0, 1] and describes itself', () => {
    assert.equal(new TraceIdRatioBasedSampler(7).ratio, 1);
    assert.equal(new TraceIdRatioBasedSampler(-1).ratio, 0);
    assert.equal(new TraceIdRatioBasedSampler(0.5).toString(), 'TraceIdRatioBased{0.5}');
  });
});

describe('parentbased', () => {
  const parent = (sampled: boolean, isRemote: boolean) =>
    trace.setSpanContext(ROOT_CONTEXT, {
      traceId: '0123456789abcdef0123456789abcdef',
      spanId: '0123456789abcdef',
      traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
      isRemote,
    });

  it('asks the root sampler only without a parent, and follows the parent otherwise', () => {
    const s = new ParentBasedSampler({ root: new AlwaysOffSampler() });
    assert.equal(decide(s), SamplingDecision.NOT_RECORD);
    assert.equal(decide(s, undefined, parent(true, true)), SamplingDecision.RECORD_AND_SAMPLED);
    assert.equal(decide(s, undefined, parent(false, true)), SamplingDecision.NOT_RECORD);
    assert.equal(decide(s, undefined, parent(true, false)), SamplingDecision.RECORD_AND_SAMPLED);
    assert.equal(decide(s, undefined, parent(false, false)), SamplingDecision.NOT_RECORD);
    const on = new ParentBasedSampler({ root: new AlwaysOnSampler() });
    assert.equal(decide(on), SamplingDecision.RECORD_AND_SAMPLED);
  });

  it('uses the delegate given for each parent case', () => {
    const s = new ParentBasedSampler({
      root: new AlwaysOffSampler(),
      remoteParentSampled: new AlwaysOffSampler(),
      remoteParentNotSampled: new AlwaysOnSampler(),
      localParentSampled: new AlwaysOffSampler(),
      localParentNotSampled: new AlwaysOnSampler(),
    });
    assert.equal(decide(s, undefined, parent(true, true)), SamplingDecision.NOT_RECORD);
    assert.equal(decide(s, undefined, parent(false, true)), SamplingDecision.RECORD_AND_SAMPLED);
    assert.equal(decide(s, undefined, parent(true, false)), SamplingDecision.NOT_RECORD);
    assert.equal(decide(s, undefined, parent(false, false)), SamplingDecision.RECORD_AND_SAMPLED);
  });

  it('treats an invalid parent as no parent', () => {
    const invalid = trace.setSpanContext(ROOT_CONTEXT, { traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 1 });
    assert.equal(decide(new ParentBasedSampler({ root: new AlwaysOffSampler() }), undefined, invalid), SamplingDecision.NOT_RECORD);
  });
});

describe('OTEL_TRACES_SAMPLER', () => {
  it('builds each named sampler, with the ratio argument', () => {
    assert.equal(samplerFromEnv('always_on', undefined).toString(), 'AlwaysOnSampler');
    assert.equal(samplerFromEnv('always_off', undefined).toString(), 'AlwaysOffSampler');
    assert.equal(samplerFromEnv('traceidratio', '0.25').toString(), 'TraceIdRatioBased{0.25}');
    assert.match(samplerFromEnv(undefined, undefined).toString(), /^ParentBased\{root=AlwaysOnSampler,/);
    assert.match(samplerFromEnv('parentbased_always_off', undefined).toString(), /^ParentBased\{root=AlwaysOffSampler,/);
    assert.match(samplerFromEnv('parentbased_traceidratio', '0.1').toString(), /^ParentBased\{root=TraceIdRatioBased\{0.1\},/);
  });

  it('falls back on bad values', () => {
    assert.equal(samplerFromEnv('traceidratio', 'abc').toString(), 'TraceIdRatioBased{1}');
    assert.equal(samplerFromEnv('traceidratio', '1.5').toString(), 'TraceIdRatioBased{1}');
    assert.match(samplerFromEnv('nonsense', undefined).toString(), /^ParentBased\{root=AlwaysOnSampler,/);
  });
});
