import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';

/** packages/web/dist, from both src/query (tsx) and dist/query (built). */
const WEB_DIST = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Ariadne</title>
<p>The Ariadne web UI is not built. Run <code>npm run build</code> in the repository, then reload.</p>
<p>The query API is served under <a href="/api/services">/api</a>.</p>`;

/**
 * Serves the web UI at `/`: files of packages/web/dist, and index.html for any other GET outside
 * /api so client-side routes survive a reload. Register after the API routes.
 */
export function registerWebUi<L extends FastifyBaseLogger>(
  app: FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, L>,
  root = WEB_DIST,
): void {
  const built = existsSync(`${root}/index.html`);
  if (built) {
    void app.register(fastifyStatic, {
      root,
      wildcard: false,
      // Vite puts a content hash in every asset name; index.html must be revalidated to pick up new ones.
      setHeaders: (res, path) =>
        res.setHeader('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'),
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    if (request.method !== 'GET' || path === '/api' || path.startsWith('/api/')) {
      return reply.code(404).send({ message: `Route ${request.method}:${path} not found`, error: 'Not Found', statusCode: 404 });
    }
    if (!built) return reply.code(503).type('text/html; charset=utf-8').send(NOT_BUILT);
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
