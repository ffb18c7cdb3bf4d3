import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultTextMapGetter, defaultTextMapSetter, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import type { SpanContext } from '@opentelemetry/api';
import { suppressTracing } from '../context/suppress-tracing.js';
import { testProvider } from '../trace/test-provider.js';
import { W3CTraceState } from './trace-state.js';
import { W3CTraceContextPropagator } from './w3c-trace-context-propagator.js';

const propagator = new W3CTraceContextPropagator();
const TRACE_ID = '12345678901234567890123456789012';
const SPAN_ID = '1234567890123456';
const VALID = `00-${TRACE_ID}-${SPAN_ID}-01`;

function extract(headers: Record<string, string | string[]>): SpanContext | undefined {
  return trace.getSpanContext(propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter));
}

function inject(sc: SpanContext): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagator.inject(trace.setSpanContext(ROOT_CONTEXT, sc), carrier, defaultTextMapSetter);
  return carrier;
}

describe('traceparent extraction (the W3C test suite rules)', () => {
  it('accepts a valid header', () => {
    assert.deepEqual(extract({ traceparent: VALID }), {
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: TraceFlags.SAMPLED,
      traceState: undefined,
      isRemote: true,
    });
  });

  const rejected: Array<[string, string]> = [
    ['version ff', `ff-${TRACE_ID}-${SPAN_ID}-01`],
    ['version 00 with a trailing character', `${VALID}.`],
    ['version 00 with extra fields', `${VALID}-what-the-future-will-be-like`],
    ['a future version with a non-dash after the flags', `cc-${TRACE_ID}-${SPAN_ID}-01.what-the-future-will-be-like`],
    ['illegal version characters', `.0-${TRACE_ID}-${SPAN_ID}-01`],
    ['illegal version characters (2)', `0.-${TRACE_ID}-${SPAN_ID}-01`],
    ['a version too long', `000-${TRACE_ID}-${SPAN_ID}-01`],
    ['a version too short', `0-${TRACE_ID}-${SPAN_ID}-01`],
    ['an all-zero trace id', `00-00000000000000000000000000000000-${SPAN_ID}-01`],
    ['illegal trace id characters', `00-.2345678901234567890123456789012-${SPAN_ID}-01`],
    ['illegal trace id characters (end)', `00-1234567890123456789012345678901.-${SPAN_ID}-01`],
    ['a trace id too long', `00-${TRACE_ID}3-${SPAN_ID}-01`],
    ['a trace id too short', `00-${TRACE_ID.slice(1)}-${SPAN_ID}-01`],
    ['an all-zero parent id', `00-${TRACE_ID}-0000000000000000-01`],
    ['illegal parent id characters', `00-${TRACE_ID}-.234567890123456-01`],
    ['illegal parent id characters (end)', `00-${TRACE_ID}-123456789012345.-01`],
    ['a parent id too long', `00-${TRACE_ID}-${SPAN_ID}7-01`],
    ['a parent id too short', `00-${TRACE_ID}-${SPAN_ID.slice(1)}-01`],
    ['illegal flag characters', `00-${TRACE_ID}-${SPAN_ID}-.0`],
    ['illegal flag characters (2)', `00-${TRACE_ID}-${SPAN_ID}-0.`],
    ['flags too long', `00-${TRACE_ID}-${SPAN_ID}-001`],
    ['flags too short', `00-${TRACE_ID}-${SPAN_ID}-1`],
    ['upper-case hex in the trace id', `00-0AF7651916CD43DD8448EB211C80319C-${SPAN_ID}-01`],
    ['upper-case hex in the parent id', `00-${TRACE_ID}-B7AD6B7169203331-01`],
    ['upper-case hex in the flags', `00-${TRACE_ID}-${SPAN_ID}-0A`],
    ['an empty header', ''],
    ['whitespace inside', `00-${TRACE_ID}- ${SPAN_ID}-01`],
  ];
  for (const [what, header] of rejected) {
    it(`rejects ${what}`, () => assert.equal(extract({ traceparent: header }), undefined));
  }

  it('accepts future versions, ignoring fields after the flags', () => {
    assert.equal(extract({ traceparent: `cc-${TRACE_ID}-${SPAN_ID}-01` })?.traceId, TRACE_ID);
    assert.equal(extract({ traceparent: `cc-${TRACE_ID}-${SPAN_ID}-01-what-the-future-will-be-like` })?.traceId, TRACE_ID);
  });

  it('trims optional whitespace (spaces and tabs) around the value', () => {
    for (const header of [` ${VALID}`, `\t${VALID}`, `${VALID} `, `${VALID}\t`, `\t ${VALID} \t`]) {
      assert.equal(extract({ traceparent: header })?.traceId, TRACE_ID, JSON.stringify(header));
    }
  });

  it('rejects duplicated traceparent headers, as an array or joined by Node', () => {
    const other = `00-12345678901234567890123456789011-${SPAN_ID}-01`;
    assert.equal(extract({ traceparent: [other, VALID] }), undefined);
    assert.equal(extract({ traceparent: `${other}, ${VALID}` }), undefined);
    assert.equal(extract({ traceparent: [VALID] })?.traceId, TRACE_ID);
  });

  it('keeps the random flag (Level 2) and the sampled flag', () => {
    assert.equal(extract({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-02` })?.traceFlags, 0x02);
    assert.equal(extract({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-03` })?.traceFlags, 0x03);
  });

  it('ignores tracestate without a valid traceparent', () => {
    assert.equal(extract({ tracestate: 'foo=1' }), undefined);
    assert.equal(extract({ traceparent: 'garbage', tracestate: 'foo=1' }), undefined);
  });
});

