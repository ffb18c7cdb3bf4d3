import assert from 'node:assert/strict';
import { afterEach, describe, it, mock } from 'node:test';
import { context, createContextKey, ROOT_CONTEXT } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '../context/async-local-storage-context-manager.js';
import { runInContext, useContextManager } from './run-in-context.js';

const KEY = createContextKey('test key');
const ctx = (value: string) => ROOT_CONTEXT.setValue(KEY, value);
const current = () => context.active().getValue(KEY);

describe('runInContext', () => {
  afterEach(() => context.disable());

  it('runs fn with this and arguments in the context, through the API when no manager was taken', () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager());
    useContextManager(new AsyncLocalStorageContextManager());
    const self = {};
    const seen = runInContext(ctx('a'), function (this: unknown, x: number, y: number) {
      return [this, x + y, current()];
    }, self, [1, 2]);
    assert.deepEqual(seen, [self, 3, 'a']);
    assert.equal(current(), undefined);
  });

  it('goes straight to the manager useContextManager was given, when that one is the global', () => {
    const global = new AsyncLocalStorageContextManager();
    context.setGlobalContextManager(global);
    // Taken without running anything in it: a with() would switch AsyncLocalStorage on at startup.
    const withCalls = mock.method(global, 'with');
    useContextManager(global);
    assert.equal(withCalls.mock.callCount(), 0);
    withCalls.mock.restore();
    assert.equal(runInContext(ctx('b'), current, undefined, []), 'b');
    // Straight to it: with another global manager registered, the API no longer sees its context.
    context.disable();
    context.setGlobalContextManager(new AsyncLocalStorageContextManager());
    assert.equal(runInContext(ctx('c'), current, undefined, []), undefined);
    assert.equal(runInContext(ctx('c'), () => global.active().getValue(KEY), undefined, []), 'c');
  });
});
