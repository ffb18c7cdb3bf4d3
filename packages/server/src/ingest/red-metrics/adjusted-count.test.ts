import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { adjustedCount } from './adjusted-count.js';

describe('adjustedCount', () => {
  it('is 1 without an OpenTelemetry threshold', () => {
    assert.equal(adjustedCount(''), 1);
    assert.equal(adjustedCount('vendor=th:8'), 1);
    assert.equal(adjustedCount('ot=rv:abcdef'), 1);
    assert.equal(adjustedCount('ot=th:zz'), 1, 'malformed');
  });

  it('inverts the sampling probability the threshold encodes', () => {
    assert.equal(adjustedCount('ot=th:0'), 1);
    assert.equal(adjustedCount('ot=th:8'), 2);
    assert.equal(adjustedCount('ot=th:c'), 4);
    assert.equal(adjustedCount('ot=th:fd70a4'), 1 / (1 - 0xfd70a4 / 2 ** 24));
    assert.equal(adjustedCount('a=b,ot=rv:01;th:e,c=d'), 8);
  });
});
