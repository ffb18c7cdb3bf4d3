import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { context, createContextKey, ROOT_CONTEXT } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from './async-local-storage-context-manager.js';
import { isTracingSuppressed, suppressTracing } from './suppress-tracing.js';

const KEY = createContextKey('test key');
const ctx = (value: string) => ROOT_CONTEXT.setValue(KEY, value);
const current = () => context.active().getValue(KEY);

describe('AsyncLocalStorageContextManager as the global context manager', () => {
  before(() => assert.equal(context.setGlobalContextManager(new AsyncLocalStorageContextManager()), true));
  after(() => context.disable());

  it('is ROOT outside any with()', () => assert.equal(context.active(), ROOT_CONTEXT));

  it('follows await, timers, setImmediate, process.nextTick and promise callbacks', async () => {
    await context.with(ctx('a'), async () => {
      assert.equal(current(), 'a');
      await sleep(1);
      assert.equal(current(), 'a');
      await new Promise<void>((resolve) =>
        setTimeout(() => {
          assert.equal(current(), 'a');
          resolve();
        }, 1),
      );
      await new Promise<void>((resolve) => setImmediate(() => (assert.equal(current(), 'a'), resolve())));
      await new Promise<void>((resolve) => process.nextTick(() => (assert.equal(current(), 'a'), resolve())));
      await Promise.resolve().then(() => assert.equal(current(), 'a'));
    });
    assert.equal(current(), undefined);
  });

  it('nests and restores, also across concurrent tasks', async () => {
    const seen: string[] = [];
    await Promise.all(
      ['x', 'y', 'z'].map((v) =>
        context.with(ctx(v), async () => {
          await sleep(Math.random() * 5);
          context.with(ctx(v + '-inner'), () => seen.push(String(current())));
          seen.push(String(current()));
        }),
      ),
    );
    assert.deepEqual([...seen].sort(), ['x', 'x-inner', 'y', 'y-inner', 'z', 'z-inner']);
  });

  it('passes this and arguments through with()', () => {
    const self = { n: 2 };
    const result = context.with(ctx('a'), function (this: typeof self, m: number) {
      return this.n * m;
    }, self, 21);
    assert.equal(result, 42);
  });

  it('binds functions to a context', async () => {
    const fn = context.bind(ctx('bound'), () => current());
    assert.equal(fn(), 'bound');
    await context.with(ctx('other'), async () => assert.equal(fn(), 'bound'));
  });

  it('binds EventEmitter listeners to the context given, and removes them', () => {
    const emitter = new EventEmitter();
    context.bind(ctx('emitter'), emitter);
    const seen: unknown[] = [];
    const listener = () => seen.push(current());
    emitter.on('e', listener);
    emitter.once('once', listener);
    context.with(ctx('emit-site'), () => {
      emitter.emit('e');
      emitter.emit('once');
      emitter.emit('once');
    });
    emitter.removeListener('e', listener);
    emitter.emit('e');
    assert.deepEqual(seen, ['emitter', 'emitter']);
    assert.equal(emitter.listenerCount('e'), 0);
  });

  it('keeps what an unbound emitter and function would show: a bad listener error, the name', () => {
    const emitter = context.bind(ctx('emitter'), new EventEmitter());
    assert.throws(() => emitter.on('e', 'not a function' as never), { code: 'ERR_INVALID_ARG_TYPE' });
    assert.equal(context.bind(ctx('bound'), function named() {}).name, 'named');
  });

  it('without bind, listeners run in the context of the emit', () => {
    const emitter = new EventEmitter();
    let seen: unknown;
    context.with(ctx('listen-site'), () => emitter.on('e', () => (seen = current())));
    context.with(ctx('emit-site'), () => emitter.emit('e'));
    assert.equal(seen, 'emit-site');
  });
});

describe('suppressTracing', () => {
  it('marks a context, with the key OpenTelemetry core uses', () => {
    assert.equal(isTracingSuppressed(ROOT_CONTEXT), false);
    const suppressed = suppressTracing(ROOT_CONTEXT);
    assert.equal(isTracingSuppressed(suppressed), true);
    assert.equal(suppressed.getValue(Symbol.for('OpenTelemetry SDK Context Key SUPPRESS_TRACING')), true);
  });
});
