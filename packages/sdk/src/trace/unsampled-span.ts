import type { Attributes, Exception, Link, Span, SpanAttributeValue, SpanContext, SpanStatus, TimeInput, TraceState } from '@opentelemetry/api';
import { wordsToHex } from './id-generator.js';

/**
 * The span a sampler dropped: non-recording, like the API's NonRecordingSpan, but keeping its ids
 * as the tracer's int32 words and making their hex only if someone asks for the span context
 * (propagation, log correlation); a dropped request usually never does.
 */
export class UnsampledSpan implements Span {
  private context: SpanContext | undefined;

  constructor(
    readonly t0: number,
    readonly t1: number,
    readonly t2: number,
    readonly t3: number,
    readonly s0: number,
    readonly s1: number,
    readonly traceFlags: number,
    readonly traceState: TraceState | undefined,
    /** The trace id's hex when known already (a remote parent's). */
    private readonly traceId: string | undefined,
  ) {}

  spanContext(): SpanContext {
    this.context ??= {
      traceId: this.traceId ?? wordsToHex(this.t0, this.t1, this.t2, this.t3),
      spanId: wordsToHex(this.s0, this.s1),
      traceFlags: this.traceFlags,
      traceState: this.traceState,
    };
    return this.context;
  }

  setAttribute(_key: string, _value: SpanAttributeValue): this {
    return this;
  }

  setAttributes(_attributes: Attributes): this {
    return this;
  }

  addEvent(_name: string, _attributesOrStartTime?: Attributes | TimeInput, _startTime?: TimeInput): this {
    return this;
  }

  addLink(_link: Link): this {
    return this;
  }

  addLinks(_links: Link[]): this {
    return this;
  }

  setStatus(_status: SpanStatus): this {
    return this;
  }

  updateName(_name: string): this {
    return this;
  }

  end(_endTime?: TimeInput): void {}

  isRecording(): boolean {
    return false;
  }

  recordException(_exception: Exception, _time?: TimeInput): void {}
}
