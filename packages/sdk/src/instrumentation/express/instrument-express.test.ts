import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { after, before, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { attrs, get, parentOf, serverTrace, startHarness, urlOf } from '../../testdata/framework-harness.js';
import { onModuleLoad } from '../module-hook.js';
import { withSpan } from '../with-span.js';
import { instrumentExpress } from './instrument-express.js';
import { patchExpress } from './patch-express.js';

const { exporter, handle } = startHarness();
instrumentExpress();
// Express 4 is installed under an alias; the hook knows packages by name.
onModuleLoad('express4', patchExpress);
const require = createRequire(import.meta.url);

after(() => handle.shutdown());

for (const [pkg, major] of [
  ['express4', 4],
  ['express', 5],
] as const) {
  describe(`express ${major}`, () => {
    let server: Server;
    let url: string;
    let activeInHandler: string | undefined;

    before(async () => {
      const express = require(pkg) as any;
      assert.equal(Number(require(`${pkg}/package.json`).version.split('.')[0]), major);
      const app = express();
      app.use(function auth(_req: unknown, _res: unknown, next: () => void) {
        setTimeout(next, 2);
      });
      const users = express.Router();
      users.get('/:id', async (req: any, res: any) => {
        await sleep(2);
        activeInHandler = trace.getActiveSpan()?.spanContext().spanId;
        await withSpan('lookup', () => sleep(1));
        res.json({ id: req.params.id });
      });
      app.use('/api/users', users);
      app.get('/boom', () => {
        throw new Error('boom');
      });
      app.get('/next-error', (_req: unknown, _res: unknown, next: (err: unknown) => void) => next(new TypeError('bad')));
      if (major === 5) {
        app.get('/reject', async () => {
          await sleep(1);
          throw new RangeError('rejected');
        });
      }
      app.use((err: Error, _req: unknown, res: any, _next: unknown) => {
        res.status(500).json({ handled: err.message });
      });
      server = app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      url = urlOf(server);
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));
    beforeEach(() => {
      exporter.reset();
      activeInHandler = undefined;
    });

    it('names the SERVER span after the route and makes each layer its child', async () => {
      const res = await get(`${url}/api/users/42?x=1`);
      assert.equal(res.status, 200);
      assert.deepEqual(JSON.parse(res.body), { id: '42' });
      const { server: serverSpan, spans } = await serverTrace(exporter);
      assert.equal(serverSpan.name, 'GET /api/users/:id');
      assert.equal(attrs(serverSpan)['http.route'], '/api/users/:id');

      const names = spans.map((s) => s.name).sort();
      const expected = ['GET /api/users/:id', 'lookup', 'middleware - auth', 'request handler - /api/users/:id', 'router - /api/users'];
      if (major === 4) expected.push('middleware - expressInit', 'middleware - query');
      assert.deepEqual(names, expected.sort());

      const serverId = serverSpan.spanContext().spanId;
      for (const span of spans.filter((s) => s.name.includes(' - '))) assert.equal(parentOf(span), serverId, span.name);
      const auth = spans.find((s) => s.name === 'middleware - auth')!;
      assert.deepEqual(attrs(auth), { 'express.type': 'middleware', 'express.name': 'auth', 'http.route': '/' });
      const router = spans.find((s) => s.name === 'router - /api/users')!;
      assert.equal(attrs(router)['express.type'], 'router');
      const handler = spans.find((s) => s.name === 'request handler - /api/users/:id')!;
      assert.deepEqual(attrs(handler), {
        'express.type': 'request_handler',
        'express.name': '/api/users/:id',
        'http.route': '/api/users/:id',
      });
      // The handler runs in its span: work it starts, even after an await, joins the trace under it.
      assert.equal(activeInHandler, handler.spanContext().spanId);
      assert.equal(parentOf(spans.find((s) => s.name === 'lookup')!), handler.spanContext().spanId);
      assert.ok(spans.every((s) => s.ended));
    });

    it('records a thrown error on the handler span and leaves the error to express', async () => {
      const res = await get(`${url}/boom`);
      assert.equal(res.status, 500);
      assert.deepEqual(JSON.parse(res.body), { handled: 'boom' });
      const { server: serverSpan, spans } = await serverTrace(exporter);
      assert.equal(serverSpan.name, 'GET /boom');
      const handler = spans.find((s) => s.name === 'request handler - /boom')!;
      assert.equal(handler.status.code, SpanStatusCode.ERROR);
      assert.equal(handler.status.message, 'boom');
      assert.equal(handler.events?.[0]?.name, 'exception');
    });

    it('records an error passed to next()', async () => {
      const res = await get(`${url}/next-error`);
      assert.deepEqual(JSON.parse(res.body), { handled: 'bad' });
      const { spans } = await serverTrace(exporter);
      const handler = spans.find((s) => s.name === 'request handler - /next-error')!;
      assert.equal(handler.status.code, SpanStatusCode.ERROR);
      assert.equal(attrs(handler)['error.type'], 'TypeError');
    });

    // Express 4 does not handle a rejected promise at all, so there is nothing to record there.
    if (major === 5) {
      it('records a rejected async handler (express 5 passes it to next)', async () => {
        const res = await get(`${url}/reject`);
        assert.deepEqual(JSON.parse(res.body), { handled: 'rejected' });
        const { spans } = await serverTrace(exporter);
        const handler = spans.find((s) => s.name === 'request handler - /reject')!;
        assert.equal(handler.status.code, SpanStatusCode.ERROR);
        assert.equal(attrs(handler)['error.type'], 'RangeError');
      });
    }

    it('runs a router on a mock request and response (no events) as untraced', async () => {
      const express = require(pkg) as any;
      const router = express.Router();
      router.get('/x', (_req: unknown, res: any) => {
        res.body = 'handled';
      });
      const res: Record<string, unknown> = {};
      let finalError: unknown = 'not called';
      router({ url: '/x', method: 'GET', headers: {} }, res, (err: unknown) => (finalError = err));
      await sleep(10); // the router may call the final handler later
      assert.equal(res.body, 'handled');
      assert.equal(finalError, 'not called');
    });

    it('leaves the SERVER span unnamed by a route when none matched', async () => {
      const res = await get(`${url}/nowhere`);
      assert.equal(res.status, 404);
      const { server: serverSpan, spans } = await serverTrace(exporter);
      assert.equal(serverSpan.name, 'GET');
      assert.equal(attrs(serverSpan)['http.route'], undefined);
      assert.ok(spans.some((s) => s.name === 'middleware - auth'));
      assert.ok(!spans.some((s) => s.name.startsWith('request handler')));
    });
  });
}
