import {
  context as apiContext,
  INVALID_SPAN_CONTEXT,
  isSpanContextValid,
  SpanKind,
  trace,
  TraceFlags,
} from '@opentelemetry/api';
import type { Context, Span, SpanContext, SpanOptions, Tracer, TraceState } from '@opentelemetry/api';
import { isTracingSuppressed } from '../context/suppress-tracing.js';
import type { Resource } from '../resource/resource.js';
import { SamplingDecision } from '../sampling/sampler.js';
import type { Sampler } from '../sampling/sampler.js';
import { AlwaysOffSampler } from '../sampling/always-off-sampler.js';
import { AlwaysOnSampler } from '../sampling/always-on-sampler.js';
import { ParentBasedSampler } from '../sampling/parent-based-sampler.js';
import { setAttributes } from './attribute-list.js';
import { hexWord, RandomIdGenerator, wordsToHex } from './id-generator.js';
import type { IdGenerator } from './id-generator.js';
import type { InstrumentationScope } from './instrumentation-scope.js';
import { RecordingSpan } from './recording-span.js';
import { RemoteSpan } from './remote-span.js';
import { UnsampledSpan } from './unsampled-span.js';
import type { SpanStart } from './recording-span.js';
import type { SpanLimits } from './span-limits.js';
import type { SpanOwner } from './span-owner.js';
import type { SpanProcessor } from './span-processor.js';

/** W3C Trace Context Level 2: the trace id's low 56 bits are random. */
export const TRACE_FLAG_RANDOM = 0x02;

const EMPTY_ATTRIBUTES = Object.freeze({});
const EMPTY_LINKS: never[] = [];
const EMPTY_OPTIONS: SpanOptions = Object.freeze({});

// Filled by startSpan just before the RecordingSpan constructor copies it: reused, not allocated.
const START: SpanStart = {
  t0: 0,
  t1: 0,
  t2: 0,
  t3: 0,
  s0: 0,
  s1: 0,
  p0: 0,
  p1: 0,
  traceFlags: 0,
  traceState: undefined,
  parentContext: undefined,
  localParentFlags: -1,
  context: undefined,
};

/** Whether a sampler may read the trace id: only then is the new trace id's hex made before sampling. */
function samplerUsesTraceId(sampler: Sampler): boolean {
  if (sampler.constructor === AlwaysOnSampler || sampler.constructor === AlwaysOffSampler) return false;
  if (sampler instanceof ParentBasedSampler && sampler.constructor === ParentBasedSampler) {
    return sampler.delegates().some(samplerUsesTraceId);
  }
  return true;
}

export interface TracerConfig {
  readonly resource: Resource;
  readonly limits: SpanLimits;
  readonly processor: SpanProcessor;
  readonly sampler: Sampler;
  readonly idGenerator: IdGenerator;
  /** True once the provider is shut down: spans become non-recording. */
  isShutdown(): boolean;
}

export class AriadneTracer implements Tracer, SpanOwner {
  readonly resource: Resource;
  readonly limits: SpanLimits;
  readonly processor: SpanProcessor;
  private readonly samplerUsesTraceId: boolean;
  /** The default generator, whose words are used directly; undefined for a custom one. */
  private readonly words: RandomIdGenerator | undefined;

  constructor(
    readonly scope: InstrumentationScope,
    private readonly config: TracerConfig,
  ) {
    this.resource = config.resource;
    this.limits = config.limits;
    this.processor = config.processor;
    this.samplerUsesTraceId = samplerUsesTraceId(config.sampler);
    this.words = config.idGenerator.constructor === RandomIdGenerator ? (config.idGenerator as RandomIdGenerator) : undefined;
  }

