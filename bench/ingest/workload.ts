import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

/**
 * The documented synthetic workload: traces of 5 spans over 3 services
 * (web SERVER → web CLIENT → api SERVER → api CLIENT → db-proxy SERVER), each span with 6 short
 * attributes, every 10th trace failing with an exception event; one resource of 7 attributes per
 * service; encoded by OpenTelemetry's own protobuf serializer in requests of `spansPerRequest`.
 */
export const SPANS_PER_TRACE = 5;

const SERVICES = ['web', 'api', 'db-proxy'];

function tracerFor(service: string, exporter: InMemorySpanExporter) {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': service,
      'service.version': '1.4.2',
      'host.name': `${service}-host-1`,
      'process.pid': 4242,
      'process.runtime.name': 'nodejs',
      'telemetry.sdk.name': 'opentelemetry',
      'telemetry.sdk.language': 'nodejs',
    }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  return provider.getTracer('bench-workload', '1.0.0');
}

/** Makes `traces` traces and returns them as OTLP protobuf request bodies. */
export function makeWorkload(traces: number, spansPerRequest = 500): Uint8Array[] {
  const exporter = new InMemorySpanExporter();
  const [web, api, db] = SERVICES.map((s) => tracerFor(s, exporter));
  const start = Date.now() - 60_000;
  for (let i = 0; i < traces; i++) {
    const t0 = start + (i % 50_000);
    const attrs = (route: string, status: number) => ({
      'http.request.method': i % 3 === 0 ? 'POST' : 'GET',
      'http.route': route,
      'url.path': `${route}/${i % 100}`,
      'http.response.status_code': status,
      'server.address': 'shop.example',
      'user.id': `u${i % 1000}`,
    });
    const failed = i % 10 === 0;
    const root = web.startSpan('GET /orders', { kind: SpanKind.SERVER, startTime: t0, attributes: attrs('/orders', failed ? 500 : 200) }, ROOT_CONTEXT);
    const c1 = web.startSpan('GET api', { kind: SpanKind.CLIENT, startTime: t0 + 1, attributes: attrs('/api/orders', 200) }, trace.setSpan(ROOT_CONTEXT, root));
    const s1 = api.startSpan('GET /api/orders', { kind: SpanKind.SERVER, startTime: t0 + 2, attributes: attrs('/api/orders', 200) }, trace.setSpan(ROOT_CONTEXT, c1));
    const c2 = api.startSpan('SELECT orders', { kind: SpanKind.CLIENT, startTime: t0 + 3, attributes: attrs('/db', 200) }, trace.setSpan(ROOT_CONTEXT, s1));
    const s2 = db.startSpan('query', { kind: SpanKind.SERVER, startTime: t0 + 3, attributes: attrs('/db', 200) }, trace.setSpan(ROOT_CONTEXT, c2));
    if (failed) {
      s2.recordException(Object.assign(new Error(`timeout after ${i % 30} ms`), { stack: 'Error: timeout\n    at query (db.js:10:5)' }), t0 + 8);
      s2.setStatus({ code: SpanStatusCode.ERROR, message: 'timeout' });
      root.setStatus({ code: SpanStatusCode.ERROR });
    }
    s2.end(t0 + 9);
    c2.end(t0 + 10);
    s1.end(t0 + 12);
    c1.end(t0 + 13);
    root.end(t0 + 15);
  }
  const spans: ReadableSpan[] = exporter.getFinishedSpans();
  const bodies: Uint8Array[] = [];
  for (let i = 0; i < spans.length; i += spansPerRequest) {
    bodies.push(ProtobufTraceSerializer.serializeRequest(spans.slice(i, i + spansPerRequest))!);
  }
  return bodies;
}
