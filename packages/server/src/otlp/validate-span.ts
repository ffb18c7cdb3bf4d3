import type { Span } from '../model/span.js';

const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_SPAN_ID = '0'.repeat(16);

export type RejectReason = 'invalid trace id' | 'invalid span id' | 'invalid parent span id';

/**
 * Checks the ids of a decoded span, the one place both OTLP decoders do it. Ids arrive as
 * lowercase hex (the JSON decoder turns an id that is not hex into one of the wrong length), so
 * length and all-zero are what is left to check. An all-zero parent id
 * means "no parent" and is normalized to ''. A span whose end precedes its start is kept: the
 * sender's clock is wrong, but the span still says what happened, and dropping it would hide that.
 */
export function spanRejectReason(span: Span): RejectReason | undefined {
  if (span.traceId.length !== 32 || span.traceId === ZERO_TRACE_ID) return 'invalid trace id';
  if (span.spanId.length !== 16 || span.spanId === ZERO_SPAN_ID) return 'invalid span id';
  const parent = span.parentSpanId;
  if (parent !== '') {
    if (parent === ZERO_SPAN_ID) span.parentSpanId = '';
    else if (parent.length !== 16) return 'invalid parent span id';
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
