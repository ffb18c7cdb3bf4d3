import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/** Sends spans with the official OpenTelemetry SDK, one provider per service. */
export async function withTracers(otlpUrl: string, services: Record<string, Attributes>, make: (tracers: Record<string, Tracer>) => void): Promise<void> {
  const providers = Object.entries(services).map(
    ([name, attributes]) =>
      [
        name,
        new NodeTracerProvider({
          resource: resourceFromAttributes({ 'service.name': name, ...attributes }),
          spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${otlpUrl}/v1/traces` }), { maxQueueSize: 100_000, maxExportBatchSize: 2000 })],
        }),
      ] as const,
  );
  make(Object.fromEntries(providers.map(([name, p]) => [name, p.getTracer('web-e2e', '1.2.3')])));
  await Promise.all(providers.map(([, p]) => p.forceFlush()));
  await Promise.all(providers.map(([, p]) => p.shutdown()));
}

export interface ShopTrace {
  traceId: string;
  route: string;
  customer: string;
  durationMs: number;
  error: boolean;
}

export const SHOP_TRACES = 12;

/**
 * Trace i, ending a few seconds ago: frontend SERVER `GET <route>` → frontend CLIENT `call backend`
 * → backend SERVER `handle` → { backend CLIENT `SELECT orders` (postgresql), backend PRODUCER
 * `publish order` (kafka) }. Every third trace fails in `handle` with a recorded exception.
 */
export function makeShopTraces(tracers: Record<string, Tracer>): ShopTrace[] {
  const { frontend, backend } = tracers;
  const out: ShopTrace[] = [];
  const base = Date.now() - 60_000;
  for (let i = 0; i < SHOP_TRACES; i++) {
    const start = base + i * 3000;
    const durationMs = (i + 1) * 20;
    const route = i % 2 === 0 ? '/checkout' : '/cart';
    const customer = `c${i % 3}`;
    const error = i % 3 === 0;
    const root = frontend.startSpan(
      `GET ${route}`,
      { kind: SpanKind.SERVER, startTime: start, attributes: { 'http.route': route, customer, 'http.response.status_code': error ? 500 : 200 } },
      ROOT_CONTEXT,
    );
    const client = frontend.startSpan('call backend', { kind: SpanKind.CLIENT, startTime: start + 2 }, trace.setSpan(ROOT_CONTEXT, root));
    const handle = backend.startSpan('handle', { kind: SpanKind.SERVER, startTime: start + 4, attributes: { customer } }, trace.setSpan(ROOT_CONTEXT, client));
    const ctx = trace.setSpan(ROOT_CONTEXT, handle);
    const db = backend.startSpan(
      'SELECT orders',
      { kind: SpanKind.CLIENT, startTime: start + 5, attributes: { 'db.system': 'postgresql', 'db.namespace': 'shop', 'db.query.text': 'SELECT * FROM orders WHERE customer = $1' } },
      ctx,
    );
    db.end(start + 5 + durationMs / 2);
    const publish = backend.startSpan(
      'publish order',
      { kind: SpanKind.PRODUCER, startTime: start + 6 + durationMs / 2, attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': 'orders' } },
      ctx,
    );
    publish.end(start + durationMs - 6);
    if (error) {
      const err = new Error(`payment declined for order ${1000 + i}`);
      err.stack = `Error: payment declined for order ${1000 + i}\n    at charge (payments.js:42:11)\n    at handle (server.js:10:5)`;
      handle.recordException(err, start + durationMs - 5);
      handle.setStatus({ code: SpanStatusCode.ERROR, message: 'payment declined' });
      root.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream failed' });
    }
    handle.end(start + durationMs - 4);
    client.end(start + durationMs - 2);
    root.end(start + durationMs);
    out.push({ traceId: root.spanContext().traceId, route, customer, durationMs, error });
  }
  return out;
}
