import type { AttributeValue, Span } from '../../model/span.js';
import { StatusCode } from '../../model/span.js';
import { MAX_ERROR_EXAMPLES, MINUTE_NANO } from '../../storage/metrics-store.js';
import type { ErrorGroupPartial } from '../../storage/metrics-store.js';
import { maskMessage } from './mask-message.js';

const str = (value: AttributeValue | undefined): string => (typeof value === 'string' ? value : '');

/** What identifies an error: its exception (type, masked message, top stack frame), else its status. */
export function errorSignature(span: Span): { errorType: string; message: string; frame: string } {
  const exception = span.events.find((e) => e.name === 'exception');
  const attributes = exception?.attributes ?? {};
  const errorType = str(attributes['exception.type']) || (exception ? 'Exception' : 'status error');
  const message = maskMessage(str(attributes['exception.message']) || span.status.message);
  return { errorType, message, frame: topFrame(str(attributes['exception.stacktrace'])) };
}

// The first "at ..." line of a JavaScript, Java or similar stack; the first line after the message otherwise.
function topFrame(stack: string): string {
  const lines = stack.split('\n').map((line) => line.trim());
  return lines.find((line) => line.startsWith('at ')) ?? lines.slice(1).find((line) => line !== '') ?? '';
}

/** Counts error spans per (tenant, minute, service, signature), keeping a few example trace ids, until drained. */
export class ErrorGrouper {
  private partials = new Map<string, ErrorGroupPartial>();

  add(tenant: string, span: Span, weight: number): void {
    if (span.status.code !== StatusCode.ERROR) return;
    const { errorType, message, frame } = errorSignature(span);
    const minute = span.startTimeUnixNano - (span.startTimeUnixNano % MINUTE_NANO);
    const service = span.resource.serviceName;
    const key = `${tenant}\0${minute}\0${service}\0${errorType}\0${message}\0${frame}`;
    let partial = this.partials.get(key);
    if (!partial) {
      partial = { tenant, minuteUnixNano: minute, service, errorType, message, frame, count: 0, exampleTraceIds: [] };
      this.partials.set(key, partial);
    }
    partial.count += weight;
    const examples = partial.exampleTraceIds;
    if (examples.length < MAX_ERROR_EXAMPLES && !examples.includes(span.traceId)) examples.push(span.traceId);
  }

  drain(): ErrorGroupPartial[] {
    const out = [...this.partials.values()];
    this.partials = new Map();
    return out;
  }
}
