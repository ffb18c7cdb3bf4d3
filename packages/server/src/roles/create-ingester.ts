import type { Logger } from 'pino';
import type { AriadneConfig } from '../config/config.js';
import { Ingester } from '../ingest/ingester.js';
import type { MetricsWriter } from '../storage/metrics-store.js';
import type { SpanWriter } from '../storage/span-store.js';

/** The ingester with the configured processors. */
export function createIngester(config: AriadneConfig, spans: SpanWriter, metrics: MetricsWriter, log: Logger): Ingester {
  const windowMs = config.traceWindowSeconds * 1000;
  return new Ingester(
    spans,
    config.processors === 'none'
      ? undefined
      : {
          metrics,
          traceWindowMs: windowMs,
          tailSampling: config.tailSampling
            ? {
                decisionWaitMs: windowMs,
                slowThresholdMs: config.tailSamplingSlowMs,
                operationTracesPerSecond: config.tailSamplingOperationRate,
                probability: config.tailSamplingProbability,
              }
            : undefined,
          log,
        },
  );
}
