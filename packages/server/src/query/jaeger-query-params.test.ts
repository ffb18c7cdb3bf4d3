import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpanKind } from '../model/span.js';
import {
  DEFAULT_LIMIT,
  DEFAULT_TRACE_LOOKBACK_NANO,
  parseJaegerDependenciesParams,
  parseJaegerOperationsParams,
  parseJaegerTags,
  parseJaegerTraceSearch,
  parseJaegerTraceWindow,
} from './jaeger-query-params.js';

const NOW = 1_700_000_000_000_000_000n;
const search = (qs: string) => parseJaegerTraceSearch(new URLSearchParams(qs), NOW);
const badRequest = (message: string) => ({ name: 'AriadneError', statusCode: 400, message });

test('trace search: defaults are limit 100 and the last 48 hours', () => {
  assert.equal(DEFAULT_LIMIT, 100);
  assert.deepEqual(search(''), {
    query: { startUnixNano: NOW - DEFAULT_TRACE_LOOKBACK_NANO, endUnixNano: NOW, limit: 100 },
    traceIds: [],
  });
  assert.equal(DEFAULT_TRACE_LOOKBACK_NANO, 172_800_000_000_000n);
});

test('trace search: every parameter', () => {
  const result = search(
    'service=frontend&operation=GET+%2Fcart&start=1700000000000000&end=1700000001000000&limit=20' +
      '&minDuration=1.5ms&maxDuration=2s&tag=http.status_code:500&tag=url:http://x:8080/&tags=' +
      encodeURIComponent('{"error":"true","http.status_code":"503"}'),
  );
  assert.deepEqual(result, {
    query: {
      service: 'frontend',
      operation: 'GET /cart',
      startUnixNano: 1_700_000_000_000_000_000n,
      endUnixNano: 1_700_000_001_000_000_000n,
      limit: 20,
      // JSON tags are applied after tag=k:v ones, and win.
      tags: { 'http.status_code': '503', url: 'http://x:8080/', error: 'true' },
      minDurationNano: 1_500_000n,
      maxDurationNano: 2_000_000_000n,
    },
    traceIds: [],
    explicitRange: { startUnixNano: 1_700_000_000_000_000_000n, endUnixNano: 1_700_000_001_000_000_000n },
  });
});

test('trace search: repeated traceID', () => {
  const result = search('traceID=8448eb211c80319c&traceID=0AF7651916CD43DD8448EB211C80319C');
  assert.deepEqual(result.traceIds, ['00000000000000008448eb211c80319c', '0af7651916cd43dd8448eb211c80319c']);
  assert.equal(result.explicitRange, undefined);
});

test('trace search: errors say what is wrong, in Jaeger words', () => {
  const cases: [string, string][] = [
    ['start=abc', `unable to parse param 'start': strconv.ParseInt: parsing "abc": invalid syntax`],
    ['end=1.5', `unable to parse param 'end': strconv.ParseInt: parsing "1.5": invalid syntax`],
    ['limit=ten', 'strconv.ParseInt: parsing "ten": invalid syntax'],
    ['limit=3000000000', 'strconv.ParseInt: parsing "3000000000": value out of range'],
    ['limit=0', "unable to parse param 'limit': must be greater than 0, got 0"],
    ['minDuration=10', `unable to parse param 'minDuration': time: missing unit in duration "10"`],
    ['maxDuration=1d', `unable to parse param 'maxDuration': time: unknown unit "d" in duration "1d"`],
    ['minDuration=2s&maxDuration=1s', "'maxDuration' should be greater than 'minDuration'"],
    ['traceID=xyz', 'cannot parse traceID param: strconv.ParseUint: parsing "xyz": invalid syntax'],
    ['tag=novalue', "malformed 'tag' parameter, expecting key:value, received: novalue"],
    ['tags=%7Bnope', "malformed 'tags' parameter, cannot unmarshal JSON: "],
    ['tags=%5B1%5D', "malformed 'tags' parameter, cannot unmarshal JSON: expected an object of strings, got [1]"],
    ['tags=%7B%22a%22%3A1%7D', "malformed 'tags' parameter, cannot unmarshal JSON: value of 'a' is not a string"],
  ];
  for (const [qs, message] of cases) {
    assert.throws(
      () => search(qs),
      (err: Error & { statusCode?: number }) => err.statusCode === 400 && err.message.startsWith(message),
      qs,
    );
  }
});

test('tags: JSON and repeated tag=k:v are ANDed into one object', () => {
  assert.deepEqual(parseJaegerTags(['a:1', 'b:x:y', 'c:'], ['{"d":"4"}', '{"a":"override"}', 'null']), {
    a: 'override',
    b: 'x:y',
    c: '',
    d: '4',
  });
  const odd = parseJaegerTags(['__proto__:x'], []);
  assert.equal(Object.getOwnPropertyDescriptor(odd, '__proto__')?.value, 'x');
});

test('trace window: only when start or end is given', () => {
  assert.equal(parseJaegerTraceWindow(new URLSearchParams('')), undefined);
  assert.deepEqual(parseJaegerTraceWindow(new URLSearchParams('start=10&end=20')), { startUnixNano: 10_000n, endUnixNano: 20_000n });
  assert.deepEqual(parseJaegerTraceWindow(new URLSearchParams('start=10')), { startUnixNano: 10_000n, endUnixNano: (1n << 63n) - 1n });
  assert.throws(() => parseJaegerTraceWindow(new URLSearchParams('end=x')), badRequest(`unable to parse param 'end': strconv.ParseInt: parsing "x": invalid syntax`));
});

test('dependencies: endTs and lookback in ms, defaults now and 24 h', () => {
  assert.deepEqual(parseJaegerDependenciesParams(new URLSearchParams(''), NOW), {
    range: { startUnixNano: NOW - 86_400_000_000_000n, endUnixNano: NOW },
    service: '',
  });
  assert.deepEqual(parseJaegerDependenciesParams(new URLSearchParams('endTs=1700000000000&lookback=60000&service=a'), NOW), {
    range: { startUnixNano: 1_699_999_940_000_000_000n, endUnixNano: 1_700_000_000_000_000_000n },
    service: 'a',
  });
  assert.throws(
    () => parseJaegerDependenciesParams(new URLSearchParams('lookback=1h'), NOW),
    badRequest(`unable to parse param 'lookback': strconv.ParseInt: parsing "1h": invalid syntax`),
  );
});

test('operations: service required, spanKind checked', () => {
  assert.deepEqual(parseJaegerOperationsParams(new URLSearchParams('service=a')), { service: 'a' });
  assert.deepEqual(parseJaegerOperationsParams(new URLSearchParams('service=a&spanKind=Server')), { service: 'a', spanKind: SpanKind.SERVER });
  assert.throws(() => parseJaegerOperationsParams(new URLSearchParams('')), badRequest("parameter 'service' is required"));
  assert.throws(
    () => parseJaegerOperationsParams(new URLSearchParams('service=a&spanKind=constructor')),
    badRequest("unable to parse param 'spanKind': unsupported span kind: 'constructor'"),
  );
});
