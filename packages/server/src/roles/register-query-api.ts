import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { registerJaegerRoutes } from '../query/jaeger-routes.js';
import { registerMetricsRoutes } from '../query/metrics-routes.js';
import { registerNativeRoutes } from '../query/native-routes.js';
import { registerSearchRoutes } from '../query/search-routes.js';
import { registerWebUi } from '../query/web-ui-routes.js';
import type { MetricsReader } from '../storage/metrics-store.js';
import type { SpanReader } from '../storage/span-store.js';

/** The query side: Jaeger API, native API, metrics API and the web UI, over the given readers. */
export function registerQueryApi<L extends FastifyBaseLogger>(
  app: FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, L>,
  spans: SpanReader, metrics: MetricsReader, stats: () => unknown): void {
  registerJaegerRoutes(app, spans);
  registerNativeRoutes(app, spans);
  registerMetricsRoutes(app, metrics);
  app.get('/api/v1/stats', async () => stats());
  registerSearchRoutes(app, spans);
  registerWebUi(app);
}
