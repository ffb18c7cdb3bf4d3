import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { after, before, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { attrs, get, parentOf, serverTrace, startHarness, urlOf } from '../../testdata/framework-harness.js';
import { withSpan } from '../with-span.js';
import { instrumentKoa } from './instrument-koa.js';

const { exporter, handle } = startHarness();
instrumentKoa();
const require = createRequire(import.meta.url);

describe('koa with @koa/router', () => {
  let server: Server;
  let url: string;
  let activeInHandler: string | undefined;

  before(async () => {
    const Koa = require('koa');
    const Router = require('@koa/router');
    const app = new Koa();
    app.silent = true;
    app.use(async function errors(ctx: any, next: () => Promise<void>) {
      try {
        await next();
      } catch (err) {
        ctx.status = 500;
        ctx.body = { handled: (err as Error).message };
      }
    });
    app.use(async function timing(ctx: any, next: () => Promise<void>) {
      await next();
      ctx.set('x-done', '1');
    });
    const router = new Router({ prefix: '/api' });
    app.use(router.routes());
    // Routes added after routes() was mounted are traced too.
    router.get('/users/:id', async (ctx: any) => {
      await sleep(2);
      activeInHandler = trace.getActiveSpan()?.spanContext().spanId;
      await withSpan('lookup', () => sleep(1));
      ctx.body = { id: ctx.params.id };
    });
    router.get('/boom', async () => {
      await sleep(1);
      throw new RangeError('boom');
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = urlOf(server);
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await handle.shutdown();
  });
  beforeEach(() => {
    exporter.reset();
    activeInHandler = undefined;
  });

  it('names the SERVER span after the route; middleware and route spans are its children', async () => {
    const res = await get(`${url}/api/users/7`);
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body), { id: '7' });
    const { server: serverSpan, spans } = await serverTrace(exporter);
    assert.equal(serverSpan.name, 'GET /api/users/:id');
    assert.equal(attrs(serverSpan)['http.route'], '/api/users/:id');
    assert.deepEqual(spans.map((s) => s.name).sort(), [
      'GET /api/users/:id',
      'lookup',
      'middleware - errors',
      'middleware - timing',
      'router - /api/users/:id',
    ]);
    const serverId = serverSpan.spanContext().spanId;
    for (const span of spans.filter((s) => s.name.includes(' - '))) assert.equal(parentOf(span), serverId, span.name);
    assert.deepEqual(attrs(spans.find((s) => s.name === 'middleware - timing')!), { 'koa.type': 'middleware', 'koa.name': 'timing' });
    const route = spans.find((s) => s.name === 'router - /api/users/:id')!;
    assert.deepEqual(attrs(route), { 'koa.type': 'router', 'koa.name': '/api/users/:id', 'http.route': '/api/users/:id' });
    assert.equal(activeInHandler, route.spanContext().spanId);
    assert.equal(parentOf(spans.find((s) => s.name === 'lookup')!), route.spanContext().spanId);
  });

  it('records a rejected handler on its span only, and leaves the error to the app', async () => {
    const res = await get(`${url}/api/boom`);
    assert.equal(res.status, 500);
    assert.deepEqual(JSON.parse(res.body), { handled: 'boom' });
    const { server: serverSpan, spans } = await serverTrace(exporter);
    assert.equal(serverSpan.name, 'GET /api/boom');
    const route = spans.find((s) => s.name === 'router - /api/boom')!;
    assert.equal(route.status.code, SpanStatusCode.ERROR);
    assert.equal(attrs(route)['error.type'], 'RangeError');
    const timing = spans.find((s) => s.name === 'middleware - timing')!;
    assert.equal(timing.status.code, SpanStatusCode.UNSET);
  });

  it('leaves the SERVER span unnamed by a route when none matched', async () => {
    const res = await get(`${url}/nowhere`);
    assert.equal(res.status, 404);
    const { server: serverSpan, spans } = await serverTrace(exporter);
    assert.equal(serverSpan.name, 'GET');
    assert.ok(!spans.some((s) => s.name.startsWith('router')));
  });
});
