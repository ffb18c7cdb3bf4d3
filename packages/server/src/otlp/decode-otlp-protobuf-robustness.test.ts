import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import protobuf from 'protobufjs';
import { AriadneError } from '../errors.js';
import { decodeOtlpProtobuf } from './decode-otlp-protobuf.js';
import { PARENT_ID, SPAN_ID, TRACE_ID, madeSpans, readableSpan } from './otel-test-spans.js';

const official = () => ProtobufTraceSerializer.serializeRequest(madeSpans())!;

function assertCatalogError(fn: () => unknown, where: string): boolean {
  try {
    fn();
    return false;
  } catch (err) {
    assert.ok(err instanceof AriadneError, `${where}: threw ${String(err)}`);
    assert.equal(err.code, 'ARIADNE_UNDECODABLE_BODY', where);
    assert.match(err.message, /^cannot decode protobuf body: /);
    return true;
  }
}

// Hand-made wire bytes, only for input the official serializer never writes.
const varint = (n: number | bigint): number[] => {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  return [...out, Number(v)];
};
const len = (field: number, bytes: number[]) => [...varint((field << 3) | 2), ...varint(bytes.length), ...bytes];
const num = (field: number, n: number | bigint) => [...varint(field << 3), ...varint(n)];
const ascii = (s: string) => [...Buffer.from(s)];
const spanFields = (...extra: number[][]) => [
  ...len(1, [...Buffer.from(TRACE_ID, 'hex')]),
  ...len(2, [...Buffer.from(SPAN_ID, 'hex')]),
  ...len(5, ascii('op')),
  ...extra.flat(),
];
const request = (span: number[]) => new Uint8Array(len(1, len(2, len(2, span))));

const EXTENDED_PROTO = `
syntax = "proto3";
message Req { repeated RS resource_spans = 1; uint64 u1 = 50; fixed64 u2 = 51; fixed32 u3 = 52; bytes u4 = 53; Extra u5 = 54; }
message Extra { string s = 1; repeated Extra more = 2; }
message RS { Res resource = 1; repeated SS scope_spans = 2; string schema_url = 3; string u = 99; }
message Res { repeated KV attributes = 1; uint32 dropped_attributes_count = 2; fixed64 u = 77; }
message SS { Scope scope = 1; repeated Sp spans = 2; sint32 u = 40; }
message Scope { string name = 1; string version = 2; Extra u = 20; }
message Sp {
  bytes trace_id = 1; bytes span_id = 2; string name = 5; int32 kind = 6; fixed64 start_time_unix_nano = 7;
  repeated KV attributes = 9; Status status = 15; fixed32 flags = 16;
  repeated uint32 u_packed = 30 [packed = true]; repeated uint32 u_unpacked = 31 [packed = false]; double u_d = 1000;
}
message KV { string key = 1; AV value = 2; Extra u = 3; }
message AV { oneof value { string string_value = 1; int64 int_value = 3; } float u = 9; }
message Status { int32 deprecated_code = 1; string message = 2; int32 code = 3; }
`;

