import type { Resource, Span } from '../model/span.js';
import { SpanKind, StatusCode } from '../model/span.js';

/*
 * A generated workload with known answers: every trace is frontend SERVER → frontend CLIENT →
 * payments SERVER → payments CLIENT to an uninstrumented PostgreSQL; every 7th trace fails in
 * payments with an exception; every 5th was head-sampled at 50% (tracestate ot=th:8, weight 2).
 */

const resource = (serviceName: string): Resource => ({ attributes: { 'service.name': serviceName }, droppedAttributesCount: 0, schemaUrl: '', serviceName });
const RESOURCES = { frontend: resource('frontend'), payments: resource('payments') };
const SCOPE = { name: 'test', version: '', attributes: {}, droppedAttributesCount: 0, schemaUrl: '' };

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
}

export interface WorkloadOptions {
  traces: number;
  startUnixNano: bigint;
  /** Time between trace starts. */
  intervalNano: bigint;
  seed?: number;
}

export function generateWorkload(options: WorkloadOptions): Span[] {
  const random = rng(options.seed ?? 7);
  const hex = (chars: number) => Array.from({ length: chars / 8 }, () => Math.floor(random() * 2 ** 32).toString(16).padStart(8, '0')).join('');
  const spans: Span[] = [];
  for (let t = 0; t < options.traces; t++) {
    const traceId = hex(32);
    const start = options.startUnixNano + BigInt(t) * options.intervalNano;
    const failed = t % 7 === 0;
    const traceState = t % 5 === 0 ? 'ot=th:8' : '';
    // Log-normal-ish durations: the db call, then each level adds its own time.
    const db = BigInt(Math.round(Math.exp(Math.log(2e6) + random() * 3)));
    const pay = db + BigInt(Math.round(random() * 30e6));
    const call = pay + BigInt(Math.round(random() * 2e6));
    const root = call + BigInt(Math.round(random() * 10e6));
    const ids = [hex(16), hex(16), hex(16), hex(16)];
    const plan: [keyof typeof RESOURCES, SpanKind, string, bigint, Span['attributes']][] = [
      ['frontend', SpanKind.SERVER, 'GET /checkout', root, {}],
      ['frontend', SpanKind.CLIENT, 'POST /pay', call, { 'server.address': 'payments' }],
      ['payments', SpanKind.SERVER, 'POST /pay', pay, {}],
      ['payments', SpanKind.CLIENT, 'INSERT payments', db, { 'db.system': 'postgresql', 'db.namespace': 'payments', 'server.address': 'pg-1' }],
    ];
    plan.forEach(([service, kind, name, duration, attributes], i) => {
      const error = failed && i === 2;
      spans.push({
        traceId,
        spanId: ids[i],
        parentSpanId: i === 0 ? '' : ids[i - 1],
        traceState,
        flags: 1,
        name,
        kind,
        startTimeUnixNano: start + BigInt(i) * 1000n,
        endTimeUnixNano: start + BigInt(i) * 1000n + duration,
        attributes,
        droppedAttributesCount: 0,
        events: error
          ? [{ name: 'exception', timeUnixNano: start, attributes: { 'exception.type': 'CardDeclined', 'exception.message': `card ${t} declined`, 'exception.stacktrace': 'CardDeclined\n    at charge (pay.js:3:9)' }, droppedAttributesCount: 0 }]
          : [],
        droppedEventsCount: 0,
        links: [],
        droppedLinksCount: 0,
        status: error ? { code: StatusCode.ERROR, message: 'declined' } : { code: StatusCode.UNSET, message: '' },
        resource: RESOURCES[service],
        scope: SCOPE,
      });
    });
  }
  return spans;
}
