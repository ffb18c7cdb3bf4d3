import type { SpanContext, TraceState } from '@opentelemetry/api';
import { UnsampledSpan } from './unsampled-span.js';

/**
 * The parent a propagator extracted from another process: non-recording, its span context marked
 * remote. It keeps the ids as int32 words too, read once from the header, so that a child span
 * takes them without parsing or validating hex again.
 */
export class RemoteSpan extends UnsampledSpan {
  private readonly remoteContext: SpanContext;

  constructor(
    words: readonly [number, number, number, number, number, number],
    traceId: string,
    spanId: string,
    traceFlags: number,
    traceState: TraceState | undefined,
  ) {
    super(words[0], words[1], words[2], words[3], words[4], words[5], traceFlags, traceState, traceId);
    this.remoteContext = { traceId, spanId, traceFlags, traceState, isRemote: true };
  }

  override spanContext(): SpanContext {
    return this.remoteContext;
  }
}