describe('decodeOtlpProtobuf on unusual and hostile input', () => {
  it('skips unknown fields of every wire type, packed and unpacked, at every level', () => {
    const Req = protobuf.parse(EXTENDED_PROTO).root.lookupType('Req');
    const extra = { s: 'ignored', more: [{ s: 'deeper' }] };
    const body = Req.encode(
      Req.fromObject({
        u1: 99,
        u2: 1234,
        u3: 7,
        u4: Buffer.from('xyz'),
        u5: extra,
        resourceSpans: [
          {
            u: 'x',
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc', u: 1.5 }, u: extra }], droppedAttributesCount: 3, u: 5 },
            scopeSpans: [
              {
                u: -3,
                scope: { name: 'lib', version: '9', u: extra },
                spans: [
                  {
                    traceId: Buffer.from(TRACE_ID, 'hex'),
                    spanId: Buffer.from(SPAN_ID, 'hex'),
                    name: 'op',
                    kind: -1,
                    startTimeUnixNano: 1000,
                    attributes: [{ key: 'n', value: { intValue: -5 } }],
                    status: { deprecatedCode: 9, message: 'm', code: 2 },
                    flags: 0x101,
                    uPacked: [1, 300, 70000],
                    uUnpacked: [1, 300, 70000],
                    uD: 2.5,
                  },
                ],
              },
            ],
          },
        ],
      }),
    ).finish();
    // A group (wire types 3 and 4) at the top level, which protobufjs no longer writes.
    const withGroup = new Uint8Array([...body, 0x4b, 0x08, 0x01, 0x4c]);
    const { batch } = decodeOtlpProtobuf(withGroup, 't');
    assert.equal(batch.spans.length, 1);
    const span = batch.spans[0];
    assert.equal(span.name, 'op');
    assert.equal(span.kind, 0, 'a negative kind is outside the enum');
    assert.equal(span.startTimeUnixNano, 1000n);
    assert.equal(span.flags, 0x101);
    assert.deepEqual(span.attributes, { n: -5n });
    assert.deepEqual(span.status, { code: 2, message: 'm' });
    assert.deepEqual(span.resource, { attributes: { 'service.name': 'svc' }, droppedAttributesCount: 3, schemaUrl: '', serviceName: 'svc' });
    assert.deepEqual(span.scope, { name: 'lib', version: '9', attributes: {}, droppedAttributesCount: 0, schemaUrl: '' });
  });

  it('skips a known field sent with the wrong wire type, as protobuf-go does', () => {
    const body = request(spanFields(len(6, [1]), num(7, 5), num(16, 3)));
    const [span] = decodeOtlpProtobuf(body, 't').batch.spans;
    assert.equal(span.kind, 0);
    assert.equal(span.startTimeUnixNano, 0n);
    assert.equal(span.flags, 0);
  });

  it('decodes int64 extremes, non-ASCII and long strings, and fields in any order', () => {
    const kv = (key: string, value: number[]) => len(9, [...len(1, ascii(key)), ...len(2, value)]);
    const body = request([
      ...kv('max', num(3, 2n ** 63n - 1n)),
      ...kv('min', num(3, -(2n ** 63n))),
      ...kv('big', num(3, 2n ** 53n + 1n)),
      ...kv('s', len(1, [...Buffer.from('日本語 ünïcode')])),
      ...kv('long', len(1, ascii('y'.repeat(300)))),
      ...kv('bool', num(2, 2n ** 40n)),
      ...kv('unset', []),
      ...spanFields(),
    ]);
    const [span] = decodeOtlpProtobuf(body, 't').batch.spans;
    assert.deepEqual(span.attributes, {
      max: 2n ** 63n - 1n,
      min: -(2n ** 63n),
      big: 2n ** 53n + 1n,
      s: '日本語 ünïcode',
      long: 'y'.repeat(300),
      bool: true,
    });
  });

  it('keeps a key named __proto__ as an ordinary attribute', () => {
    const body = request(spanFields(len(9, [...len(1, ascii('__proto__')), ...len(2, len(1, ascii('x')))])));
    const [span] = decodeOtlpProtobuf(body, 't').batch.spans;
    assert.equal(Object.getPrototypeOf(span.attributes), Object.prototype);
    assert.deepEqual(Object.entries(span.attributes), [['__proto__', 'x']]);
  });

  it('throws the catalog error for a message truncated at any byte, never anything else', () => {
    const body = official();
    let thrown = 0;
    for (let i = 1; i < body.length; i++) if (assertCatalogError(() => decodeOtlpProtobuf(body.subarray(0, i), 't'), `cut at ${i}`)) thrown++;
    // Only a cut between top-level fields leaves a valid message; there is one ResourceSpans boundary.
    assert.ok(thrown >= body.length - 2, `${thrown} of ${body.length}`);
  });

  it('never throws anything but the catalog error when any byte is corrupted', () => {
    const body = official();
    for (let i = 0; i < body.length; i++) {
      for (const b of [0x00, 0x07, 0x80, 0xff]) {
        const bad = Uint8Array.from(body);
        bad[i] = b;
        assertCatalogError(() => decodeOtlpProtobuf(bad, 't'), `byte ${i} = ${b}`);
      }
    }
  });

  it('rejects malformed wire data with a message saying what is wrong', () => {
    const cases: [number[], RegExp][] = [
      [[0x0e], /unexpected wire type 6/],
      [[0x07], /field number 0/],
      [[0x0a, 0x05, 0x01], /length 5 runs past the end/],
      [[0x0a, 0xff, 0xff, 0xff, 0xff, 0x7f], /length does not fit in 32 bits/],
      [[0x08, ...Array(10).fill(0x80), 0x01], /varint longer than 10 bytes/],
      [[0x4c], /unexpected wire type 4/],
      [[0x4b, 0x08, 0x01, 0x54], /mismatched end group/],
      [[0x0a, 0x02, 0x12, 0x05], /runs past the end/],
    ];
    for (const [bytes, message] of cases) {
      assert.throws(() => decodeOtlpProtobuf(new Uint8Array(bytes), 't'), (err: Error) => err instanceof AriadneError && message.test(err.message));
    }
  });

  it('refuses attribute values nested deeper than the limit instead of overflowing the stack', () => {
    let value = len(1, ascii('leaf'));
    for (let i = 0; i < 100; i++) value = len(5, len(1, value));
    const body = request(spanFields(len(9, [...len(1, ascii('deep')), ...len(2, value)])));
    assert.throws(() => decodeOtlpProtobuf(body, 't'), /nested deeper than 32/);
    let shallow = len(1, ascii('leaf'));
    for (let i = 0; i < 5; i++) shallow = len(6, len(1, [...len(1, ascii('k')), ...len(2, shallow)]));
    const [span] = decodeOtlpProtobuf(request(spanFields(len(9, [...len(1, ascii('ok')), ...len(2, shallow)]))), 't').batch.spans;
    assert.deepEqual(span.attributes, { ok: { k: { k: { k: { k: { k: 'leaf' } } } } } });
  });

  it('rejects and counts spans with invalid ids, keeps the rest, and says why', () => {
    const ok = { name: 'ok', context: { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 } };
    const spans = [
      readableSpan(ok),
      readableSpan({ name: 'zero trace', context: { traceId: '0'.repeat(32), spanId: SPAN_ID, traceFlags: 1 } }),
      readableSpan({ name: 'zero span', context: { traceId: TRACE_ID, spanId: '0'.repeat(16), traceFlags: 1 } }),
      readableSpan({ name: 'short span', context: { traceId: TRACE_ID, spanId: 'abcd1234', traceFlags: 1 } }),
      readableSpan({ name: 'short trace', context: { traceId: 'abcd', spanId: SPAN_ID, traceFlags: 1 } }),
      readableSpan({ ...ok, name: 'bad parent', parent: { traceId: TRACE_ID, spanId: 'abcdef', traceFlags: 1 } }),
      readableSpan({ ...ok, name: 'zero parent', parent: { traceId: TRACE_ID, spanId: '0'.repeat(16), traceFlags: 1 } }),
    ];
    const result = decodeOtlpProtobuf(ProtobufTraceSerializer.serializeRequest(spans)!, 't');
    assert.deepEqual(result.batch.spans.map((s) => [s.name, s.parentSpanId]), [['ok', ''], ['zero parent', '']]);
    assert.equal(result.rejectedSpans, 5);
    assert.equal(
      result.errorMessage,
      '5 spans rejected: 2 with invalid trace id (must be 16 bytes, not all zero), 2 with invalid span id (must be 8 bytes, not all zero), 1 with invalid parent span id (must be 8 bytes or empty)',
    );
    assert.equal(PARENT_ID.length, 16);
  });
});
