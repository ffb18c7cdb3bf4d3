import type { SpanBatch } from '../model/span.js';
import { decodeOtlpProtobuf } from '../otlp/decode-otlp-protobuf.js';
import { encodeOtlpProtobuf } from '../otlp/encode-otlp-protobuf.js';
import { ProtobufReader } from '../otlp/protobuf-reader.js';
import { ProtobufWriter } from '../otlp/protobuf-writer.js';
import { Errors } from '../errors.js';

/**
 * Queue messages are `[format: varint 1][tenant: length-prefixed UTF-8][OTLP ExportTraceServiceRequest]`.
 * OTLP protobuf because the model is OTLP-shaped (bigint times, typed attributes and bytes survive),
 * it is compact, resources and scopes are written once per group of spans sharing them, and the
 * ingester decodes it with the same fast decoder as the receiver. The prefix carries the tenant,
 * which OTLP has no place for, and a format number so the layout can change with a rolling upgrade.
 */
const FORMAT_OTLP = 1;

// Encoding is synchronous, so one writer serves every call; its bytes are copied out.
const writer = new ProtobufWriter(64 * 1024);

export function encodeSpanBatch(batch: SpanBatch): Uint8Array {
  writer.pos = 0;
  writer.uint32(FORMAT_OTLP);
  writer.string(batch.tenant);
  encodeOtlpProtobuf(batch.spans, writer);
  // A copy: the writer's buffer is a Buffer, whose slice() would be a view.
  return new Uint8Array(writer.finish());
}

/** Throws ARIADNE_UNDECODABLE_BODY for bytes that are not a message of a known format. */
export function decodeSpanBatch(bytes: Uint8Array): SpanBatch {
  const r = new ProtobufReader(bytes);
  const format = r.uint32(bytes.length);
  if (format !== FORMAT_OTLP) throw Errors.undecodableBody('queue message', `unknown format ${format}`);
  const tenant = r.string(bytes.length);
  return decodeOtlpProtobuf(bytes.subarray(r.pos), tenant).batch;
}

/**
 * Splits a batch into one batch per trace, keyed by trace id, in order of first appearance: the
 * queue routes by key, so every span of a trace reaches the same partition and so the same ingester.
 */
export function splitByTrace(batch: SpanBatch): Map<string, SpanBatch> {
  const byTrace = new Map<string, SpanBatch>();
  for (const span of batch.spans) {
    const group = byTrace.get(span.traceId);
    if (group) group.spans.push(span);
    else byTrace.set(span.traceId, { tenant: batch.tenant, spans: [span] });
  }
  return byTrace;
}