  startSpan(name: string, options: SpanOptions = EMPTY_OPTIONS, context: Context = apiContext.active()): Span {
    if (options.root) context = trace.deleteSpan(context);
    if (isTracingSuppressed(context) || this.config.isShutdown()) return trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
    const ids = this.config.idGenerator;
    const words = this.words;
    // A parent of this SDK (recording, unsampled, extracted) gives its words; any other, its hex span context.
    const parentSpan = trace.getSpan(context);
    let parent: SpanContext | undefined;
    let hasParent = false;
    let t0 = 0;
    let t1 = 0;
    let t2 = 0;
    let t3 = 0;
    let p0 = 0;
    let p1 = 0;
    let localParentFlags = -1;
    let traceState: TraceState | undefined;
    if (parentSpan instanceof RecordingSpan || parentSpan instanceof UnsampledSpan) {
      hasParent = true;
      t0 = parentSpan.t0;
      t1 = parentSpan.t1;
      t2 = parentSpan.t2;
      t3 = parentSpan.t3;
      p0 = parentSpan.s0;
      p1 = parentSpan.s1;
      traceState = parentSpan.traceState;
      // A remote parent's context says so (the OTLP flags carry it); a local one's is made on demand.
      if (parentSpan instanceof RemoteSpan) parent = parentSpan.spanContext();
      else localParentFlags = parentSpan.traceFlags;
    } else if (parentSpan !== undefined) {
      const sc = parentSpan.spanContext();
      if (sc !== undefined && isSpanContextValid(sc)) {
        hasParent = true;
        parent = sc;
        t0 = hexWord(sc.traceId, 0);
        t1 = hexWord(sc.traceId, 8);
        t2 = hexWord(sc.traceId, 16);
        t3 = hexWord(sc.traceId, 24);
        p0 = hexWord(sc.spanId, 0);
        p1 = hexWord(sc.spanId, 8);
        traceState = sc.traceState;
      }
    }
    let s0: number;
    let s1: number;
    let traceId: string | undefined;
    let spanId: string | undefined;
    if (words !== undefined) {
      if (!hasParent) {
        do {
          t0 = words.nextWord();
          t1 = words.nextWord();
          t2 = words.nextWord();
          t3 = words.nextWord();
        } while ((t0 | t1 | t2 | t3) === 0);
      }
      do {
        s0 = words.nextWord();
        s1 = words.nextWord();
      } while ((s0 | s1) === 0);
    } else {
      // A custom generator's strings are kept as given, and read as words for the exporter.
      traceId = hasParent ? (parent?.traceId ?? (parentSpan as RecordingSpan).spanContext().traceId) : ids.generateTraceId();
      spanId = ids.generateSpanId();
      if (!hasParent) {
        t0 = hexWord(traceId, 0);
        t1 = hexWord(traceId, 8);
        t2 = hexWord(traceId, 16);
        t3 = hexWord(traceId, 24);
      }
      s0 = hexWord(spanId, 0);
      s1 = hexWord(spanId, 8);
    }
    const kind = options.kind ?? SpanKind.INTERNAL;
    const links = options.links ?? EMPTY_LINKS;
    const attributes = options.attributes ?? EMPTY_ATTRIBUTES;
    if (this.samplerUsesTraceId && traceId === undefined) {
      traceId = parent !== undefined ? parent.traceId : wordsToHex(t0, t1, t2, t3);
    }
    let result;
    try {
      result = this.config.sampler.shouldSample(context, traceId ?? '', name, kind, attributes, links);
    } catch {
      result = { decision: SamplingDecision.NOT_RECORD };
    }
    const sampled = result.decision === SamplingDecision.RECORD_AND_SAMPLED;
    const parentFlags = !hasParent ? TRACE_FLAG_RANDOM : parent !== undefined ? parent.traceFlags : localParentFlags;
    const traceFlags = (parentFlags & TRACE_FLAG_RANDOM) | (sampled ? TraceFlags.SAMPLED : TraceFlags.NONE);
    if (result.traceState !== undefined) traceState = result.traceState;
    let spanContext: SpanContext | undefined;
    if (traceId !== undefined && spanId !== undefined) spanContext = { traceId, spanId, traceFlags, traceState };
    if (result.decision === SamplingDecision.NOT_RECORD) {
      if (spanContext !== undefined) return trace.wrapSpanContext(spanContext);
      return new UnsampledSpan(t0, t1, t2, t3, s0, s1, traceFlags, traceState, traceId ?? parent?.traceId);
    }

    // No code but this SDK's runs from here to the constructor's copy: START can be shared.
    const start = START;
    start.t0 = t0;
    start.t1 = t1;
    start.t2 = t2;
    start.t3 = t3;
    start.s0 = s0;
    start.s1 = s1;
    start.p0 = p0;
    start.p1 = p1;
    start.traceFlags = traceFlags;
    start.traceState = traceState;
    start.parentContext = parent;
    start.localParentFlags = localParentFlags;
    start.context = spanContext;
    const span = new RecordingSpan(this, start, name, kind, options.startTime);
    const limits = this.limits;
    if (attributes !== EMPTY_ATTRIBUTES) {
      span.droppedAttributesCount += setAttributes(
        span.attributes,
        attributes,
        limits.attributeCountLimit,
        limits.attributeValueLengthLimit,
      );
    }
    if (result.attributes !== undefined) {
      span.droppedAttributesCount += setAttributes(
        span.attributes,
        result.attributes,
        limits.attributeCountLimit,
        limits.attributeValueLengthLimit,
      );
    }
    for (const link of links) span.pushLink(link);
    this.processor.onStart(span, context);
    return span;
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions,
    context: Context,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    a?: SpanOptions | F,
    b?: Context | F,
    c?: F,
  ): ReturnType<F> | undefined {
    let options: SpanOptions | undefined;
    let parent: Context | undefined;
    let fn: F;
    if (typeof a === 'function') fn = a;
    else if (typeof b === 'function') {
      options = a;
      fn = b;
    } else {
      options = a;
      parent = b;
      fn = c as F;
    }
    if (typeof fn !== 'function') return undefined;
    const parentContext = parent ?? apiContext.active();
    const span = this.startSpan(name, options, parentContext);
    return apiContext.with(trace.setSpan(parentContext, span), () => fn(span)) as ReturnType<F>;
  }
}
