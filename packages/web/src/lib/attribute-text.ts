import type { OtlpAnyValue } from '../api/types';

/** An OTLP value as display text; nested values as JSON. */
export function attributeText(value: OtlpAnyValue): string {
  if ('stringValue' in value) return value.stringValue;
  if ('boolValue' in value) return String(value.boolValue);
  if ('intValue' in value) return value.intValue;
  if ('doubleValue' in value) return String(value.doubleValue);
  if ('bytesValue' in value) return value.bytesValue;
  return JSON.stringify(plain(value));
}

function plain(value: OtlpAnyValue): unknown {
  if ('arrayValue' in value) return value.arrayValue.values.map(plain);
  if ('kvlistValue' in value) return Object.fromEntries(value.kvlistValue.values.map((kv) => [kv.key, plain(kv.value)]));
  if ('intValue' in value) return Number(value.intValue);
  if ('stringValue' in value) return value.stringValue;
  if ('boolValue' in value) return value.boolValue;
  if ('doubleValue' in value) return value.doubleValue;
  return value.bytesValue;
}
