import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { AriadneError } from '../errors.js';
import { decodeOtlpJson } from './decode-otlp-json.js';
import { SPAN_ID, TRACE_ID, expectedSpans, madeSpans, readableSpan } from './otel-test-spans.js';

const request = (span: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ spans: [{ traceId: TRACE_ID, spanId: SPAN_ID, ...span }] }], ...extra }] });

function assertJsonError(body: string, message: RegExp): void {
  assert.throws(
    () => decodeOtlpJson(body, 't'),
    (err: Error) => err instanceof AriadneError && err.code === 'ARIADNE_UNDECODABLE_BODY' && message.test(err.message),
    `${body} should fail with ${message}`,
  );
}

describe('decodeOtlpJson', () => {
  it('decodes every field the official JSON serializer writes, as a string or as bytes', () => {
    const body = JsonTraceSerializer.serializeRequest(madeSpans())!;
    for (const input of [body, new TextDecoder().decode(body)]) {
      const result = decodeOtlpJson(input, 'acme');
      assert.equal(result.batch.tenant, 'acme');
      assert.equal(result.rejectedSpans, 0);
      assert.deepEqual(result.batch.spans, expectedSpans());
      assert.equal(result.batch.spans[0].resource, result.batch.spans[1].resource);
    }
  });

  it('accepts enum names, int64 as numbers or strings, upper-case hex ids and proto field names', () => {
    const body = JSON.stringify({
      resource_spans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { string_value: 'svc' } }], dropped_attributes_count: 1 },
          schema_url: 'rs',
          scope_spans: [
            {
              scope: { name: 'lib', dropped_attributes_count: '2' },
              schema_url: 'ss',
              spans: [
                {
                  trace_id: TRACE_ID.toUpperCase(),
                  span_id: SPAN_ID.toUpperCase(),
                  parent_span_id: '',
                  trace_state: 'a=b',
                  name: 'op',
                  kind: 'SPAN_KIND_CLIENT',
                  start_time_unix_nano: '1700000000123456789',
                  end_time_unix_nano: 1700000000,
                  attributes: [
                    { key: 'i', value: { int_value: '-9223372036854775808' } },
                    { key: 'j', value: { intValue: 12 } },
                    { key: 'nan', value: { doubleValue: 'NaN' } },
                    { key: 'inf', value: { double_value: '-Infinity' } },
                    { key: 'b', value: { bytes_value: 'AAEC+v8=' } },
                    { key: 'url', value: { bytesValue: 'AAEC-v8' } },
                    { key: 'arr', value: { array_value: { values: [{ bool_value: true }, {}] } } },
                    { key: 'kv', value: { kvlist_value: { values: [{ key: 'x', value: { stringValue: 'y' } }] } } },
                    { key: 'unset', value: {} },
                  ],
                  events: [{ time_unix_nano: '5', name: 'e', dropped_attributes_count: 1 }],
                  dropped_events_count: 2,
                  links: [{ trace_id: TRACE_ID, span_id: 'not hex', flags: 256 }],
                  dropped_links_count: 3,
                  dropped_attributes_count: 4,
                  status: { code: 'STATUS_CODE_ERROR', message: 'bad' },
                  flags: 1,
                  somethingNew: { ignored: true },
                },
              ],
            },
          ],
        },
      ],
    });
    const [span] = decodeOtlpJson(body, 't').batch.spans;
    assert.equal(span.traceId, TRACE_ID);
    assert.equal(span.spanId, SPAN_ID);
    assert.equal(span.traceState, 'a=b');
    assert.equal(span.kind, 3);
    assert.equal(span.startTimeUnixNano, 1_700_000_000_123_456_789n);
    assert.equal(span.endTimeUnixNano, 1_700_000_000n);
    assert.deepEqual(span.attributes, {
      i: -(2n ** 63n),
      j: 12n,
      nan: NaN,
      inf: -Infinity,
      b: new Uint8Array([0, 1, 2, 250, 255]),
      url: new Uint8Array([0, 1, 2, 250, 255]),
      arr: [true],
      kv: { x: 'y' },
    });
    assert.deepEqual(span.events, [{ timeUnixNano: 5n, name: 'e', attributes: {}, droppedAttributesCount: 1 }]);
    assert.deepEqual(span.links, [{ traceId: TRACE_ID, spanId: '', traceState: '', attributes: {}, droppedAttributesCount: 0, flags: 256 }]);
    assert.deepEqual([span.droppedAttributesCount, span.droppedEventsCount, span.droppedLinksCount, span.flags], [4, 2, 3, 1]);
    assert.deepEqual(span.status, { code: 2, message: 'bad' });
    assert.deepEqual(span.resource, { attributes: { 'service.name': 'svc' }, droppedAttributesCount: 1, schemaUrl: 'rs', serviceName: 'svc' });
    assert.deepEqual(span.scope, { name: 'lib', version: '', attributes: {}, droppedAttributesCount: 2, schemaUrl: 'ss' });
  });

  it('treats enum numbers outside the enum as unspecified and missing fields as defaults', () => {
    const [span] = decodeOtlpJson(request({ kind: 9, status: { code: 7 } }), 't').batch.spans;
    assert.equal(span.kind, 0);
    assert.equal(span.status.code, 0);
    assert.equal(span.name, '');
    assert.equal(span.resource.serviceName, 'unknown_service');
    assert.deepEqual(decodeOtlpJson('{}', 't').batch.spans, []);
  });

  it('rejects and counts spans with invalid ids, including ids that are not hex', () => {
    const spans = [
      readableSpan({ name: 'ok', context: { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 } }),
      readableSpan({ name: 'zero', context: { traceId: '0'.repeat(32), spanId: SPAN_ID, traceFlags: 1 } }),
      readableSpan({ name: 'short', context: { traceId: TRACE_ID, spanId: 'abc', traceFlags: 1 } }),
      readableSpan({ name: 'not hex', context: { traceId: 'z'.repeat(32), spanId: SPAN_ID, traceFlags: 1 } }),
    ];
    const result = decodeOtlpJson(JsonTraceSerializer.serializeRequest(spans)!, 't');
    assert.deepEqual(result.batch.spans.map((s) => s.name), ['ok']);
    assert.equal(result.rejectedSpans, 3);
    assert.match(result.errorMessage, /^3 spans rejected: 2 with invalid trace id .*, 1 with invalid span id/);
  });

  it('names what is wrong in malformed JSON or a wrong shape', () => {
    assertJsonError('{"resourceSpans": [', /^cannot decode json body: invalid JSON: /);
    assertJsonError('[]', /request: expected an object, got an array/);
    assertJsonError('{"resourceSpans": {}}', /resourceSpans: expected an array, got an object/);
    assertJsonError(request({ name: 5 }), /resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.name: expected a string, got 5/);
    assertJsonError(request({ kind: 'SERVER' }), /spans\[0\]\.kind: expected one of SPAN_KIND_UNSPECIFIED, .* or its number, got "SERVER"/);
    assertJsonError(request({ startTimeUnixNano: '-1' }), /spans\[0\]\.startTimeUnixNano: expected an unsigned 64-bit integer/);
    assertJsonError(request({ startTimeUnixNano: '18446744073709551616' }), /startTimeUnixNano: expected an unsigned 64-bit integer/);
    assertJsonError(request({ attributes: [{ key: 'k', value: { intValue: '1.5' } }] }), /attributes\[0\]\.value\.intValue: expected a 64-bit integer/);
    assertJsonError(request({ attributes: [{ key: 'k', value: { boolValue: 'true' } }] }), /value\.boolValue: expected a boolean, got "true"/);
    assertJsonError(request({ attributes: [{ key: 'k', value: { bytesValue: '!!' } }] }), /value\.bytesValue: expected a base64 string/);
    assertJsonError(request({ events: [{ droppedAttributesCount: -1 }] }), /events\[0\]\.droppedAttributesCount: expected an unsigned 32-bit integer, got -1/);
    assertJsonError(request({ status: 'ok' }), /spans\[0\]\.status: expected an object, got "ok"/);
    let deep: unknown = { stringValue: 'leaf' };
    for (let i = 0; i < 40; i++) deep = { arrayValue: { values: [deep] } };
    assertJsonError(request({ attributes: [{ key: 'k', value: deep }] }), /nested deeper than 32/);
  });
});
