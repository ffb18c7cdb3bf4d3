import type { AttributeValue } from '../model/span.js';

const HTML_UNSAFE = /[<>&\u2028\u2029]/g;
const escapeHtml = (json: string): string =>
  json.replace(HTML_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const isMap = (v: AttributeValue): v is { [key: string]: AttributeValue } =>
  typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array);

/**
 * An array or kvlist attribute as the Collector's `pcommon.Value.AsString()` prints it (Go's
 * encoding/json of the raw value): map keys sorted, ints exact, bytes base64, HTML-escaped.
 */
export function goJsonAttribute(value: AttributeValue): string {
  return escapeHtml(encode(value));
}

function encode(value: AttributeValue): string {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('base64'));
  if (Array.isArray(value)) return `[${value.map(encode).join(',')}]`;
  if (isMap(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${encode(value[k])}`).join(',')}}`;
  }
  return 'null';
}
