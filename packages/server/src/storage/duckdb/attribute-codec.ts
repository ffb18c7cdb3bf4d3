/* eslint-disable no-control-regex -- the separators are control characters on purpose: they never occur in real attribute text. */
import type { AttributeValue, Attributes } from '../../model/span.js';

/*
 * Attributes as one compact, searchable text: per attribute `\x1e key \x1f value \x1f type`.
 * The value is its string form (the form a Jaeger tag query compares against), so
 * `contains(column, tagPattern(k, v))` finds `k=v` whatever the attribute's type. Control
 * characters \x1a-\x1f inside keys and values are escaped, so separators never occur in data.
 */

const ESCAPE = '\x1a';
const NEEDS_ESCAPE = /[\x1a-\x1f]/;
const NEEDS_UNESCAPE = /\x1a/;

export function escapeText(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(/[\x1a-\x1f]/g, (c) => ESCAPE + String.fromCharCode(0x61 + c.charCodeAt(0) - 0x1a));
}

export function unescapeText(text: string): string {
  if (!NEEDS_UNESCAPE.test(text)) return text;
  return text.replace(/\x1a([a-f])/g, (_, c: string) => String.fromCharCode(0x1a + c.charCodeAt(0) - 0x61));
}

type Typed = [string, unknown];

function toTyped(value: AttributeValue): Typed {
  switch (typeof value) {
    case 'string':
      return ['s', value];
    case 'boolean':
      return ['b', value];
    case 'number':
      return ['d', numberText(value)];
    case 'bigint':
      return ['i', value.toString()];
  }
  if (value instanceof Uint8Array) return ['y', Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')];
  if (Array.isArray(value)) return ['a', value.map(toTyped)];
  return ['k', Object.entries(value).map(([k, v]) => [k, toTyped(v)])];
}

function fromTyped([type, payload]: Typed): AttributeValue {
  switch (type) {
    case 's':
    case 'b':
      return payload as string | boolean;
    case 'd':
      return Number(payload);
    case 'i':
      return BigInt(payload as string);
    case 'y':
      return new Uint8Array(Buffer.from(payload as string, 'base64'));
    case 'a':
      return (payload as Typed[]).map(fromTyped);
    default: {
      const out: Record<string, AttributeValue> = {};
      for (const [k, v] of payload as [string, Typed][]) out[k] = fromTyped(v);
      return out;
    }
  }
}

// String(-0) is '0'; keep the sign so the value round-trips.
const numberText = (n: number): string => (Object.is(n, -0) ? '-0' : String(n));

/** An attribute's string form (what a tag query compares) and its type letter. */
export function valueText(value: AttributeValue): [text: string, type: string] {
  switch (typeof value) {
    case 'string':
      return [value, 's'];
    case 'boolean':
      return [value ? 'true' : 'false', 'b'];
    case 'number':
      return [numberText(value), 'd'];
    case 'bigint':
      return [value.toString(), 'i'];
  }
  if (value instanceof Uint8Array) return [toTyped(value)[1] as string, 'y'];
  const [type, payload] = toTyped(value);
  return [JSON.stringify(payload), type];
}

/** The attribute back from `valueText`'s string form and type letter. */
export function parseValue(text: string, type: string): AttributeValue {
  switch (type) {
    case 's':
      return text;
    case 'b':
      return text === 'true';
    case 'd':
      return Number(text);
    case 'i':
      return BigInt(text);
    case 'y':
      return fromTyped(['y', text]);
    default:
      return fromTyped([type, JSON.parse(text)]);
  }
}

export function encodeAttributes(attributes: Attributes): string {
  let out = '';
  for (const key in attributes) {
    const [text, type] = valueText(attributes[key]);
    out += '\x1e' + escapeText(key) + '\x1f' + escapeText(text) + '\x1f' + type;
  }
  return out;
}

export function decodeAttributes(encoded: string): Attributes {
  const out: Attributes = {};
  if (encoded === '') return out;
  const parts = encoded.split('\x1e');
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i];
    const keyEnd = part.indexOf('\x1f');
    const valueEnd = part.lastIndexOf('\x1f');
    out[unescapeText(part.slice(0, keyEnd))] = parseValue(unescapeText(part.slice(keyEnd + 1, valueEnd)), part.slice(valueEnd + 1));
  }
  return out;
}

/** The substring an encoded attribute text holds when it has `key` with string form `value`. */
export function tagPattern(key: string, value: string): string {
  return '\x1e' + escapeText(key) + '\x1f' + escapeText(value) + '\x1f';
}
