import type { SpanBatch } from '../model/span.js';

/** What a decoder made of one export request: the valid spans, and how many it dropped and why. */
export interface DecodeResult {
  batch: SpanBatch;
  rejectedSpans: number;
  /** Why spans were rejected, for OTLP `partial_success.error_message`; '' when none were. */
  errorMessage: string;
}
