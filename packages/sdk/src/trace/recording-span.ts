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
} from '@opentelemetry/api';
import { setAttribute, setAttributes } from './attribute-list.js';
import type { AttributeList } from './attribute-list.js';
import type { SpanOwner } from './span-owner.js';
import { isTimeBefore, toHrTime } from './time.js';

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

/**
 * A sampled-in span: records until `end()`, then is frozen and handed to the span processor.
 * Every mutator after the end is ignored with a diag warning, as the specification asks.
 */
export class RecordingSpan implements Span {
  readonly attributes: AttributeList = [];
  droppedAttributesCount = 0;
  events: SpanEvent[] | undefined;
  droppedEventsCount = 0;
  links: SpanLink[] | undefined;
  droppedLinksCount = 0;
  statusCode: SpanStatusCode = SpanStatusCode.UNSET;
  statusMessage: string | undefined;
  endTime: HrTime | undefined;
  ended = false;

  constructor(
    readonly owner: SpanOwner,
    private readonly context: SpanContext,
    public name: string,
    readonly kind: SpanKind,
    readonly parentSpanContext: SpanContext | undefined,
    readonly startTime: HrTime,
  ) {}

  spanContext(): SpanContext {
    return this.context;
  }

  get status(): SpanStatus {
    return this.statusMessage === undefined
      ? { code: this.statusCode }
      : { code: this.statusCode, message: this.statusMessage };
  }

  private endedWarning(operation: string): boolean {
    if (!this.ended) return false;
    diag.warn(`ariadne: ${operation} on ended span ${this.name} (${this.context.spanId}) ignored`);
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
    let end = toHrTime(endTime);
    if (isTimeBefore(end, this.startTime)) {
      diag.warn(`ariadne: end time of span ${this.name} is before its start; using the start time`);
      end = this.startTime;
    }
    this.endTime = end;
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