describe('tracestate extraction', () => {
  const state = (tracestate: string | string[]) => extract({ traceparent: VALID, tracestate })?.traceState;

  it('combines several headers in order', () => {
    assert.equal(state(['foo=1,bar=2', 'rojo=1,congo=2', 'baz=3'])?.serialize(), 'foo=1,bar=2,rojo=1,congo=2,baz=3');
  });

  it('handles optional whitespace and empty members', () => {
    assert.equal(state('foo=1 \t , \t bar=2, \t baz=3')?.serialize(), 'foo=1,bar=2,baz=3');
    assert.equal(state('\t foo=1 \t')?.serialize(), 'foo=1');
    assert.equal(state(['', 'foo=1'])?.serialize(), 'foo=1');
    assert.equal(state('foo=1,,bar=2, ,')?.serialize(), 'foo=1,bar=2');
    assert.equal(state('')?.serialize() ?? '', '');
  });

  it('keeps the first of duplicated keys', () => {
    assert.equal(state('foo=1,foo=2')?.serialize(), 'foo=1');
    assert.equal(state(['foo=1', 'foo=2'])?.serialize(), 'foo=1');
  });

  it('accepts all allowed characters and the 256-character key limit', () => {
    const key = 'abcdefghijklmnopqrstuvwxyz0123456789_-*/';
    const value = [
      ...Array.from({ length: 0x2b - 0x20 + 1 }, (_, i) => String.fromCharCode(0x20 + i)),
      ...Array.from({ length: 0x3c - 0x2d + 1 }, (_, i) => String.fromCharCode(0x2d + i)),
      ...Array.from({ length: 0x7e - 0x3e + 1 }, (_, i) => String.fromCharCode(0x3e + i)),
    ].join('');
    assert.equal(state(`${key}=${value}`)?.get(key), value);
    assert.equal(state(`${key}@a-z0-9_-*/=${value}`)?.get(`${key}@a-z0-9_-*/`), value);
    for (const k of ['z'.repeat(256), 't'.repeat(241) + '@' + 'v'.repeat(14), 't'.repeat(242) + '@v', 't@' + 'v'.repeat(15), 'foo@', 'foo@@bar', '0abc']) {
      assert.equal(state(`foo=1,${k}=1`)?.get(k), '1', k);
    }
  });

  it('discards the whole tracestate on an invalid member', () => {
    for (const bad of ['foo =1', 'FOO=1', 'foo.bar=1', '@foo=1,bar=2', `${'z'.repeat(257)}=1,foo=1`, 'foo=bar=baz', 'foo=,bar=3', 'foo=a\tb', `foo=${'x'.repeat(257)}`, 'foo']) {
      assert.equal(state(bad), undefined, bad);
    }
  });

  it('keeps 32 members and discards 33', () => {
    const members = Array.from({ length: 33 }, (_, i) => `bar${String(i + 1).padStart(2, '0')}=${i}`);
    assert.equal((state(members.slice(0, 32).join(',')) as W3CTraceState | undefined)?.size, 32);
    assert.equal(state(members.join(',')), undefined);
  });
});

