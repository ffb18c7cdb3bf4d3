import type { Span } from '../../model/span.js';
import { StatusCode } from '../../model/span.js';
import { MINUTE_NANO } from '../../storage/metrics-store.js';
import type { RedPartial } from '../../storage/metrics-store.js';
import { LogHistogram } from '../sketch/log-histogram.js';

/** Sums requests, errors and latency per (tenant, minute, service, operation, kind) until drained. */
export class RedAggregator {
  private partials = new Map<string, RedPartial>();

  add(tenant: string, span: Span, weight: number): void {
    const minute = span.startTimeUnixNano - (span.startTimeUnixNano % MINUTE_NANO);
    const service = span.resource.serviceName;
    const key = `${tenant}\0${minute}\0${service}\0${span.name}\0${span.kind}`;
    let partial = this.partials.get(key);
    if (!partial) {
      partial = { tenant, minuteUnixNano: minute, service, operation: span.name, spanKind: span.kind, requests: 0, errors: 0, latency: new LogHistogram() };
      this.partials.set(key, partial);
    }
    partial.requests += weight;
    if (span.status.code === StatusCode.ERROR) partial.errors += weight;
    partial.latency.add(Number(span.endTimeUnixNano - span.startTimeUnixNano), weight);
  }

  /** Everything summed since the last drain; the aggregator starts empty again. */
  drain(): RedPartial[] {
    const out = [...this.partials.values()];
    this.partials = new Map();
    return out;
  }
}
