import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import type { IncomingMessage } from 'node:http';
import type { Span } from '@opentelemetry/api';
import { selectInstrumentations } from './auto-instrumentations.js';
import { setHttpRoute, setServerSpan } from './http/server-span.js';
import { onModuleLoad } from './module-hook.js';

describe('selectInstrumentations', () => {
  it('selects all by default, the enabled list when given, minus the disabled, ignoring unknown names', () => {
    const all = selectInstrumentations({});
    assert.ok(all.includes('http') && all.includes('undici'));
    assert.deepEqual(selectInstrumentations({ OTEL_NODE_ENABLED_INSTRUMENTATIONS: ' undici , nope,http' }), ['undici', 'http']);
    assert.deepEqual(selectInstrumentations({ OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'undici,http', OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'http' }), ['undici']);
    assert.ok(!selectInstrumentations({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'http' }).includes('http'));
  });
});

describe('onModuleLoad', () => {
  it('patches a package once when CommonJS requires it or an ES module imports it, and survives a failing patcher', async () => {
    const seen: string[] = [];
    onModuleLoad('ms', (exports, request, filename) => seen.push(`${typeof exports} ${request.endsWith('index.js') ? 'path' : request} ${filename().endsWith('ms/index.js')}`));
    onModuleLoad('vary', () => {
      throw new Error('patcher bug');
    });
    const require = createRequire(import.meta.url);
    const ms = 'ms'; // a CommonJS package without types
    await import(ms);
    require('ms');
    assert.deepEqual(seen, ['function path true']);
    assert.equal(typeof require('vary'), 'function');
  });
});

describe('setHttpRoute', () => {
  it('renames the server span of a traced request and sets http.route; ignores untraced requests', () => {
    const calls: unknown[][] = [];
    const span = { setAttribute: (...a: unknown[]) => calls.push(a), updateName: (...a: unknown[]) => calls.push(a) } as unknown as Span;
    const req = {} as IncomingMessage;
    setHttpRoute(req, '/nothing');
    setServerSpan(req, span, 'GET');
    setHttpRoute(req, '');
    setHttpRoute(req, '/users/:id');
    setHttpRoute(undefined, '/x');
    assert.deepEqual(calls, [['http.route', '/users/:id'], ['GET /users/:id']]);
  });
});
