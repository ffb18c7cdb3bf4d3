import {
  context as apiContext,
  INVALID_SPAN_CONTEXT,
  isSpanContextValid,
  SpanKind,
  trace,
  TraceFlags,
} from '@opentelemetry/api';
import type { Context, Span, SpanContext, SpanOptions, Tracer } from '@opentelemetry/api';
import { isTracingSuppressed } from '../context/suppress-tracing.js';
import type { Resource } from '../resource/resource.js';
import { SamplingDecision } from '../sampling/sampler.js';
import type { Sampler } from '../sampling/sampler.js';
import { setAttributes } from './attribute-list.js';
import type { IdGenerator } from './id-generator.js';
import type { InstrumentationScope } from './instrumentation-scope.js';
import { RecordingSpan } from './recording-span.js';
import type { SpanLimits } from './span-limits.js';
import type { SpanOwner } from './span-owner.js';
import type { SpanProcessor } from './span-processor.js';
import { toHrTime } from './time.js';

/** W3C Trace Context Level 2: the trace id's low 56 bits are random. */
export const TRACE_FLAG_RANDOM = 0x02;

const EMPTY_ATTRIBUTES = Object.freeze({});
const EMPTY_LINKS: never[] = [];
const EMPTY_OPTIONS: SpanOptions = Object.freeze({});

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

  constructor(
    readonly scope: InstrumentationScope,
    private readonly config: TracerConfig,
  ) {
    this.resource = config.resource;
    this.limits = config.limits;
    this.processor = config.processor;
  }

  startSpan(name: string, options: SpanOptions = EMPTY_OPTIONS, context: Context = apiContext.active()): Span {
    if (options.root) context = trace.deleteSpan(context);
    if (isTracingSuppressed(context) || this.config.isShutdown()) return trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
    const parent = trace.getSpanContext(context);
    const hasParent = parent !== undefined && isSpanContextValid(parent);
    const ids = this.config.idGenerator;
    const traceId = hasParent ? parent.traceId : ids.generateTraceId();
    const spanId = ids.generateSpanId();
    const kind = options.kind ?? SpanKind.INTERNAL;
    const links = options.links ?? EMPTY_LINKS;
    const attributes = options.attributes ?? EMPTY_ATTRIBUTES;
    let result;
    try {
      result = this.config.sampler.shouldSample(context, traceId, name, kind, attributes, links);
    } catch {
      result = { decision: SamplingDecision.NOT_RECORD };
    }
    const sampled = result.decision === SamplingDecision.RECORD_AND_SAMPLED;
    const random = hasParent ? parent.traceFlags & TRACE_FLAG_RANDOM : TRACE_FLAG_RANDOM;
    const spanContext: SpanContext = {
      traceId,
      spanId,
      traceFlags: random | (sampled ? TraceFlags.SAMPLED : TraceFlags.NONE),
      traceState: result.traceState ?? (hasParent ? parent.traceState : undefined),
    };
    if (result.decision === SamplingDecision.NOT_RECORD) return trace.wrapSpanContext(spanContext);

    const span = new RecordingSpan(
      this,
      spanContext,
      name,
      kind,
      hasParent ? parent : undefined,
      toHrTime(options.startTime),
    );
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
