import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusCode } from '../../model/span.js';
import { conformanceTraces } from '../../storage/span-store-conformance-data.js';
import { ErrorGrouper, errorSignature } from './error-grouper.js';
import { maskMessage } from './mask-message.js';

const base = conformanceTraces().get(1)![0];
const failing = (message: string, stack: string, traceId = base.traceId) => ({
  ...base,
  traceId,
  status: { code: StatusCode.ERROR, message: 'failed' },
  events: [
    {
      name: 'exception',
      timeUnixNano: base.startTimeUnixNano,
      attributes: { 'exception.type': 'TimeoutError', 'exception.message': message, 'exception.stacktrace': stack },
      droppedAttributesCount: 0,
    },
  ],
});

describe('maskMessage', () => {
  it('masks uuids, hex ids and numbers', () => {
    assert.equal(maskMessage('user 42 not found in 3f2a9c1e-1b2c-4d5e-8f90-0123456789ab'), 'user <n> not found in <uuid>');
    assert.equal(maskMessage('trace 4bf92f3577b34da6a3ce929d0e0e4736 at 0x7ffd after 1.5s'), 'trace <hex> at <hex> after <n>.<n>s');
    assert.equal(maskMessage('connection refused'), 'connection refused');
  });
});

describe('ErrorGrouper', () => {
  it('groups by type, masked message and top frame, with a few examples', () => {
    const grouper = new ErrorGrouper();
    const stack = 'TimeoutError: x\n    at query (db.js:10:5)\n    at main (app.js:1:1)';
    for (let i = 0; i < 8; i++) grouper.add('default', failing(`timeout after ${i} ms`, stack, i.toString(16).padStart(32, '0')), 1);
    grouper.add('default', failing('timeout after 9 ms', 'TimeoutError\n    at other (x.js:1:1)'), 2);
    grouper.add('default', { ...base, status: { code: StatusCode.OK, message: '' } }, 1);
    const groups = grouper.drain().sort((a, b) => b.count - a.count);
    assert.equal(groups.length, 2);
    assert.deepStrictEqual({ ...groups[0], exampleTraceIds: groups[0].exampleTraceIds.length }, {
      tenant: 'default',
      minuteUnixNano: groups[0].minuteUnixNano,
      service: base.resource.serviceName,
      errorType: 'TimeoutError',
      message: 'timeout after <n> ms',
      frame: 'at query (db.js:10:5)',
      count: 8,
      exampleTraceIds: 5,
    });
    assert.equal(groups[1].count, 2);
    assert.deepStrictEqual(grouper.drain(), []);
  });

  it('falls back to the status when there is no exception event', () => {
    assert.deepStrictEqual(errorSignature({ ...base, status: { code: StatusCode.ERROR, message: 'HTTP 503 from 10.0.0.7' } }), {
      errorType: 'status error',
      message: 'HTTP <n> from <n>.<n>.<n>.<n>',
      frame: '',
    });
  });
});
