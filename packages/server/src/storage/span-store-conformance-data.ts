import type { Attributes, InstrumentationScope, Resource, Span, SpanKind } from '../model/span.js';
import { SpanKind as Kind, StatusCode } from '../model/span.js';

/*
 * The conformance data set: small traces whose query answers are worked out by hand in
 * span-store-conformance.ts. Trace n starts at T0 + n seconds, its spans 1 ms apart.
 */

export const T0 = 1_700_000_000_000_000_000n;
export const MS = 1_000_000n;
export const SECOND = 1000n * MS;

export const traceIdOf = (n: number): string => (n === 7 ? 'f'.repeat(32) : `0af7651916cd43dd8448eb211c80319${n}`);

const resource = (serviceName: string, attributes: Attributes): Resource => ({
  attributes: { 'service.name': serviceName, ...attributes },
  droppedAttributesCount: 0,
  schemaUrl: '',
  serviceName,
});

const scope: InstrumentationScope = { name: 'conformance', version: '1.0.0', attributes: {}, droppedAttributesCount: 0, schemaUrl: '' };

export const RESOURCES = {
  frontend: resource('frontend', { 'host.name': 'h1', 'deployment.environment': 'prod' }),
  backend1: resource('backend', { 'host.name': 'h1' }),
  backend2: resource('backend', { 'host.name': 'h2' }),
  db: resource('db', { 'host.name': 'h3' }),
};

interface SpanPlan {
  resource: Resource;
  kind: SpanKind;
  name: string;
  durationMs: number;
  /** Index of the parent in the trace's plan. */
  parent?: number;
  attributes?: Attributes;
  events?: Span['events'];
}

function trace(n: number, plans: SpanPlan[]): Span[] {
  const spans: Span[] = [];
  plans.forEach((plan, i) => {
    const start = T0 + BigInt(n) * SECOND + BigInt(i) * MS;
    spans.push({
      traceId: traceIdOf(n),
      spanId: `${n}${i}`.padStart(16, 'b'),
      parentSpanId: plan.parent === undefined ? '' : spans[plan.parent].spanId,
      traceState: '',
      flags: 1,
      name: plan.name,
      kind: plan.kind,
      startTimeUnixNano: start,
      endTimeUnixNano: start + BigInt(plan.durationMs) * MS,
      attributes: plan.attributes ?? {},
      droppedAttributesCount: 0,
      events: plan.events ?? [],
      droppedEventsCount: 0,
      links: [],
      droppedLinksCount: 0,
      status: { code: StatusCode.UNSET, message: '' },
      resource: plan.resource,
      scope,
    });
  });
  return spans;
}

const { frontend, backend1, backend2, db } = RESOURCES;

