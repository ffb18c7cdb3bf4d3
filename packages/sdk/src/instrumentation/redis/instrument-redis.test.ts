import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, beforeEach, describe, it } from 'node:test';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { activeSpanId, startDbTestTracing, waitForSpans } from '../db/testing/db-test-tracing.js';
import type { DbTestTracing } from '../db/testing/db-test-tracing.js';
import { startRedis } from '../db/testing/start-redis.js';
import type { RunningRedis } from '../db/testing/start-redis.js';
import { instrumentRedis } from './instrument-redis.js';

interface Batch {
  set(key: string, value: string): Batch;
  get(key: string): Batch;
  exec(): Promise<unknown[]>;
  execAsPipeline(): Promise<unknown[]>;
}
interface RedisClient {
  connect(): Promise<unknown>;
  set(key: string, value: string, options?: object): Promise<unknown>;
  get(key: string): Promise<unknown>;
  hSet(key: string, field: string, value: string): Promise<unknown>;
  sendCommand(args: string[]): Promise<unknown>;
  multi(): Batch;
  quit(): Promise<unknown>;
}
interface Redis {
  createClient(options: object): RedisClient;
}

let server: RunningRedis;
let tracing: DbTestTracing;

before(async () => {
  server = await startRedis();
  tracing = startDbTestTracing();
  instrumentRedis();
});
after(async () => {
  await tracing?.shutdown();
  await server?.stop();
});
beforeEach(() => tracing.exporter.reset());

// node-redis 5 is `redis`; node-redis 4 is installed as `redis4`.
for (const [version, packageName] of [
  ['5', 'redis'],
  ['4', 'redis4'],
] as const) {
  describe(`node-redis ${version} instrumentation`, () => {
    let client: RedisClient;
    before(async () => {
      const redis = createRequire(import.meta.url)(packageName) as Redis;
      client = redis.createClient({ socket: { host: server.host, port: server.port }, database: 1 });
      await client.connect();
    });
    after(async () => {
      await client?.quit();
    });

    it('makes a CLIENT span per command, named by it, key kept and values replaced, child of the caller', async () => {
      let parentId = '';
      let after: string | undefined;
      await tracing.inParent('handler', async (parent) => {
        parentId = parent.spanContext().spanId;
        await client.set('user:1', 'secret value', { EX: 60 });
        await client.get('user:1');
        after = activeSpanId();
      });
      const [set, get] = await waitForSpans(tracing, 2);
      assert.equal(set.name, 'SET');
      assert.equal(set.kind, SpanKind.CLIENT);
      assert.equal(tracing.parentId(set), parentId);
      assert.equal(tracing.parentId(get), parentId);
      assert.equal(after, parentId);
      assert.deepEqual(tracing.attrs(set), {
        'db.system.name': 'redis',
        'db.system': 'redis',
        'db.namespace': '1',
        'db.name': '1',
        'db.operation.name': 'SET',
        'db.query.text': 'SET user:1 ? ? ?',
        'db.statement': 'SET user:1 ? ? ?',
        'server.address': server.host,
        'server.port': server.port,
        'net.peer.name': server.host,
        'net.peer.port': server.port,
      });
      assert.equal(get.name, 'GET');
      assert.equal(tracing.attrs(get)['db.query.text'], 'GET user:1');
      assert.equal(get.statusCode, SpanStatusCode.UNSET);
    });

    it('traces raw sendCommand calls and never records the argument of ECHO', async () => {
      await client.sendCommand(['ECHO', 'my secret']);
      const [span] = await waitForSpans(tracing, 1);
      assert.equal(span.name, 'ECHO');
      assert.equal(tracing.attrs(span)['db.query.text'], 'ECHO ?');
    });

    it('records a failed command with status ERROR and the Redis error prefix', async () => {
      await client.set('plain', 'x');
      await assert.rejects(client.hSet('plain', 'field', 'value'), /WRONGTYPE/);
      const [, span] = await waitForSpans(tracing, 2);
      assert.equal(span.name, 'HSET');
      assert.equal(span.statusCode, SpanStatusCode.ERROR);
      assert.equal(tracing.attrs(span)['db.response.status_code'], 'WRONGTYPE');
      assert.equal(span.events?.[0]?.name, 'exception');
    });

    if (version === '4') {
      it('makes one span for an isolated command, which node-redis 4 runs again on a pooled client', async () => {
        const redis4 = createRequire(import.meta.url)('redis4') as { commandOptions(o: object): object };
        const isolatedGet = client.get as unknown as (options: object, key: string) => Promise<unknown>;
        await isolatedGet.call(client, redis4.commandOptions({ isolated: true }), 'user:1');
        await new Promise((resolve) => setTimeout(resolve, 20));
        assert.deepEqual(
          tracing.clientSpans().map((s) => s.name),
          ['GET'],
        );
      });
    }

    it('makes one span for a MULTI transaction and one for a pipeline, with their commands', async () => {
      let parentId = '';
      await tracing.inParent('batch', async (parent) => {
        parentId = parent.spanContext().spanId;
        await client.multi().set('m:1', 'a').get('m:1').exec();
        await client.multi().set('p:1', 'b').get('p:1').execAsPipeline();
      });
      const [multi, pipeline] = await waitForSpans(tracing, 2);
      assert.equal(multi.name, 'MULTI');
      assert.equal(tracing.parentId(multi), parentId);
      assert.equal(tracing.attrs(multi)['db.query.text'], 'SET m:1 ?\nGET m:1');
      assert.equal(tracing.attrs(multi)['db.operation.batch.size'], 2);
      assert.equal(pipeline.name, 'PIPELINE');
      assert.equal(tracing.parentId(pipeline), parentId);
      assert.equal(tracing.attrs(pipeline)['db.query.text'], 'SET p:1 ?\nGET p:1');
      assert.equal(tracing.clientSpans().length, 2, 'the commands inside are not traced again');
    });
  });
}
