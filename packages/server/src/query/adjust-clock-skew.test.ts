import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Span } from '../model/span.js';
import { conformanceTraces } from '../storage/span-store-conformance-data.js';
import { adjustClockSkew } from './adjust-clock-skew.js';

const template = conformanceTraces().get(1)![0];
const MS = 1_000_000n;

function span(id: string, parent: string, host: string, start: number, end: number, service = host): Span {
  return {
    ...template,
    spanId: id.padStart(16, '0'),
    parentSpanId: parent === '' ? '' : parent.padStart(16, '0'),
    startTimeUnixNano: BigInt(start) * MS,
    endTimeUnixNano: BigInt(end) * MS,
    events: [{ name: 'e', timeUnixNano: BigInt(start + 1) * MS, attributes: {}, droppedAttributesCount: 0 }],
    resource: { ...template.resource, serviceName: service, attributes: { 'host.name': host } },
  };
}

const times = (spans: Span[]) => spans.map((s) => [Number(s.startTimeUnixNano / MS), Number(s.endTimeUnixNano / MS)]);

describe('adjustClockSkew', () => {
  it('centres a child from a host whose clock runs behind inside its parent, with its subtree and events', () => {
    const spans = [span('1', '', 'a', 100, 200), span('2', '1', 'b', 40, 120), span('3', '2', 'b', 50, 60)];
    const adjusted = adjustClockSkew(spans);
    // Parent lasts 100, child 80: 10 ms of latency each way, so the child starts at 110 (shift +70).
    assert.deepStrictEqual(times(adjusted), [[100, 200], [110, 190], [120, 130]]);
    assert.equal(adjusted[1].events[0].timeUnixNano, 111n * MS);
    assert.equal(adjusted[0], spans[0], 'untouched spans are the same objects');
    assert.equal(spans[1].startTimeUnixNano, 40n * MS, 'inputs are not mutated');
  });

  it('leaves children that fit, and spans of the same host, alone', () => {
    const fits = [span('1', '', 'a', 100, 200), span('2', '1', 'b', 120, 180)];
    assert.deepStrictEqual(adjustClockSkew(fits), fits);
    const sameHost = [span('1', '', 'a', 100, 200), span('2', '1', 'a', 150, 260)];
    assert.deepStrictEqual(adjustClockSkew(sameHost), sameHost);
  });

  it('only moves a longer child to start with its parent, and respects the maximum delta', () => {
    assert.deepStrictEqual(times(adjustClockSkew([span('1', '', 'a', 100, 150), span('2', '1', 'b', 90, 300)])), [[100, 150], [100, 310]]);
    const far = [span('1', '', 'a', 100, 200), span('2', '1', 'b', 5000, 5050)];
    assert.deepStrictEqual(adjustClockSkew(far, { maxDeltaNano: 1000n * MS }), far);
  });
});
