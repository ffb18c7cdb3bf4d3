import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import { suppressTracing } from '../context/suppress-tracing.js';
import { AlwaysOffSampler } from '../sampling/always-off-sampler.js';
import { SamplingDecision } from '../sampling/sampler.js';
import { attributesOf } from './attribute-list.js';
import { RecordingSpan } from './recording-span.js';
import { testProvider } from './test-provider.js';
import { AriadneTracerProvider } from './tracer-provider.js';
import { wordsToHex } from './id-generator.js';
import { TRACE_FLAG_RANDOM } from './tracer.js';

const recording = (span: Span) => {
  assert.ok(span instanceof RecordingSpan);
  return span;
};

describe('RecordingSpan status', () => {
  it('ignores Unset, drops the description of Ok, and keeps Ok final', () => {
    const { tracer } = testProvider();
    const span = recording(tracer.startSpan('s'));
    span.setStatus({ code: SpanStatusCode.UNSET, message: 'no' });
    assert.deepEqual(span.status, { code: SpanStatusCode.UNSET });
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'first' });
    assert.deepEqual(span.status, { code: SpanStatusCode.ERROR, message: 'first' });
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'second' });
    assert.deepEqual(span.status, { code: SpanStatusCode.ERROR, message: 'second' });
    span.setStatus({ code: SpanStatusCode.UNSET });
    assert.equal(span.status.code, SpanStatusCode.ERROR);
    span.setStatus({ code: SpanStatusCode.OK, message: 'ignored description' });
    assert.deepEqual(span.status, { code: SpanStatusCode.OK });
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'too late' });
    assert.deepEqual(span.status, { code: SpanStatusCode.OK });
  });
});

describe('RecordingSpan lifecycle', () => {
  it('ends once, hands the span to the processor once, and ignores everything after the end', () => {
    const { tracer, exporter } = testProvider();
    const span = recording(tracer.startSpan('s', { attributes: { a: 1 } }));
    assert.equal(span.isRecording(), true);
    span.end([2_000_000_000, 5]);
    assert.equal(span.isRecording(), false);
    span.end([2_000_000_001, 0]);
    span.setAttribute('b', 2);
    span.setAttributes({ c: 3 });
    span.addEvent('e');
    span.addLink({ context: span.spanContext() });
    span.setStatus({ code: SpanStatusCode.ERROR });
    span.updateName('renamed');
    span.recordException(new Error('x'));
    assert.equal(exporter.spans.length, 1);
    assert.deepEqual(span.endTime, [2_000_000_000, 5]);
    assert.deepEqual(attributesOf(span.attributes), { a: 1 });
    assert.equal(span.events, undefined);
    assert.equal(span.links, undefined);
    assert.equal(span.statusCode, SpanStatusCode.UNSET);
    assert.equal(span.name, 's');
  });

  it('renames with updateName before the end', () => {
    const { tracer } = testProvider();
    const span = recording(tracer.startSpan('old'));
    span.updateName('new');
    assert.equal(span.name, 'new');
  });

  it('takes an end before the start as the start', () => {
    const { tracer } = testProvider();
    const span = recording(tracer.startSpan('s', { startTime: [2_000_000_000, 0] }));
    span.end([1_999_999_999, 0]);
    assert.deepEqual(span.endTime, [2_000_000_000, 0]);
  });

  it('accepts every TimeInput form with high resolution', () => {
    const { tracer } = testProvider();
    const hr = recording(tracer.startSpan('s', { startTime: [1_700_000_000, 1_500_000_001] }));
    assert.deepEqual(hr.startTime, [1_700_000_001, 500_000_001]);
    const date = recording(tracer.startSpan('s', { startTime: new Date(1_700_000_000_250) }));
    assert.deepEqual(date.startTime, [1_700_000_000, 250_000_000]);
    const epoch = recording(tracer.startSpan('s', { startTime: Date.now() + 1000.5 }));
    assert.ok(Math.abs(epoch.startTime[0] * 1000 + epoch.startTime[1] / 1e6 - (Date.now() + 1000.5)) < 50);
    const perf = performance.now();
    const relative = recording(tracer.startSpan('s', { startTime: perf }));
    const expected = performance.timeOrigin + perf;
    assert.ok(Math.abs(relative.startTime[0] * 1000 + relative.startTime[1] / 1e6 - expected) < 1);
    const a = recording(tracer.startSpan('a'));
    const b = recording(tracer.startSpan('b'));
    const delta = (b.startTime[0] - a.startTime[0]) * 1e9 + (b.startTime[1] - a.startTime[1]);
    assert.ok(delta >= 0 && delta < 5e7);
    assert.ok(Number.isInteger(a.startTime[1]) && a.startTime[1] < 1e9);
  });
});