/** A span using every field of the model, with values that are easy to lose in storage. */
function fidelityTrace(): Span[] {
  const richResource: Resource = {
    attributes: {
      'service.name': 'fidelity',
      'process.pid': 4242n,
      'host.arch': 'amd64',
      'k8s.labels': { app: 'fidelity', tier: ['web', 'api'] },
      weight: 0.25,
    },
    droppedAttributesCount: 4,
    schemaUrl: 'https://opentelemetry.io/schemas/1.24.0',
    serviceName: 'fidelity',
  };
  const richScope: InstrumentationScope = {
    name: '@ariadne/sdk/http',
    version: '0.1.0-beta.2',
    attributes: { 'scope.flag': true, 'scope.count': 3n },
    droppedAttributesCount: 5,
    schemaUrl: 'https://opentelemetry.io/schemas/1.21.0',
  };
  const start = T0 + 7n * SECOND;
  const root: Span = {
    traceId: traceIdOf(7),
    spanId: 'ffffffffffffffff',
    parentSpanId: '',
    traceState: 'vendor=abc,other=x y',
    flags: 0x301,
    name: 'fidelity op ✓',
    kind: Kind.PRODUCER,
    startTimeUnixNano: start + 123n,
    endTimeUnixNano: start + 7n * MS + 456n,
    attributes: {
      str: 'héllo ✓ "quoted" \\ back',
      empty: '',
      big: 9007199254740993n,
      minInt: -9223372036854775808n,
      maxInt: 9223372036854775807n,
      zero: 0n,
      dbl: 1.5,
      intLikeDouble: 2,
      negZero: -0,
      tiny: 5e-324,
      inf: -Infinity,
      nan: NaN,
      yes: true,
      no: false,
      bytes: new Uint8Array([0, 1, 127, 128, 255]),
      noBytes: new Uint8Array([]),
      list: ['a', 1n, 2.5, false, new Uint8Array([9]), ['nested'], { k: 'v' }],
      emptyList: [],
      map: { inner: { deep: [1n, 2] }, bin: new Uint8Array([7]), s: 's' },
      emptyMap: {},
      'ctrl\x1ekey\x1f': 'v\x1f\x1a\x1b\x1c\x1d\x1e',
      '': 'empty key',
    },
    droppedAttributesCount: 1,
    events: [
      { timeUnixNano: start + 1n * MS, name: 'exception', attributes: { 'exception.type': 'Boom', 'exception.escaped': false }, droppedAttributesCount: 2 },
      { timeUnixNano: start + 2n * MS + 1n, name: 'ev\x1c\x1bname', attributes: {}, droppedAttributesCount: 0 },
    ],
    droppedEventsCount: 3,
    links: [
      { traceId: traceIdOf(1), spanId: 'bbbbbbbbbbbbbb10', traceState: 'a=b', attributes: { 'link.kind': 'follows', n: 1n }, droppedAttributesCount: 6, flags: 1 },
      { traceId: '0'.repeat(31) + '1', spanId: '0'.repeat(15) + '1', traceState: '', attributes: {}, droppedAttributesCount: 0, flags: 0 },
    ],
    droppedLinksCount: 7,
    status: { code: StatusCode.ERROR, message: 'it broke: \x1b\x1c ✗' },
    resource: richResource,
    scope: richScope,
  };
  const child: Span = {
    ...root,
    spanId: '0000000000000001',
    parentSpanId: root.spanId,
    name: 'fidelity child',
    kind: Kind.UNSPECIFIED,
    flags: 0,
    traceState: '',
    startTimeUnixNano: start + 1n * MS,
    endTimeUnixNano: start + 9n * MS,
    attributes: {},
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: { code: StatusCode.OK, message: '' },
  };
  return [root, child];
}

/** Traces 1-7 of the default tenant, by number. */
export function conformanceTraces(): Map<number, Span[]> {
  return new Map([
    [
      1,
      trace(1, [
        { resource: frontend, kind: Kind.SERVER, name: 'GET /home', durationMs: 30, attributes: { 'http.method': 'GET', 'http.status_code': 200n } },
        { resource: frontend, kind: Kind.CLIENT, name: 'GET backend', durationMs: 20, parent: 0, attributes: { 'http.method': 'GET' } },
        { resource: backend1, kind: Kind.SERVER, name: 'list', durationMs: 15, parent: 1 },
        { resource: db, kind: Kind.SERVER, name: 'query', durationMs: 5, parent: 2, attributes: { 'db.system': 'postgres' } },
      ]),
    ],
    [
      2,
      trace(2, [
        { resource: frontend, kind: Kind.SERVER, name: 'GET /cart', durationMs: 300, attributes: { 'http.method': 'GET', 'http.status_code': 500n, error: true } },
        { resource: frontend, kind: Kind.CLIENT, name: 'GET backend', durationMs: 250, parent: 0 },
        { resource: backend1, kind: Kind.SERVER, name: 'cart', durationMs: 200, parent: 1, attributes: { 'cart.size': 3n } },
      ]),
    ],
    [
      3,
      trace(3, [
        { resource: backend2, kind: Kind.CONSUMER, name: 'consume', durationMs: 50, attributes: { 'messaging.system': 'kafka' } },
        { resource: db, kind: Kind.SERVER, name: 'query', durationMs: 10, parent: 0, attributes: { 'db.system': 'redis' } },
      ]),
    ],
    [
      4,
      trace(4, [
        { resource: frontend, kind: Kind.SERVER, name: 'GET /split', durationMs: 40, attributes: { 'user.id': 'u1' } },
        { resource: frontend, kind: Kind.INTERNAL, name: 'render', durationMs: 10, parent: 0, attributes: { feature: 'beta' } },
      ]),
    ],
    [5, trace(5, [{ resource: frontend, kind: Kind.SERVER, name: 'GET /both', durationMs: 60, attributes: { 'user.id': 'u1', feature: 'beta', ratio: 0.5 } }])],
    [
      6,
      trace(6, [
        {
          resource: backend1,
          kind: Kind.SERVER,
          name: 'upload',
          durationMs: 80,
          events: [{ timeUnixNano: T0 + 6n * SECOND, name: 'exception', attributes: { 'exception.type': 'IOError' }, droppedAttributesCount: 0 }],
        },
      ]),
    ],
    [7, fidelityTrace()],
  ]);
}
