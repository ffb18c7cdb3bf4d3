// NestJS on its express platform goes through the express instrumentation: no Nest-specific code.
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { after, before, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { trace } from '@opentelemetry/api';
import { attrs, get, parentOf, serverTrace, startHarness, urlOf } from '../../testdata/framework-harness.js';
import { withSpan } from '../with-span.js';
import { instrumentExpress } from './instrument-express.js';

const { exporter, handle } = startHarness();
instrumentExpress();
const require = createRequire(import.meta.url);

describe('NestJS (express platform)', () => {
  let app: any;
  let url: string;
  let activeInController: string | undefined;

  before(async () => {
    require('reflect-metadata');
    const { Controller, Get, Module, Param } = require('@nestjs/common');
    const { NestFactory } = require('@nestjs/core');
    // Decorators applied by hand: the test runner's transform does not emit decorator metadata.
    class UsersController {
      async getUser(id: string) {
        await sleep(1);
        activeInController = trace.getActiveSpan()?.spanContext().spanId;
        await withSpan('lookup', () => sleep(1));
        return { id };
      }
      boom() {
        throw new Error('boom');
      }
    }
    const proto = UsersController.prototype;
    Get(':id')(proto, 'getUser', Object.getOwnPropertyDescriptor(proto, 'getUser'));
    Param('id')(proto, 'getUser', 0);
    Get('boom/now')(proto, 'boom', Object.getOwnPropertyDescriptor(proto, 'boom'));
    Controller('users')(UsersController);
    class AppModule {}
    Module({ controllers: [UsersController] })(AppModule);

    app = await NestFactory.create(AppModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    url = urlOf(app.getHttpServer() as Server);
  });
  after(async () => {
    await app.close();
    await handle.shutdown();
  });
  beforeEach(() => {
    exporter.reset();
    activeInController = undefined;
  });

  it('names the SERVER span after the controller route and runs the controller in the handler span', async () => {
    const res = await get(`${url}/users/5`);
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body), { id: '5' });
    const { server, spans } = await serverTrace(exporter);
    assert.equal(server.name, 'GET /users/:id');
    const handler = spans.find((s) => s.name === 'request handler - /users/:id')!;
    assert.equal(parentOf(handler), server.spanContext().spanId);
    assert.equal(attrs(handler)['express.type'], 'request_handler');
    assert.equal(activeInController, handler.spanContext().spanId);
    assert.equal(parentOf(spans.find((s) => s.name === 'lookup')!), handler.spanContext().spanId);
    for (const span of spans.filter((s) => s.name.startsWith('middleware - '))) assert.equal(parentOf(span), server.spanContext().spanId);
  });

  it('leaves a thrown error to Nest\'s exception filter', async () => {
    const res = await get(`${url}/users/boom/now`);
    assert.equal(res.status, 500);
    assert.equal(JSON.parse(res.body).statusCode, 500);
    const { server } = await serverTrace(exporter);
    assert.equal(server.name, 'GET /users/boom/now');
  });
});
