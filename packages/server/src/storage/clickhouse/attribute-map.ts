import type { Attributes } from '../../model/span.js';
import { parseValue, valueText } from '../duckdb/attribute-codec.js';

/*
 * Attributes as two ClickHouse maps: key → string form (what tag queries compare, so
 * `values[key] = value` finds it whatever its type, with a bloom filter on the values) and
 * key → type letter for the keys that are not strings, so the typed value round-trips.
 */
export interface AttributeMap {
  values: Record<string, string>;
  types: Record<string, string>;
}

export function toAttributeMap(attributes: Attributes): AttributeMap {
  const values: Record<string, string> = {};
  const types: Record<string, string> = {};
  for (const key in attributes) {
    const [text, type] = valueText(attributes[key]);
    values[key] = text;
    if (type !== 's') types[key] = type;
  }
  return { values, types };
}

export function fromAttributeMap(values: Record<string, string>, types: Record<string, string>): Attributes {
  const out: Attributes = {};
  for (const key in values) out[key] = parseValue(values[key], types[key] ?? 's');
  return out;
}
