import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LogHistogram } from '../ingest/sketch/log-histogram.js';
import { analyzeServiceGraph } from './analyze-service-graph.js';

const edge = (parent: string, child: string, calls: number, errors = 0) => ({ parent, child, calls, errors, latency: new LogHistogram() });

describe('analyzeServiceGraph', () => {
  it('finds call cycles, self-calls and the busiest nodes', () => {
    const result = analyzeServiceGraph(
      [edge('web', 'api', 100), edge('api', 'auth', 80, 4), edge('auth', 'api', 10), edge('api', 'postgresql', 150), edge('worker', 'worker', 3), edge('web', 'cdn', 5)],
      2,
    );
    assert.deepStrictEqual(result.cycles, [['api', 'auth'], ['worker']]);
    assert.deepStrictEqual(result.topNodes.map((n) => n.name), ['api', 'postgresql']);
    assert.deepStrictEqual(result.nodes.find((n) => n.name === 'auth'), { name: 'auth', callsIn: 80, callsOut: 10, errorsIn: 4 });
    assert.equal(result.nodes.length, 6);
  });

  it('reports no cycle in a tree', () => {
    assert.deepStrictEqual(analyzeServiceGraph([edge('a', 'b', 1), edge('a', 'c', 1), edge('b', 'c', 1)]).cycles, []);
  });
});
