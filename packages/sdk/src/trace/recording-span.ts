import { diag, SpanStatusCode } from '@opentelemetry/api';
import type {
  Attributes,
  AttributeValue,
  Exception,
  HrTime,
  Link,
  Span,
  SpanContext,
  SpanKind,
  SpanStatus,
  TimeInput,
  TraceState,
} from '@opentelemetry/api';
import { setAttribute, setAttributes } from './attribute-list.js';
import type { AttributeList } from './attribute-list.js';
import type { SpanOwner } from './span-owner.js';
import { wordsToHex } from './id-generator.js';
import { originNanos, originSec, toHrTime } from './time.js';

export interface SpanEvent {
  readonly name: string;
  readonly time: HrTime;
  readonly attributes: AttributeList;
  readonly droppedAttributesCount: number;
}

export interface SpanLink {
  readonly context: SpanContext;
  readonly attributes: AttributeList;
  readonly droppedAttributesCount: number;
}

function isTimeInput(value: unknown): value is TimeInput {
  return typeof value === 'number' || value instanceof Date || Array.isArray(value);
}

/** The ids, flags and start of a new span, as the tracer hands them to the constructor. */
export interface SpanStart {
  /** Trace id as big-endian int32 words. */
  t0: number;
  t1: number;
  t2: number;
  t3: number;
  /** Span id as big-endian int32 words. */
  s0: number;
  s1: number;
  /** Parent span id words; meaningless when there is no parent. */
  p0: number;
  p1: number;
  traceFlags: number;
  traceState: TraceState | undefined;
  /**
   * The parent's context when it came from elsewhere than a RecordingSpan of this SDK (a remote
   * parent, a wrapped context); `undefined` with `localParentFlags` >= 0 for a RecordingSpan parent.
   */
  parentContext: SpanContext | undefined;
  /** The trace flags of a RecordingSpan parent; -1 when the parent is not one. */
  localParentFlags: number;
  /** The span context, when the ids were given as strings (a custom IdGenerator). */
  context: SpanContext | undefined;
}

/**
 * A sampled-in span: records until `end()`, then is frozen and handed to the span processor.
 * Every mutator after the end is ignored with a diag warning, as the specification asks.
 *
 * Ids are kept as int32 words and times as [seconds, nanoseconds] in number fields: a span is
 * then one object plus its attribute list, and the exporter writes ids and times without parsing
 * anything. The hex ids of `spanContext()` and the HrTime arrays of `startTime`/`endTime` are
 * made when asked for.
 */
export class RecordingSpan implements Span {
  readonly attributes: AttributeList = [];
  droppedAttributesCount = 0;
  events: SpanEvent[] | undefined = undefined;
  droppedEventsCount = 0;
  links: SpanLink[] | undefined = undefined;
  droppedLinksCount = 0;
  statusCode: SpanStatusCode = SpanStatusCode.UNSET;
  statusMessage: string | undefined = undefined;
  ended = false;
  readonly t0: number;
  readonly t1: number;
  readonly t2: number;
  readonly t3: number;
  readonly s0: number;
  readonly s1: number;
  readonly p0: number;
  readonly p1: number;
  readonly traceFlags: number;
  readonly traceState: TraceState | undefined;
  /** The parent's context if it is not a RecordingSpan of this SDK; see `parentSpanContext`. */
  readonly parentContext: SpanContext | undefined;
  /** The trace flags of a RecordingSpan parent, -1 if the parent is not one. */
  readonly localParentFlags: number;
  /** True when the span has a parent (p0, p1 are its span id). */
  readonly hasParent: boolean;
  startSec = 0;
  startNanos = 0;
  endSec = 0;
  endNanos = 0;
  private context: SpanContext | undefined;

  constructor(
    readonly owner: SpanOwner,
    ids: SpanStart,
    public name: string,
    readonly kind: SpanKind,
    startTime: TimeInput | undefined,
  ) {
    this.t0 = ids.t0;
    this.t1 = ids.t1;
    this.t2 = ids.t2;
    this.t3 = ids.t3;
    this.s0 = ids.s0;
    this.s1 = ids.s1;
    this.p0 = ids.p0;
    this.p1 = ids.p1;
    this.traceFlags = ids.traceFlags;
    this.traceState = ids.traceState;
    this.parentContext = ids.parentContext;
    this.localParentFlags = ids.localParentFlags;
    this.hasParent = ids.parentContext !== undefined || ids.localParentFlags >= 0;
    this.context = ids.context;
    if (startTime === undefined) {
      // Inline rather than a call returning the nanoseconds, which would box them in a HeapNumber.
      const n = originNanos + Math.round(performance.now() * 1e6);
      const s = Math.floor(n / 1e9);
      this.startSec = originSec + s;
      this.startNanos = n - s * 1e9;
    } else {
      const t = toHrTime(startTime);
      this.startSec = t[0];
      this.startNanos = t[1];
    }
  }

  spanContext(): SpanContext {
    return (this.context ??= {
      traceId: wordsToHex(this.t0, this.t1, this.t2, this.t3),
      spanId: wordsToHex(this.s0, this.s1),
      traceFlags: this.traceFlags,
      traceState: this.traceState,
    });
  }

  /** The parent's span context (made on demand for a parent that is a RecordingSpan), if any. */
  get parentSpanContext(): SpanContext | undefined {
    if (this.parentContext !== undefined || this.localParentFlags < 0) return this.parentContext;
    return {
      traceId: this.spanContext().traceId,
      spanId: wordsToHex(this.p0, this.p1),
      traceFlags: this.localParentFlags,
      traceState: this.traceState,
    };
  }

  get startTime(): HrTime {
    return [this.startSec, this.startNanos];
  }

