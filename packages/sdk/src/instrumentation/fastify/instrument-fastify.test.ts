import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { attrs, get, parentOf, serverTrace, startHarness } from '../../testdata/framework-harness.js';
import { withSpan } from '../with-span.js';
import { instrumentFastify } from './instrument-fastify.js';

const { exporter, handle } = startHarness();
instrumentFastify();
const require = createRequire(import.meta.url);

after(() => handle.shutdown());

for (const [pkg, major] of [
  ['fastify4', 4],
  ['fastify', 5],
] as const) {
  describe(`fastify ${major}`, () => {
    let app: any;
    let url: string;
    let activeInHandler: string | undefined;

    before(async () => {
      const fastify = require(pkg);
      assert.equal(Number(require(`${pkg}/package.json`).version.split('.')[0]), major);
      app = fastify();
      app.addHook('onRequest', async function auth() {
        await sleep(1);
      });
      app.addHook('preHandler', function load(_request: unknown, _reply: unknown, done: () => void) {
        setTimeout(done, 1);
      });
      await app.register(
        async function users(instance: any) {
          instance.get('/users/:id', async function getUser(request: any) {
            await sleep(2);
            activeInHandler = trace.getActiveSpan()?.spanContext().spanId;
            await withSpan('lookup', () => sleep(1));
            return { id: request.params.id };
          });
        },
        { prefix: '/api' },
      );
      app.get('/boom', async () => {
        await sleep(1);
        throw new RangeError('boom');
      });
      app.get('/late', (_request: unknown, reply: any) => {
        setTimeout(() => reply.send({ late: true }), 5);
      });
      url = await app.listen({ port: 0, host: '127.0.0.1' });
    });
    after(() => app.close());
    beforeEach(() => {
      exporter.reset();
      activeInHandler = undefined;
    });

    it('names the SERVER span after the route; hook and handler spans are its children', async () => {
      const res = await get(`${url}/api/users/7`);
      assert.equal(res.status, 200);
      assert.deepEqual(JSON.parse(res.body), { id: '7' });
      const { server, spans } = await serverTrace(exporter);
      assert.equal(server.name, 'GET /api/users/:id');
      assert.equal(attrs(server)['http.route'], '/api/users/:id');
      assert.deepEqual(spans.map((s) => s.name).sort(), [
        'GET /api/users/:id',
        'lookup',
        'middleware - auth',
        'middleware - load',
        'request handler - getUser',
      ]);
      const serverId = server.spanContext().spanId;
      for (const span of spans.filter((s) => s.name.includes(' - '))) assert.equal(parentOf(span), serverId, span.name);
      const auth = spans.find((s) => s.name === 'middleware - auth')!;
      assert.equal(attrs(auth)['fastify.type'], 'middleware');
      assert.equal(attrs(auth)['hook.name'], 'onRequest');
      assert.equal(attrs(spans.find((s) => s.name === 'middleware - load')!)['hook.name'], 'preHandler');
      const handler = spans.find((s) => s.name === 'request handler - getUser')!;
      assert.equal(attrs(handler)['fastify.type'], 'request_handler');
      assert.equal(attrs(handler)['fastify.name'], 'getUser');
      assert.equal(attrs(handler)['http.route'], '/api/users/:id');
      assert.equal(typeof attrs(handler)['plugin.name'], 'string');
      assert.equal(activeInHandler, handler.spanContext().spanId);
      assert.equal(parentOf(spans.find((s) => s.name === 'lookup')!), handler.spanContext().spanId);
    });

    it('records a rejected handler on its span and leaves the reply to fastify', async () => {
      const res = await get(`${url}/boom`);
      assert.equal(res.status, 500);
      assert.equal(JSON.parse(res.body).message, 'boom');
      const { server, spans } = await serverTrace(exporter);
      assert.equal(server.name, 'GET /boom');
      const handler = spans.find((s) => s.name.startsWith('request handler'))!;
      assert.equal(handler.status.code, SpanStatusCode.ERROR);
      assert.equal(attrs(handler)['error.type'], 'RangeError');
    });

    it('ends the span of a handler that replies later when the response is sent', async () => {
      const res = await get(`${url}/late`);
      assert.deepEqual(JSON.parse(res.body), { late: true });
      const { server, spans } = await serverTrace(exporter);
      assert.equal(server.name, 'GET /late');
      const handler = spans.find((s) => s.name.startsWith('request handler'))!;
      assert.ok(handler.ended);
      const ns = (t: [number, number]) => t[0] * 1e9 + t[1];
      assert.ok(ns(handler.endTime!) - ns(handler.startTime) >= 4e6, 'covers the wait for reply.send');
    });

    it('leaves the SERVER span unnamed by a route when none matched', async () => {
      const res = await get(`${url}/nowhere`);
      assert.equal(res.status, 404);
      const { server, spans } = await serverTrace(exporter);
      assert.equal(server.name, 'GET');
      assert.ok(!spans.some((s) => s.name.startsWith('request handler - getUser')));
    });

    it('keeps Fastify\'s own check of hook signatures', () => {
      const other = require(pkg)();
      assert.throws(() => other.addHook('onRequest', async (_a: unknown, _b: unknown, _c: unknown) => {}), /async/i);
      return other.close();
    });
  });
}
