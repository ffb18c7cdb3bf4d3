/* eslint-disable @typescript-eslint/no-explicit-any -- decoded messages are checked by shape, as in the tests */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import protobuf from 'protobufjs';

const PROTO_DIR = fileURLToPath(new URL('./proto/', import.meta.url));

/** ExportTraceServiceRequest from the official opentelemetry-proto files (copied in ./proto). */
export function loadExportTraceServiceRequest(): protobuf.Type {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(PROTO_DIR, target);
  root.loadSync('opentelemetry/proto/collector/trace/v1/trace_service.proto');
  return root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
}

/** A decoded request as plain data: ids as hex, int64 and fixed64 as decimal strings. */
export function decodeRequest(type: protobuf.Type, bytes: Uint8Array, defaults = false): any {
  const message = type.decode(bytes);
  return toPlain(type.toObject(message, { longs: String, enums: Number, bytes: Array, defaults }));
}

function toPlain(value: any, key?: string): any {
  if (Array.isArray(value)) {
    if (key !== undefined && /^(traceId|spanId|parentSpanId)$/.test(key)) return Buffer.from(value).toString('hex');
    return value.map((v) => toPlain(v));
  }
  if (value !== null && typeof value === 'object') {
    const out: any = {};
    for (const [k, v] of Object.entries(value)) out[k] = toPlain(v, k);
    return out;
  }
  return value;
}
