import type { Span } from '../model/span.js';

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_SPAN_ID = '0'.repeat(16);

export type RejectReason = 'invalid trace id' | 'invalid span id' | 'invalid parent span id';

/**
 * Checks the ids of a decoded span, the one place both OTLP decoders do it. An all-zero parent id
 * means "no parent" and is normalized to ''. A span whose end precedes its start is kept: the
 * sender's clock is wrong, but the span still says what happened, and dropping it would hide that.
 */
export function spanRejectReason(span: Span): RejectReason | undefined {
  if (!TRACE_ID.test(span.traceId) || span.traceId === ZERO_TRACE_ID) return 'invalid trace id';
  if (!SPAN_ID.test(span.spanId) || span.spanId === ZERO_SPAN_ID) return 'invalid span id';
  const parent = span.parentSpanId;
  if (parent !== '') {
    if (parent === ZERO_SPAN_ID) span.parentSpanId = '';
    else if (!SPAN_ID.test(parent)) return 'invalid parent span id';
  }
  return undefined;
}

const EXPECTED: Record<RejectReason, string> = {
  'invalid trace id': '16 bytes, not all zero',
  'invalid span id': '8 bytes, not all zero',
  'invalid parent span id': '8 bytes or empty',
};

/** Counts rejected spans by reason and says why, for OTLP partial success. */
export class SpanRejections {
  count = 0;
  private readonly byReason = new Map<RejectReason, number>();

  add(reason: RejectReason): void {
    this.count++;
    this.byReason.set(reason, (this.byReason.get(reason) ?? 0) + 1);
  }

  message(): string {
    if (this.count === 0) return '';
    const parts = [...this.byReason].map(([reason, n]) => `${n} with ${reason} (must be ${EXPECTED[reason]})`);
    return `${this.count} span${this.count === 1 ? '' : 's'} rejected: ${parts.join(', ')}`;
  }
}
