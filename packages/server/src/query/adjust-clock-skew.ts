import type { Attributes, Span } from '../model/span.js';

export interface ClockSkewOptions {
  /** Larger corrections are not applied (the skew is probably something else); unlimited when absent. */
  maxDeltaNano?: bigint;
}

// The host a span's clock belongs to, as Jaeger derives it; the service when no host is named.
function hostKey(span: Span): string {
  const attributes: Attributes = span.resource.attributes;
  for (const key of ['host.id', 'host.ip', 'host.name']) {
    const value = attributes[key];
    if (typeof value === 'string' && value !== '') return value;
    if (Array.isArray(value) && value.length > 0) return String(value[0]);
  }
  return `service:${span.resource.serviceName}`;
}

/**
 * Jaeger's clock skew adjuster, as a pure function: a span on another host than its parent that
 * starts before the parent or ends after it is shifted (with its events and descendants on the same
 * host) to sit centred in the parent, or just to start with it when it lasted longer than the
 * parent. Returns new span objects where shifted, the same ones elsewhere; trace order is kept.
 */
export function adjustClockSkew(spans: Span[], options: ClockSkewOptions = {}): Span[] {
  const byId = new Map<string, Span>();
  for (const span of spans) if (!byId.has(span.spanId)) byId.set(span.spanId, span);
  // Duplicate span ids make the tree ambiguous: Jaeger leaves such traces alone.
  if (byId.size !== spans.length) return spans;
  const children = new Map<string, Span[]>();
  const roots: Span[] = [];
  for (const span of spans) {
    if (span.parentSpanId !== '' && byId.has(span.parentSpanId)) children.set(span.parentSpanId, [...(children.get(span.parentSpanId) ?? []), span]);
    else roots.push(span);
  }
  const adjusted = new Map<string, Span>();
  const visit = (span: Span, parent: Span | undefined, skew: { host: string; delta: bigint }) => {
    const host = hostKey(span);
    if (parent && host !== skew.host) skew = { host, delta: skewOf(span, parent) };
    let result = span;
    const max = options.maxDeltaNano;
    if (skew.delta !== 0n && (max === undefined || (skew.delta < 0n ? -skew.delta : skew.delta) <= max)) {
      const d = skew.delta;
      result = {
        ...span,
        startTimeUnixNano: span.startTimeUnixNano + d,
        endTimeUnixNano: span.endTimeUnixNano + d,
        events: span.events.map((e) => ({ ...e, timeUnixNano: e.timeUnixNano + d })),
      };
      adjusted.set(span.spanId, result);
    }
    for (const child of children.get(span.spanId) ?? []) visit(child, result, skew);
  };
  for (const root of roots) visit(root, undefined, { host: hostKey(root), delta: 0n });
  return spans.map((span) => adjusted.get(span.spanId) ?? span);
}

// `parent` is already adjusted; the delta that puts `child` inside it.
function skewOf(child: Span, parent: Span): bigint {
  const childDuration = child.endTimeUnixNano - child.startTimeUnixNano;
  const parentDuration = parent.endTimeUnixNano - parent.startTimeUnixNano;
  if (childDuration > parentDuration) {
    // Async, or the parent timed out first: the most we can say is it did not start before the parent.
    return child.startTimeUnixNano < parent.startTimeUnixNano ? parent.startTimeUnixNano - child.startTimeUnixNano : 0n;
  }
  if (child.startTimeUnixNano >= parent.startTimeUnixNano && child.endTimeUnixNano <= parent.endTimeUnixNano) return 0n;
  // Network latency split evenly between request and response.
  const latency = (parentDuration - childDuration) / 2n;
  return parent.startTimeUnixNano + latency - child.startTimeUnixNano;
}