describe('W3CTraceState', () => {
  it('puts a set key first, drops invalid updates and keeps at most 32 members', () => {
    let ts = W3CTraceState.parse('a=1,b=2')!;
    ts = ts.set('b', '3');
    assert.equal(ts.serialize(), 'b=3,a=1');
    assert.equal(ts.set('B', 'x').serialize(), 'b=3,a=1');
    assert.equal(ts.set('c', 'x,y').serialize(), 'b=3,a=1');
    assert.equal(ts.unset('a').serialize(), 'b=3');
    let full = W3CTraceState.empty();
    for (let i = 0; i < 40; i++) full = full.set(`k${i}`, 'v');
    assert.equal(full.size, 32);
    assert.equal(full.get('k39'), 'v');
    assert.equal(full.get('k0'), undefined);
  });
});

describe('traceparent injection', () => {
  it('writes version 00 with the sampled and random flags, and the tracestate', () => {
    const carrier = inject({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: 0x03 | 0x80,
      traceState: W3CTraceState.parse('foo=1'),
    });
    assert.deepEqual(carrier, { traceparent: `00-${TRACE_ID}-${SPAN_ID}-03`, tracestate: 'foo=1' });
    assert.deepEqual(inject({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 0 }), { traceparent: `00-${TRACE_ID}-${SPAN_ID}-00` });
  });

  it('injects nothing for an invalid context or where tracing is suppressed', () => {
    assert.deepEqual(inject({ traceId: '0'.repeat(32), spanId: SPAN_ID, traceFlags: 1 }), {});
    const carrier = {};
    const ctx = trace.setSpanContext(suppressTracing(ROOT_CONTEXT), { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 });
    propagator.inject(ctx, carrier, defaultTextMapSetter);
    assert.deepEqual(carrier, {});
  });

  it("writes the SDK's own spans from their id words, high bits and all", () => {
    // A remote parent keeps the ids it read as words; injected again, the header is unchanged.
    const header = '00-ffffffff80000000000000017fffffff-8000000000000001-03';
    const carrier: Record<string, string> = {};
    propagator.inject(propagator.extract(ROOT_CONTEXT, { traceparent: header, tracestate: 'a=b' }, defaultTextMapGetter), carrier, defaultTextMapSetter);
    assert.deepEqual(carrier, { traceparent: header, tracestate: 'a=b' });
    const { tracer } = testProvider();
    for (let i = 0; i < 20; i++) {
      const span = tracer.startSpan('s');
      const sc = span.spanContext();
      const out: Record<string, string> = {};
      propagator.inject(trace.setSpan(ROOT_CONTEXT, span), out, defaultTextMapSetter);
      assert.equal(out.traceparent, `00-${sc.traceId}-${sc.spanId}-03`);
    }
  });

  it('round-trips through extraction', () => {
    const sc = { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 0x02, traceState: W3CTraceState.parse('a=b') };
    const back = extract(inject(sc));
    assert.equal(back?.traceFlags, 0x02);
    assert.equal(back?.traceState?.serialize(), 'a=b');
  });

  it('lists its fields', () => assert.deepEqual(propagator.fields(), ['traceparent', 'tracestate']));
});
