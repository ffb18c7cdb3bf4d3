import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { ArraySpanReader } from './array-span-reader.js';
import { parseTagFilter, registerSearchRoutes, summarizeTrace, traceMatches } from './search-routes.js';
import { sampleTrace, span, T0, TRACE_ID } from './test-spans.js';

describe('search routes', () => {
  it('parses =, != and =~ filters, and rejects malformed ones and bad regexes', () => {
    assert.deepEqual(parseTagFilter('http.route=/a=b'), { key: 'http.route', op: '=', value: '/a=b' });
    assert.deepEqual(parseTagFilter(' customer != c1 '), { key: 'customer', op: '!=', value: 'c1' });
    assert.deepEqual(parseTagFilter('path=~^/api/(v1|v2)'), { key: 'path', op: '=~', value: '^/api/(v1|v2)' });
    assert.throws(() => parseTagFilter('novalue'), /malformed tag filter/);
    assert.throws(() => parseTagFilter('x=~(open'), /invalid regex/);
  });

  it('matches != (no span has the value) and =~ (some span matches) on span and resource attributes, and errors only', () => {
    const trace = sampleTrace();
    assert.equal(traceMatches(trace, [parseTagFilter('http.status_code!=200')], false), false);
    assert.equal(traceMatches(trace, [parseTagFilter('http.status_code!=500')], false), true);
    assert.equal(traceMatches(trace, [parseTagFilter('host.name=~^node-\\d$')], false), true);
    assert.equal(traceMatches(trace, [parseTagFilter('host.name=~^db')], false), false);
    assert.equal(traceMatches(trace, [], true), true);
    assert.equal(traceMatches([span()], [], true), false);
  });

  it('summarizes a trace: root, duration, span and error counts per service', () => {
    const s = summarizeTrace(sampleTrace());
    assert.equal(s.traceId, TRACE_ID);
    assert.equal(s.rootService, 'frontend');
    assert.equal(s.rootName, 'GET /cart');
    assert.equal(s.startMs, Number(T0) / 1e6);
    assert.equal(s.durationMs, 2.500999);
    assert.equal(s.spanCount, 3);
    assert.equal(s.errorCount, 1);
    assert.deepEqual(s.services, [
      { name: 'frontend', spans: 2, errors: 0 },
      { name: 'backend', spans: 1, errors: 1 },
    ]);
  });

  it('answers summaries, passes = filters to the store and 400s on a bad filter', async () => {
    const reader = new ArraySpanReader(sampleTrace());
    const app = Fastify();
    registerSearchRoutes(app, reader);
    const ok = await app.inject(`/api/v1/search?service=frontend&tag=http.method%3DGET&tag=host.name%3D~node&start=0&limit=5`);
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(ok.json().traces.map((t: any) => t.traceId), [TRACE_ID]);
    const query = reader.calls.find((c) => c.method === 'findTraceIds')!.args[0] as any;
    assert.deepEqual(query.tags, { 'http.method': 'GET' });
    assert.equal(query.service, 'frontend');
    assert.ok(query.limit > 5, 'reads more candidates when filters are checked here');
    const none = await app.inject(`/api/v1/search?tag=http.method%21%3DGET&start=0`);
    assert.deepEqual(none.json().traces, []);
    const bad = await app.inject('/api/v1/search?tag=x%3D~(');
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'ARIADNE_BAD_REQUEST');
    const badDuration = await app.inject('/api/v1/search?minDuration=fast');
    assert.equal(badDuration.statusCode, 400);
    await app.close();
  });
});
