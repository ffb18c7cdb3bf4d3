import type { InstrumentationScope, Resource, Span } from '../model/span.js';
import { SpanKind, StatusCode } from '../model/span.js';

/* Fixture spans for the query tests: one trace across two services, covering every span field. */

export const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
/** A trace id whose high 64 bits are zero, which Jaeger prints as 16 hex chars. */
export const SHORT_TRACE_ID = '00000000000000008448eb211c80319c';
export const T0 = 1_700_000_000_000_000_000n;

export const frontendResource = (): Resource => ({
  attributes: { 'service.name': 'frontend', 'host.name': 'node-1', 'process.pid': 42n },
  droppedAttributesCount: 0,
  schemaUrl: 'https://opentelemetry.io/schemas/1.24.0',
  serviceName: 'frontend',
});

export const backendResource = (): Resource => ({
  attributes: { 'service.name': 'backend' },
  droppedAttributesCount: 1,
  schemaUrl: '',
  serviceName: 'backend',
});

export const httpScope = (): InstrumentationScope => ({
  name: '@ariadne/sdk/http',
  version: '0.1.0',
  attributes: { 'scope.attr': 'x' },
  droppedAttributesCount: 0,
  schemaUrl: 'https://opentelemetry.io/schemas/1.24.0',
});

export function span(overrides: Partial<Span> = {}): Span {
  return {
    traceId: TRACE_ID,
    spanId: 'b7ad6b7169203331',
    parentSpanId: '',
    traceState: '',
    flags: 1,
    name: 'GET /cart',
    kind: SpanKind.SERVER,
    startTimeUnixNano: T0,
    endTimeUnixNano: T0 + 2_500_999n,
    attributes: {},
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: { code: StatusCode.UNSET, message: '' },
    resource: frontendResource(),
    scope: httpScope(),
    ...overrides,
  };
}

/** Root (frontend, server) → client (frontend) → server (backend, error), sharing resources by reference. */
export function sampleTrace(): Span[] {
  const frontend = frontendResource();
  const backend = backendResource();
  const scope = httpScope();
  return [
    span({ resource: frontend, scope, attributes: { 'http.method': 'GET', 'http.status_code': 200n } }),
    span({
      spanId: '00f067aa0ba902b7',
      parentSpanId: 'b7ad6b7169203331',
      name: 'POST',
      kind: SpanKind.CLIENT,
      startTimeUnixNano: T0 + 100_000n,
      endTimeUnixNano: T0 + 2_000_000n,
      resource: frontend,
      scope,
    }),
    span({
      spanId: '1111111111111111',
      parentSpanId: '00f067aa0ba902b7',
      name: 'POST /checkout',
      startTimeUnixNano: T0 + 200_000n,
      endTimeUnixNano: T0 + 1_900_000n,
      status: { code: StatusCode.ERROR, message: 'boom' },
      resource: backend,
      scope,
    }),
  ];
}
