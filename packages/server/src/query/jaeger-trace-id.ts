/*
 * Trace ids as Jaeger's model.TraceID reads and prints them (jaeger-idl model/v1/ids.go):
 * up to 32 hex chars, split into a high and a low 64-bit half; printed as 16 hex chars when
 * the high half is zero, else as 32.
 */

const HEX_64 = /^[0-9a-fA-F]{1,16}$/;

function parseUint64Hex(s: string): string {
  if (!HEX_64.test(s)) throw new Error(`strconv.ParseUint: parsing ${JSON.stringify(s)}: invalid syntax`);
  return s.toLowerCase().padStart(16, '0');
}

/** Jaeger's `model.TraceIDFromString`; returns our 32-char lowercase form. */
export function parseJaegerTraceIdHex(s: string): string {
  if (s.length > 32) throw new Error(`TraceID cannot be longer than 32 hex characters: ${s}`);
  if (s.length > 16) {
    const highLength = s.length - 16;
    return parseUint64Hex(s.slice(0, highLength)) + parseUint64Hex(s.slice(highLength));
  }
  return '0'.repeat(16) + parseUint64Hex(s);
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64_URL = /^[A-Za-z0-9_-]*={0,2}$/;

function decodeBase64(s: string): Buffer | undefined {
  const padded = s.includes('=');
  if (padded ? s.length % 4 !== 0 : s.length % 4 === 1) return undefined;
  if (BASE64.test(s)) return Buffer.from(s, 'base64');
  if (BASE64_URL.test(s)) return Buffer.from(s, 'base64url');
  return undefined;
}

/**
 * The trace id of `/api/traces/{traceID}`: hex, or base64 (standard or URL-safe, padded or
 * not) of 8 or 16 bytes, as Jaeger's apiv3.TraceIDFromString accepts since v2.
 */
export function parseJaegerPathTraceId(s: string): string {
  try {
    return parseJaegerTraceIdHex(s);
  } catch (hexError) {
    if (s.length > 24) throw hexError;
    const bytes = decodeBase64(s);
    if (bytes === undefined) throw hexError;
    if (bytes.length === 16) return bytes.toString('hex');
    if (bytes.length === 8) return '0'.repeat(16) + bytes.toString('hex');
    throw new Error('invalid length for TraceID');
  }
}

/** Jaeger's `TraceID.String()` of one of our 32-char ids. */
export function formatJaegerTraceId(traceId: string): string {
  const id = traceId.padStart(32, '0');
  return id.startsWith('0000000000000000') ? id.slice(16) : id;
}

/** Jaeger's `SpanID.String()`: always 16 hex chars. */
export const formatJaegerSpanId = (spanId: string): string => spanId.padStart(16, '0');
