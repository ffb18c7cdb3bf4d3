/** Body of an OTLP/JSON export response, as the protobuf JSON mapping writes it (int64 as a string). */
export type ExportResponseJson =
  | Record<string, never>
  | { partialSuccess: { rejectedSpans: string; errorMessage: string } };

const utf8 = new TextEncoder();

/**
 * `ExportTraceServiceResponse` in protobuf: empty when everything was accepted, else
 * `partial_success { rejected_spans = 1; error_message = 2 }`. A message with nothing rejected is
 * still sent, as the OTLP spec allows for warnings.
 */
export function encodeExportResponseProtobuf(rejected: number, message: string): Uint8Array {
  if (rejected === 0 && message === '') return new Uint8Array(0);
  const partial = new ProtoWriter();
  if (rejected !== 0) partial.varintField(1, rejected);
  if (message !== '') partial.stringField(2, message);
  const out = new ProtoWriter();
  out.bytesField(1, partial.finish());
  return out.finish();
}

/** `ExportTraceServiceResponse` in OTLP/JSON; the OTel JS exporter only logs what is in `partialSuccess`. */
export function exportResponseJson(rejected: number, message: string): ExportResponseJson {
  if (rejected === 0 && message === '') return {};
  return { partialSuccess: { rejectedSpans: String(rejected), errorMessage: message } };
}

/** `google.rpc.Status { int32 code = 1; string message = 2 }`, the error body of OTLP/HTTP protobuf. */
export function encodeStatusProtobuf(code: number, message: string): Uint8Array {
  const out = new ProtoWriter();
  if (code !== 0) out.varintField(1, code);
  if (message !== '') out.stringField(2, message);
  return out.finish();
}

class ProtoWriter {
  private readonly bytes: number[] = [];

  varintField(field: number, value: number): void {
    this.varint((field << 3) | 0);
    this.varint(value);
  }

  stringField(field: number, value: string): void {
    this.bytesField(field, utf8.encode(value));
  }

  bytesField(field: number, value: Uint8Array): void {
    this.varint((field << 3) | 2);
    this.varint(value.length);
    for (const b of value) this.bytes.push(b);
  }

  /** Non-negative integers up to 2^53; a negative one is written as its 64-bit two's complement. */
  private varint(value: number): void {
    let v = value < 0 ? BigInt.asUintN(64, BigInt(Math.trunc(value))) : BigInt(Math.trunc(value));
    while (v >= 0x80n) {
      this.bytes.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.bytes.push(Number(v));
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}
