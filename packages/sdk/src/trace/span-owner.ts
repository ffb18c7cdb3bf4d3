import type { Resource } from '../resource/resource.js';
import type { InstrumentationScope } from './instrumentation-scope.js';
import type { SpanLimits } from './span-limits.js';
import type { SpanProcessor } from './span-processor.js';

/** What a span shares with every span of its tracer (one object, so a span keeps one pointer). */
export interface SpanOwner {
  readonly scope: InstrumentationScope;
  readonly resource: Resource;
  readonly limits: SpanLimits;
  readonly processor: SpanProcessor;
}
