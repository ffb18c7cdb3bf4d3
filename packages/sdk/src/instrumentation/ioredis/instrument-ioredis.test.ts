import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, beforeEach, describe, it } from 'node:test';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { activeSpanId, startDbTestTracing, waitForSpans } from '../db/testing/db-test-tracing.js';
import type { DbTestTracing } from '../db/testing/db-test-tracing.js';
import { startRedis } from '../db/testing/start-redis.js';
import type { RunningRedis } from '../db/testing/start-redis.js';
import { instrumentIoredis } from './instrument-ioredis.js';

type Callback = (err: Error | null, value?: unknown) => void;
interface Batch {
  set(key: string, value: string): Batch;
  get(key: string): Batch;
  exec(): Promise<[Error | null, unknown][]>;
}
interface Redis {
  set(key: string, value: string, ...rest: unknown[]): Promise<unknown>;
  get(key: string, cb?: Callback): Promise<unknown>;
  hset(key: string, field: string, value: string): Promise<unknown>;
  call(command: string, ...args: unknown[]): Promise<unknown>;
  pipeline(): Batch;
  multi(): Batch;
  ping(): Promise<unknown>;
  quit(): Promise<unknown>;
}

let server: RunningRedis;
let tracing: DbTestTracing;
let redis: Redis;

before(async () => {
  server = await startRedis();
  tracing = startDbTestTracing();
  instrumentIoredis();
  const Redis = createRequire(import.meta.url)('ioredis') as new (options: object) => Redis;
  redis = new Redis({ host: server.host, port: server.port, lazyConnect: false });
  await redis.ping();
});
after(async () => {
  await redis?.quit();
  await tracing?.shutdown();
  await server?.stop();
});
beforeEach(() => tracing.exporter.reset());

describe('ioredis instrumentation', () => {
  it('makes a CLIENT span per command, named by it, key kept and values replaced, child of the caller', async () => {
    let parentId = '';
    let inCallback: string | undefined;
    await tracing.inParent('handler', async (parent) => {
      parentId = parent.spanContext().spanId;
      await redis.set('user:1', 'secret value', 'EX', 60);
      await new Promise<void>((resolve, reject) =>
        redis.get('user:1', (err) => {
          inCallback = activeSpanId();
          if (err) reject(err);
          else resolve();
        }),
      );
    });
    const [set, get] = await waitForSpans(tracing, 2);
    assert.equal(set.name, 'SET');
    assert.equal(set.kind, SpanKind.CLIENT);
    assert.equal(tracing.parentId(set), parentId);
    assert.equal(tracing.parentId(get), parentId);
    assert.equal(inCallback, parentId);
    assert.deepEqual(tracing.attrs(set), {
      'db.system.name': 'redis',
      'db.system': 'redis',
      'db.namespace': '0',
      'db.name': '0',
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
  });

  it('never records the argument of AUTH or ECHO', async () => {
    await redis.call('ECHO', 'my secret');
    const [span] = await waitForSpans(tracing, 1);
    assert.equal(tracing.attrs(span)['db.query.text'], 'ECHO ?');
  });

  it('records a failed command with status ERROR and the Redis error prefix', async () => {
    await redis.set('plain', 'x');
    await assert.rejects(redis.hset('plain', 'field', 'value'), /WRONGTYPE/);
    const [, span] = await waitForSpans(tracing, 2);
    assert.equal(span.name, 'HSET');
    assert.equal(span.statusCode, SpanStatusCode.ERROR);
    assert.equal(tracing.attrs(span)['db.response.status_code'], 'WRONGTYPE');
    assert.equal(span.events?.[0]?.name, 'exception');
  });

  it('traces each command of a pipeline and of a MULTI transaction under the caller', async () => {
    let parentId = '';
    await tracing.inParent('batch', async (parent) => {
      parentId = parent.spanContext().spanId;
      await redis.pipeline().set('p:1', 'a').get('p:1').exec();
      await redis.multi().set('m:1', 'b').get('m:1').exec();
    });
    const spans = await waitForSpans(tracing, 6);
    assert.deepEqual(spans.map((s) => s.name).sort(), ['EXEC', 'GET', 'GET', 'MULTI', 'SET', 'SET']);
    for (const span of spans) assert.equal(tracing.parentId(span), parentId, `${span.name} is a child of the caller`);
  });

  it('traces a command issued before the connection is ready once, under its caller, and not the connection setup', async () => {
    const Redis = createRequire(import.meta.url)('ioredis') as new (options: object) => Redis;
    const late = new Redis({ host: server.host, port: server.port, lazyConnect: true });
    try {
      let parentId = '';
      await tracing.inParent('early', async (parent) => {
        parentId = parent.spanContext().spanId;
        await late.set('early', 'x');
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      const spans = tracing.clientSpans();
      assert.deepEqual(
        spans.map((s) => s.name),
        ['SET'],
        'the SET once; the connection setup (CLIENT SETINFO, INFO) untraced',
      );
      assert.equal(tracing.parentId(spans[0]), parentId);
    } finally {
      await late.quit();
    }
  });
});
