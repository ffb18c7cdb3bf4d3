import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Attributes, Resource, Span } from '../model/span.js';
import { generateWorkload } from '../ingest/test-workload.js';
import { expectedSpans, TRACE_ID, LINK_TRACE_ID } from '../otlp/otel-test-spans.js';
import { decodeSpanBatch, encodeSpanBatch, splitByTrace } from './span-batch-codec.js';

const roundTrip = (spans: Span[], tenant = 'acme') => decodeSpanBatch(encodeSpanBatch({ tenant, spans }));

function withAttributes(attributes: Attributes): Span {
  const span = expectedSpans()[0];
  return { ...span, attributes, events: [{ ...span.events[0], attributes }] };
}

describe('span batch codec', () => {
  it('round-trips every field of the model and keeps the tenant', () => {
    const batch = roundTrip(expectedSpans(), 'tenant-é');
    assert.equal(batch.tenant, 'tenant-é');
    assert.deepEqual(batch.spans, expectedSpans());
  });

  it('keeps attribute types: int64 extremes as bigint, doubles, bytes, empty values, nesting, __proto__', () => {
    const attributes: Attributes = {
      'int.min': -(2n ** 63n),
      'int.max': 2n ** 63n - 1n,
      'int.negative': -1n,
      'int.big': 2n ** 40n,
      'double.int': 3,
      'double.nan': NaN,
      'double.inf': -Infinity,
      'bytes.empty': new Uint8Array(0),
      'array.empty': [],
      'kvlist.empty': {},
      'deep': { a: [{ b: [1n, 'x', new Uint8Array([7])] }] },
      'long': 'ü'.repeat(5000),
    };
    Object.defineProperty(attributes, '__proto__', { value: 'own', enumerable: true, writable: true, configurable: true });
    const [span] = roundTrip([withAttributes(attributes)]).spans;
    assert.deepEqual(span.attributes, attributes);
    assert.deepEqual(span.events[0].attributes, attributes);
    assert.equal(Object.getPrototypeOf(span.attributes), Object.prototype);
  });

  it('writes a resource and scope shared by many spans once, and decodes them shared', () => {
    const [template] = expectedSpans();
    const resource: Resource = { ...template.resource, attributes: { ...template.resource.attributes, 'big': 'r'.repeat(2000) } };
    const spans = Array.from({ length: 200 }, (_, i) => ({ ...template, spanId: (i + 1).toString(16).padStart(16, '0'), resource }));
    const bytes = encodeSpanBatch({ tenant: 't', spans });
    assert.ok(bytes.length < 200 * 2000, `${bytes.length} bytes`);
    const decoded = decodeSpanBatch(bytes).spans;
    assert.equal(decoded.length, 200);
    assert.ok(decoded.every((s) => s.resource === decoded[0].resource && s.scope === decoded[0].scope));
    assert.deepEqual(decoded, spans);
  });

  it('round-trips a generated workload, whole and split by trace', () => {
    const spans = generateWorkload({ traces: 50, startUnixNano: 1_700_000_000_000_000_000n, intervalNano: 1_000_000n });
    assert.deepEqual(roundTrip(spans).spans.length, spans.length);
    const batches = [...splitByTrace({ tenant: 't', spans }).values()];
    // All encoded before any is decoded: each message owns its bytes.
    const encoded = batches.map((batch) => encodeSpanBatch(batch));
    assert.deepEqual(encoded.map((bytes) => decodeSpanBatch(bytes)), batches);
  });

  it('rejects bytes of an unknown format or cut short', () => {
    assert.throws(() => decodeSpanBatch(new Uint8Array([2, 0])), { code: 'ARIADNE_UNDECODABLE_BODY' });
    const bytes = encodeSpanBatch({ tenant: 't', spans: expectedSpans() });
    assert.throws(() => decodeSpanBatch(bytes.subarray(0, bytes.length - 3)), { code: 'ARIADNE_UNDECODABLE_BODY' });
  });

  it('splits a batch by trace id, keeping the tenant and the order within each trace', () => {
    const spans = expectedSpans();
    const byTrace = splitByTrace({ tenant: 'acme', spans: [spans[0], spans[2], spans[1]] });
    assert.deepEqual([...byTrace.keys()], [TRACE_ID, LINK_TRACE_ID]);
    assert.deepEqual(byTrace.get(TRACE_ID), { tenant: 'acme', spans: [spans[0], spans[1]] });
    assert.deepEqual(byTrace.get(LINK_TRACE_ID), { tenant: 'acme', spans: [spans[2]] });
  });
});