describe('RecordingSpan attributes', () => {
  it('keeps every value type, copies arrays and drops invalid keys and values', () => {
    const { tracer } = testProvider();
    const span = recording(tracer.startSpan('s'));
    const strs = ['a', 'b'];
    span.setAttributes({ s: 'x', n: 1.5, i: 3, b: false, strs, nums: [1, 2], bools: [true], holes: ['a', null as unknown as string] });
    span.setAttribute('', 'empty key');
    span.setAttribute('mixed', [1, 'a'] as unknown as string[]);
    span.setAttribute('object', {} as unknown as string);
    span.setAttribute('undef', undefined as unknown as string);
    span.setAttribute('nested', [[1]] as unknown as string[]);
    strs.push('c');
    assert.deepEqual(attributesOf(span.attributes), {
      s: 'x',
      n: 1.5,
      i: 3,
      b: false,
      strs: ['a', 'b'],
      nums: [1, 2],
      bools: [true],
      holes: ['a', null],
    });
    assert.equal(span.droppedAttributesCount, 0);
  });

  it('overwrites an existing key without counting it against the limit', () => {
    const { tracer } = testProvider({ spanLimits: { attributeCountLimit: 2 } });
    const span = recording(tracer.startSpan('s', { attributes: { a: 1, b: 2 } }));
    span.setAttribute('a', 10);
    span.setAttribute('c', 3);
    span.setAttributes({ d: 4, b: 20 });
    assert.deepEqual(attributesOf(span.attributes), { a: 10, b: 20 });
    assert.equal(span.droppedAttributesCount, 2);
  });

  it('truncates strings, also inside arrays, to the value length limit', () => {
    const { tracer } = testProvider({ spanLimits: { attributeValueLengthLimit: 3 } });
    const span = recording(tracer.startSpan('s', { attributes: { s: 'abcdef', a: ['abcd', 'ab'], n: 123456, b: true } }));
    span.addEvent('e', { s: 'abcdef' });
    assert.deepEqual(attributesOf(span.attributes), { s: 'abc', a: ['abc', 'ab'], n: 123456, b: true });
    assert.deepEqual(attributesOf(span.events![0].attributes), { s: 'abc' });
  });

  it('zero limits keep nothing and count everything', () => {
    const { tracer } = testProvider({ spanLimits: { attributeCountLimit: 0, eventCountLimit: 0, linkCountLimit: 0 } });
    const span = recording(tracer.startSpan('s', { attributes: { a: 1 } }));
    span.addEvent('e');
    span.addLink({ context: span.spanContext() });
    assert.equal(span.attributes.length, 0);
    assert.deepEqual([span.droppedAttributesCount, span.droppedEventsCount, span.droppedLinksCount], [1, 1, 1]);
  });
});

