import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { propagatorFromEnv } from './propagator-from-env.js';

describe('OTEL_PROPAGATORS', () => {
  it('defaults to tracecontext,baggage and builds the named ones', () => {
    assert.deepEqual(propagatorFromEnv(undefined).fields(), ['traceparent', 'tracestate', 'baggage']);
    assert.deepEqual(propagatorFromEnv('b3').fields(), ['b3']);
    assert.deepEqual(propagatorFromEnv('b3multi, tracecontext').fields(), [
      'x-b3-traceid',
      'x-b3-spanid',
      'x-b3-sampled',
      'x-b3-flags',
      'traceparent',
      'tracestate',
    ]);
    assert.deepEqual(propagatorFromEnv('none').fields(), []);
    assert.deepEqual(propagatorFromEnv('unknown,baggage').fields(), ['baggage']);
  });
});
