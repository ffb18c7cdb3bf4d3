/* eslint-disable @typescript-eslint/no-explicit-any -- decoded messages are checked by shape, as in the tests */
import { createRequire } from 'node:module';

/** The protobufjs-generated OTLP classes OpenTelemetry JS ships (the dev dependency `otlp-generated-proto`). */
const root = createRequire(import.meta.url)('otlp-generated-proto/build/src/generated/root.js');

interface MessageType {
  decode(bytes: Uint8Array): unknown;
  toObject(message: unknown, options: object): any;
  fromObject(value: object): unknown;
  encode(message: unknown): { finish(): Uint8Array };
}

/** ExportTraceServiceRequest as the official opentelemetry-proto files define it. */
export function loadExportTraceServiceRequest(): MessageType {
  return root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest as MessageType;
}

/** A decoded request as plain data: ids as hex, int64 and fixed64 as decimal strings. */
export function decodeRequest(type: MessageType, bytes: Uint8Array, defaults = false): any {
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