describe('RecordingSpan events and links', () => {
  it('keeps the newest events within the limit and limits their attributes', () => {
    const { tracer } = testProvider({ spanLimits: { eventCountLimit: 2, attributePerEventCountLimit: 1 } });
    const span = recording(tracer.startSpan('s'));
    span.addEvent('one', { a: 1, b: 2 }, [1_700_000_000, 1]);
    span.addEvent('two', [1_700_000_000, 2]);
    span.addEvent('three', new Date(1_700_000_000_000));
    assert.deepEqual(span.events!.map((e) => e.name), ['two', 'three']);
    assert.deepEqual(span.events![0].time, [1_700_000_000, 2]);
    assert.equal(span.droppedEventsCount, 1);
    const one = recording(tracer.startSpan('s'));
    one.addEvent('one', { a: 1, b: 2 });
    assert.equal(one.events![0].droppedAttributesCount, 1);
  });

  it('adds links at start and after, within the link and link-attribute limits', () => {
    const { tracer } = testProvider({ spanLimits: { linkCountLimit: 2, attributePerLinkCountLimit: 1 } });
    const other = tracer.startSpan('other').spanContext();
    const span = recording(tracer.startSpan('s', { links: [{ context: other, attributes: { a: 1, b: 2 } }] }));
    span.addLink({ context: other });
    span.addLinks([{ context: other }, { context: other }]);
    assert.equal(span.links!.length, 2);
    assert.equal(span.links![0].droppedAttributesCount, 1);
    assert.equal(span.droppedLinksCount, 2);
  });

  it('records exceptions as exception events', () => {
    const { tracer } = testProvider();
    const span = recording(tracer.startSpan('s'));
    const err = new RangeError('out of range');
    span.recordException(err, [1_700_000_000, 0]);
    span.recordException('plain message');
    span.recordException({ code: 'ECONNRESET', message: 'reset' });
    assert.deepEqual(span.events!.map((e) => [e.name, attributesOf(e.attributes)]), [
      ['exception', { 'exception.type': 'RangeError', 'exception.message': 'out of range', 'exception.stacktrace': err.stack }],
      ['exception', { 'exception.message': 'plain message' }],
      ['exception', { 'exception.type': 'ECONNRESET', 'exception.message': 'reset' }],
    ]);
    assert.equal(span.statusCode, SpanStatusCode.UNSET);
  });
});