  /** Undefined until the span ends. */
  get endTime(): HrTime | undefined {
    return this.ended ? [this.endSec, this.endNanos] : undefined;
  }

  get status(): SpanStatus {
    return this.statusMessage === undefined
      ? { code: this.statusCode }
      : { code: this.statusCode, message: this.statusMessage };
  }

  private endedWarning(operation: string): boolean {
    if (!this.ended) return false;
    diag.warn(`ariadne: ${operation} on ended span ${this.name} (${this.spanContext().spanId}) ignored`);
    return true;
  }

  setAttribute(key: string, value: AttributeValue): this {
    if (this.endedWarning('setAttribute')) return this;
    const limits = this.owner.limits;
    this.droppedAttributesCount += setAttribute(
      this.attributes,
      key,
      value,
      limits.attributeCountLimit,
      limits.attributeValueLengthLimit,
    );
    return this;
  }

  setAttributes(attributes: Attributes): this {
    if (this.endedWarning('setAttributes')) return this;
    const limits = this.owner.limits;
    this.droppedAttributesCount += setAttributes(
      this.attributes,
      attributes,
      limits.attributeCountLimit,
      limits.attributeValueLengthLimit,
    );
    return this;
  }

  addEvent(name: string, attributesOrStartTime?: Attributes | TimeInput, startTime?: TimeInput): this {
    if (this.endedWarning('addEvent')) return this;
    const limits = this.owner.limits;
    if (limits.eventCountLimit <= 0) {
      this.droppedEventsCount++;
      return this;
    }
    let attributes: Attributes | undefined;
    if (isTimeInput(attributesOrStartTime)) startTime = attributesOrStartTime;
    else attributes = attributesOrStartTime;
    const list: AttributeList = [];
    const dropped = setAttributes(list, attributes, limits.attributePerEventCountLimit, limits.attributeValueLengthLimit);
    const events = (this.events ??= []);
    // The newest events (an exception just before the end) are worth more than the oldest.
    if (events.length >= limits.eventCountLimit) {
      events.shift();
      this.droppedEventsCount++;
    }
    events.push({ name: String(name), time: toHrTime(startTime), attributes: list, droppedAttributesCount: dropped });
    return this;
  }

  addLink(link: Link): this {
    if (this.endedWarning('addLink')) return this;
    this.pushLink(link);
    return this;
  }

  addLinks(links: Link[]): this {
    if (this.endedWarning('addLinks')) return this;
    for (const link of links) this.pushLink(link);
    return this;
  }

  /** Adds a link without the ended check, for links given at start. */
  pushLink(link: Link): void {
    const limits = this.owner.limits;
    const links = (this.links ??= []);
    if (links.length >= limits.linkCountLimit) {
      this.droppedLinksCount++;
      return;
    }
    const list: AttributeList = [];
    const dropped = setAttributes(list, link.attributes, limits.attributePerLinkCountLimit, limits.attributeValueLengthLimit);
    links.push({ context: link.context, attributes: list, droppedAttributesCount: dropped });
  }

  setStatus(status: SpanStatus): this {
    if (this.endedWarning('setStatus')) return this;
    // Ok is final; Unset is never set over anything; a description goes only with Error.
    if (this.statusCode === SpanStatusCode.OK || status.code === SpanStatusCode.UNSET) return this;
    if (status.code === SpanStatusCode.OK) {
      this.statusCode = SpanStatusCode.OK;
      this.statusMessage = undefined;
    } else if (status.code === SpanStatusCode.ERROR) {
      this.statusCode = SpanStatusCode.ERROR;
      this.statusMessage = typeof status.message === 'string' ? status.message : undefined;
    }
    return this;
  }

  updateName(name: string): this {
    if (this.endedWarning('updateName')) return this;
    this.name = name;
    return this;
  }

  end(endTime?: TimeInput): void {
    if (this.endedWarning('end')) return;
    this.ended = true;
    let sec: number;
    let nanos: number;
    if (endTime === undefined) {
      const n = originNanos + Math.round(performance.now() * 1e6);
      const s = Math.floor(n / 1e9);
      sec = originSec + s;
      nanos = n - s * 1e9;
    } else {
      const t = toHrTime(endTime);
      sec = t[0];
      nanos = t[1];
    }
    if (sec < this.startSec || (sec === this.startSec && nanos < this.startNanos)) {
      diag.warn(`ariadne: end time of span ${this.name} is before its start; using the start time`);
      sec = this.startSec;
      nanos = this.startNanos;
    }
    this.endSec = sec;
    this.endNanos = nanos;
    try {
      this.owner.processor.onEnd(this);
    } catch (err) {
      diag.error('ariadne: span processor onEnd failed', err);
    }
  }

  isRecording(): boolean {
    return !this.ended;
  }

  recordException(exception: Exception, time?: TimeInput): void {
    const attributes: Attributes = {};
    if (typeof exception === 'string') {
      attributes['exception.message'] = exception;
    } else if (exception !== null && typeof exception === 'object') {
      const { code, name, message, stack } = exception as { code?: unknown; name?: unknown; message?: unknown; stack?: unknown };
      if (code !== undefined && code !== null) attributes['exception.type'] = String(code);
      else if (typeof name === 'string') attributes['exception.type'] = name;
      if (typeof message === 'string') attributes['exception.message'] = message;
      if (typeof stack === 'string') attributes['exception.stacktrace'] = stack;
    }
    if (attributes['exception.type'] === undefined && attributes['exception.message'] === undefined) {
      diag.warn(`ariadne: recordException got neither a type nor a message: ${String(exception)}`);
      return;
    }
    this.addEvent('exception', attributes, time);
  }
}
