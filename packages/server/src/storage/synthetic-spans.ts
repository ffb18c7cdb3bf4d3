import type { InstrumentationScope, Resource, Span } from '../model/span.js';
import { SpanKind, StatusCode } from '../model/span.js';

/*
 * The storage size and throughput workload: 5-span traces across 3 services, ~6 short
 * attributes per span, one resource and scope per service. Deterministic for a seed.
 */

const SERVICES = ['frontend', 'checkout', 'inventory'] as const;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (random: () => number, chars: number): string => {
  let out = '';
  while (out.length < chars) out += Math.floor(random() * 0x100000000).toString(16).padStart(8, '0');
  return out.slice(0, chars);
};

function resourceFor(service: string, index: number): Resource {
  return {
    attributes: {
      'service.name': service,
      'service.version': '1.4.2',
      'service.instance.id': `${service}-7d9f8c-${index}`,
      'host.name': `node-${index}`,
      'process.pid': BigInt(1000 + index),
      'telemetry.sdk.language': 'nodejs',
    },
    droppedAttributesCount: 0,
    schemaUrl: 'https://opentelemetry.io/schemas/1.24.0',
    serviceName: service,
  };
}

const scopeFor = (): InstrumentationScope => ({
  name: '@ariadne/sdk/http',
  version: '0.1.0',
  attributes: {},
  droppedAttributesCount: 0,
  schemaUrl: '',
});

export interface SyntheticOptions {
  traces: number;
  startUnixNano: bigint;
  seed?: number;
  /** Gap between trace starts. */
  intervalNano?: bigint;
}

export function syntheticSpans(options: SyntheticOptions): Span[] {
  const random = rng(options.seed ?? 1);
  const resources = SERVICES.map((s, i) => resourceFor(s, i));
  const scopes = SERVICES.map(() => scopeFor());
  const interval = options.intervalNano ?? 50_000n;
  const spans: Span[] = [];
  const itemCount = 50;
  for (let t = 0; t < options.traces; t++) {
    const traceId = hex(random, 32);
    const start = options.startUnixNano + BigInt(t) * interval + BigInt(Math.floor(random() * 1000));
    const item = Math.floor(random() * itemCount);
    const failed = random() < 0.02;
    const status = failed ? 500n : 200n;
    const total = BigInt(Math.floor(2_000_000 + random() * 40_000_000));
    const plan: [service: number, kind: SpanKind, name: string, route: string, method: string][] = [
      [0, SpanKind.SERVER, 'GET /cart/checkout', '/cart/checkout', 'GET'],
      [0, SpanKind.CLIENT, 'POST', '/checkout', 'POST'],
      [1, SpanKind.SERVER, 'POST /checkout', '/checkout', 'POST'],
      [1, SpanKind.CLIENT, 'GET', '/items/:id', 'GET'],
      [2, SpanKind.SERVER, 'GET /items/:id', '/items/:id', 'GET'],
    ];
    let parent = '';
    let spanStart = start;
    let duration = total;
    for (const [service, kind, name, route, method] of plan) {
      const spanId = hex(random, 16);
      const server = kind === SpanKind.SERVER;
      spans.push({
        traceId,
        spanId,
        parentSpanId: parent,
        traceState: '',
        flags: 1,
        name,
        kind,
        startTimeUnixNano: spanStart,
        endTimeUnixNano: spanStart + duration,
        attributes: {
          'http.request.method': method,
          [server ? 'http.route' : 'url.full']: server ? route : `http://${SERVICES[service + 1] ?? 'db'}:8080${route.replace(':id', String(item))}`,
          'http.response.status_code': status,
          'network.protocol.version': '1.1',
          [server ? 'client.address' : 'server.address']: server ? '10.0.0.' + (service + 10) : (SERVICES[service + 1] ?? 'db'),
          'app.item.id': BigInt(item),
        },
        droppedAttributesCount: 0,
        events: [],
        droppedEventsCount: 0,
        links: [],
        droppedLinksCount: 0,
        status: failed ? { code: StatusCode.ERROR, message: 'upstream failed' } : { code: StatusCode.UNSET, message: '' },
        resource: resources[service],
        scope: scopes[service],
      });
      parent = spanId;
      const offset = BigInt(Math.floor(random() * 200_000));
      spanStart += offset;
      duration = (duration * 9n) / 10n - offset;
    }
  }
  return spans;
}