describe('AriadneTracer', () => {
  it('makes root spans with a new trace, the sampled and random flags, and the kind given', () => {
    const { tracer } = testProvider();
    const span = recording(tracer.startSpan('root', { kind: SpanKind.PRODUCER }));
    const sc = span.spanContext();
    assert.match(sc.traceId, /^[0-9a-f]{32}$/);
    assert.match(sc.spanId, /^[0-9a-f]{16}$/);
    assert.equal(sc.traceFlags, TraceFlags.SAMPLED | TRACE_FLAG_RANDOM);
    assert.equal(span.kind, SpanKind.PRODUCER);
    assert.equal(span.parentSpanContext, undefined);
    assert.equal(recording(tracer.startSpan('x')).kind, SpanKind.INTERNAL);
  });

  it('makes children of the span in the context, keeping trace id, trace state and random flag', () => {
    const { tracer } = testProvider();
    const parentContext = {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    };
    const child = recording(tracer.startSpan('c', {}, trace.setSpanContext(ROOT_CONTEXT, parentContext)));
    assert.equal(child.spanContext().traceId, parentContext.traceId);
    assert.notEqual(child.spanContext().spanId, parentContext.spanId);
    assert.equal(child.spanContext().traceFlags, TraceFlags.SAMPLED);
    assert.equal(child.parentSpanContext?.spanId, parentContext.spanId);
    const grandchild = recording(tracer.startSpan('g', {}, trace.setSpan(ROOT_CONTEXT, child)));
    assert.equal(grandchild.parentSpanContext?.spanId, child.spanContext().spanId);
    assert.equal(grandchild.parentSpanContext?.isRemote, undefined);
    const root = recording(tracer.startSpan('r', { root: true }, trace.setSpan(ROOT_CONTEXT, child)));
    assert.notEqual(root.spanContext().traceId, parentContext.traceId);
  });

  it('gives the sampler the trace id, and keeps a custom IdGenerator\'s ids as given', () => {
    const seen: string[] = [];
    const sampler = {
      shouldSample: (_c: unknown, traceId: string) => {
        seen.push(traceId);
        return { decision: SamplingDecision.RECORD_AND_SAMPLED };
      },
      toString: () => 'Spy',
    };
    const { tracer } = testProvider({ sampler });
    const root = recording(tracer.startSpan('r'));
    const child = recording(tracer.startSpan('c', {}, trace.setSpan(ROOT_CONTEXT, root)));
    assert.deepEqual(seen, [root.spanContext().traceId, root.spanContext().traceId]);
    assert.equal(child.parentSpanContext?.traceFlags, root.spanContext().traceFlags);

    const provider = new AriadneTracerProvider({
      idGenerator: { generateTraceId: () => '0AF7651916CD43DD8448EB211C80319C', generateSpanId: () => 'B7AD6B7169203331' },
    });
    const custom = recording(provider.getTracer('t').startSpan('s', {}, ROOT_CONTEXT));
    assert.equal(custom.spanContext().traceId, '0AF7651916CD43DD8448EB211C80319C');
    assert.equal(custom.spanContext().spanId, 'B7AD6B7169203331');
    assert.equal(wordsToHex(custom.t0, custom.t1, custom.t2, custom.t3), '0af7651916cd43dd8448eb211c80319c');
    assert.equal(wordsToHex(custom.s0, custom.s1), 'b7ad6b7169203331');
  });

  it('keeps its ids when the sampler itself starts a span', () => {
    const inner = testProvider();
    let innerSpan: RecordingSpan | undefined;
    const sampler = {
      shouldSample: () => {
        innerSpan = recording(inner.tracer.startSpan('inner', {}, ROOT_CONTEXT));
        return { decision: SamplingDecision.RECORD_AND_SAMPLED };
      },
      toString: () => 'Reentrant',
    };
    const { tracer } = testProvider({ sampler });
    const outer = recording(tracer.startSpan('outer', {}, ROOT_CONTEXT));
    assert.notEqual(outer.spanContext().traceId, innerSpan!.spanContext().traceId);
    assert.notEqual(outer.spanContext().spanId, innerSpan!.spanContext().spanId);
    assert.equal(wordsToHex(outer.t0, outer.t1, outer.t2, outer.t3), outer.spanContext().traceId);
  });

  it('returns non-recording spans that still propagate when the sampler drops', () => {
    const { tracer, exporter } = testProvider({ sampler: new AlwaysOffSampler() });
    const span = tracer.startSpan('dropped');
    assert.equal(span instanceof RecordingSpan, false);
    assert.equal(span.isRecording(), false);
    assert.equal(span.spanContext().traceFlags, TRACE_FLAG_RANDOM);
    assert.match(span.spanContext().spanId, /^[0-9a-f]{16}$/);
    span.end();
    assert.equal(exporter.spans.length, 0);
  });

  it('records but does not export RECORD-only spans, and adds sampler attributes', () => {
    const sampler = {
      shouldSample: () => ({ decision: SamplingDecision.RECORD, attributes: { 'sampler.rule': 'x' } }),
      toString: () => 'RecordOnly',
    };
    const { tracer, exporter } = testProvider({ sampler });
    const span = recording(tracer.startSpan('s'));
    assert.equal(span.spanContext().traceFlags & TraceFlags.SAMPLED, 0);
    assert.deepEqual(attributesOf(span.attributes), { 'sampler.rule': 'x' });
    span.end();
    assert.equal(exporter.spans.length, 0);
  });

  it('makes no span where tracing is suppressed, nor after shutdown', async () => {
    const { tracer, provider } = testProvider();
    assert.equal(tracer.startSpan('s', {}, suppressTracing(ROOT_CONTEXT)).isRecording(), false);
    await provider.shutdown();
    assert.equal(tracer.startSpan('s').isRecording(), false);
  });

  it('startActiveSpan runs the callback with the span active', () => {
    const { tracer } = testProvider();
    const result = tracer.startActiveSpan('active', { kind: SpanKind.SERVER }, ROOT_CONTEXT, (span) => {
      assert.equal(span.isRecording(), true);
      return 42;
    });
    assert.equal(result, 42);
  });

  it('caches tracers by name, version and schema URL', () => {
    const { provider } = testProvider();
    assert.equal(provider.getTracer('a', '1'), provider.getTracer('a', '1'));
    assert.notEqual(provider.getTracer('a', '1'), provider.getTracer('a', '2'));
  });
});
