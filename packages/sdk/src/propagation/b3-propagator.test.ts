import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultTextMapGetter, defaultTextMapSetter, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { B3Propagator } from './b3-propagator.js';

const TRACE_ID = '80f198ee56343ba864fe8b2a57d3eff7';
const SPAN_ID = 'e457b5a2e4d86bd1';
const extract = (headers: Record<string, string>) =>
  trace.getSpanContext(new B3Propagator().extract(ROOT_CONTEXT, headers, defaultTextMapGetter));

describe('B3 single header', () => {
  it('extracts trace id, span id and the sampling state, with or without a parent id', () => {
    assert.deepEqual(extract({ b3: `${TRACE_ID}-${SPAN_ID}-1-05e3ac9a4f6e3b90` }), {
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
    assert.equal(extract({ b3: `${TRACE_ID}-${SPAN_ID}-0` })?.traceFlags, TraceFlags.NONE);
    assert.equal(extract({ b3: `${TRACE_ID}-${SPAN_ID}-d` })?.traceFlags, TraceFlags.SAMPLED);
    assert.equal(extract({ b3: `${TRACE_ID}-${SPAN_ID}` })?.traceFlags, TraceFlags.NONE);
  });

  it('pads 64-bit trace ids to 128 bits', () => {
    assert.equal(extract({ b3: `64fe8b2a57d3eff7-${SPAN_ID}-1` })?.traceId, '000000000000000064fe8b2a57d3eff7');
  });

  it('rejects malformed values and a lone sampling state', () => {
    for (const b3 of ['0', '1', `${TRACE_ID}-${SPAN_ID}-x`, `${TRACE_ID}-short-1`, `${'0'.repeat(32)}-${SPAN_ID}-1`, `${TRACE_ID}-${SPAN_ID}-1-bad`]) {
      assert.equal(extract({ b3 }), undefined, b3);
    }
  });

  it('injects traceid-spanid-sampled', () => {
    const carrier: Record<string, string> = {};
    const ctx = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 });
    new B3Propagator('single').inject(ctx, carrier, defaultTextMapSetter);
    assert.deepEqual(carrier, { b3: `${TRACE_ID}-${SPAN_ID}-1` });
  });
});

describe('B3 multiple headers', () => {
  it('extracts X-B3-* headers, sampled as 1/true or debug', () => {
    const base = { 'x-b3-traceid': TRACE_ID, 'x-b3-spanid': SPAN_ID };
    assert.equal(extract({ ...base, 'x-b3-sampled': '1' })?.traceFlags, TraceFlags.SAMPLED);
    assert.equal(extract({ ...base, 'x-b3-sampled': 'true' })?.traceFlags, TraceFlags.SAMPLED);
    assert.equal(extract({ ...base, 'x-b3-sampled': '0' })?.traceFlags, TraceFlags.NONE);
    assert.equal(extract({ ...base, 'x-b3-flags': '1' })?.traceFlags, TraceFlags.SAMPLED);
    assert.equal(extract({ ...base })?.traceId, TRACE_ID);
    assert.equal(extract({ 'x-b3-traceid': TRACE_ID }), undefined);
  });

  it('injects X-B3-TraceId, X-B3-SpanId and X-B3-Sampled', () => {
    const carrier: Record<string, string> = {};
    const ctx = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 0 });
    new B3Propagator('multi').inject(ctx, carrier, defaultTextMapSetter);
    assert.deepEqual(carrier, { 'x-b3-traceid': TRACE_ID, 'x-b3-spanid': SPAN_ID, 'x-b3-sampled': '0' });
  });
});
