import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import protobuf from 'protobufjs';
import { encodeExportResponseProtobuf, encodeStatusProtobuf, exportResponseJson } from './encode-export-response.js';

const { root } = protobuf.parse(`
syntax = "proto3";
message ExportTraceServiceResponse { ExportTracePartialSuccess partial_success = 1; }
message ExportTracePartialSuccess { int64 rejected_spans = 1; string error_message = 2; }
message Status { int32 code = 1; string message = 2; repeated bytes details = 3; }
`);
const Response = root.lookupType('ExportTraceServiceResponse');
const Status = root.lookupType('Status');
const asObject = (type: protobuf.Type, bytes: Uint8Array) => type.toObject(type.decode(bytes), { longs: Number, defaults: true });

describe('export response encoders', () => {
  it('encodes an empty ExportTraceServiceResponse when nothing was rejected', () => {
    const bytes = encodeExportResponseProtobuf(0, '');
    assert.equal(bytes.length, 0);
    assert.deepEqual(ProtobufTraceSerializer.deserializeResponse(bytes), {});
    assert.deepEqual(exportResponseJson(0, ''), {});
  });

  it('encodes partial success that protobufjs and the OTel JS exporter read back', () => {
    const message = '3 spans rejected: ünïcode ✓';
    const bytes = encodeExportResponseProtobuf(3, message);
    assert.deepEqual(asObject(Response, bytes), { partialSuccess: { rejectedSpans: 3, errorMessage: message } });
    assert.deepEqual(ProtobufTraceSerializer.deserializeResponse(bytes), { partialSuccess: { rejectedSpans: 3, errorMessage: message } });
    const big = encodeExportResponseProtobuf(2 ** 40, 'x'.repeat(200));
    assert.deepEqual(asObject(Response, big), { partialSuccess: { rejectedSpans: 2 ** 40, errorMessage: 'x'.repeat(200) } });
  });

  it('carries a warning with nothing rejected', () => {
    assert.deepEqual(asObject(Response, encodeExportResponseProtobuf(0, 'note')), { partialSuccess: { rejectedSpans: 0, errorMessage: 'note' } });
    assert.deepEqual(exportResponseJson(0, 'note'), { partialSuccess: { rejectedSpans: '0', errorMessage: 'note' } });
  });

  it('answers JSON with int64 as a string, as the protobuf JSON mapping does', () => {
    const json = exportResponseJson(5, 'why');
    assert.deepEqual(json, { partialSuccess: { rejectedSpans: '5', errorMessage: 'why' } });
    const parsed = JsonTraceSerializer.deserializeResponse(new TextEncoder().encode(JSON.stringify(json)));
    assert.deepEqual(parsed, json);
    const fromProtobufJs = Response.fromObject(json);
    assert.equal(Number(Response.toObject(fromProtobufJs, { longs: Number }).partialSuccess.rejectedSpans), 5);
  });

  it('encodes google.rpc.Status error bodies', () => {
    assert.deepEqual(asObject(Status, encodeStatusProtobuf(3, 'cannot decode protobuf body: truncated')), {
      code: 3,
      message: 'cannot decode protobuf body: truncated',
      details: [],
    });
    assert.deepEqual(asObject(Status, encodeStatusProtobuf(14, '')), { code: 14, message: '', details: [] });
    assert.deepEqual(asObject(Status, encodeStatusProtobuf(-1, 'negative')), { code: -1, message: 'negative', details: [] });
  });
});
