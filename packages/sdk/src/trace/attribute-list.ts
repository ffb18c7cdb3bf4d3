import { diag } from '@opentelemetry/api';
import type { AttributeValue, Attributes } from '@opentelemetry/api';

/**
 * Attributes as [key0, value0, key1, value1, ...]: one allocation per span, insertion order kept,
 * no prototype keys (`__proto__`, `toString`) to trip over; keys are few, so a linear scan is cheap.
 */
export type AttributeList = AttributeValue[];

function isPrimitive(t: string): boolean {
  return t === 'string' || t === 'number' || t === 'boolean';
}

/** A string, number, boolean, or an array of one of those types (null/undefined elements allowed). */
export function isAttributeValue(value: unknown): value is AttributeValue {
  if (value === null || value === undefined) return false;
  if (isPrimitive(typeof value)) return true;
  if (!Array.isArray(value)) return false;
  let type: string | undefined;
  for (const element of value) {
    if (element === null || element === undefined) continue;
    const t = typeof element;
    if (!isPrimitive(t)) return false;
    if (type === undefined) type = t;
    else if (t !== type) return false;
  }
  return true;
}

function truncate(value: AttributeValue, lengthLimit: number): AttributeValue {
  if (typeof value === 'string') return value.length > lengthLimit ? value.slice(0, lengthLimit) : value;
  if (Array.isArray(value)) {
    // Copied so that the caller mutating its array later does not change the span.
    return (value as unknown[]).map((e) =>
      typeof e === 'string' && e.length > lengthLimit ? e.slice(0, lengthLimit) : e,
    ) as AttributeValue;
  }
  return value;
}

/**
 * Sets one attribute, replacing the value of an existing key. Invalid keys and values are
 * reported through diag and ignored; returns 1 when the count limit dropped it, else 0.
 */
export function setAttribute(
  list: AttributeList,
  key: string,
  value: unknown,
  countLimit: number,
  lengthLimit: number,
): number {
  const t = typeof value;
  const primitive = t === 'number' || t === 'boolean' || t === 'string';
  if (!primitive && !isAttributeValue(value)) {
    if (value !== undefined && value !== null) diag.warn(`ariadne: invalid value for attribute ${key}, ignored`);
    return 0;
  }
  if (typeof key !== 'string' || key.length === 0) {
    diag.warn(`ariadne: invalid attribute key ${String(key)}, ignored`);
    return 0;
  }
  const stored = t === 'number' || t === 'boolean' ? (value as AttributeValue) : truncate(value as AttributeValue, lengthLimit);
  for (let i = 0; i < list.length; i += 2) {
    if (list[i] === key) {
      list[i + 1] = stored;
      return 0;
    }
  }
  if (list.length >= countLimit * 2) return 1;
  list.push(key, stored);
  return 0;
}

/** Adds every attribute of `attributes`; returns how many the count limit dropped. */
export function setAttributes(
  list: AttributeList,
  attributes: Attributes | undefined,
  countLimit: number,
  lengthLimit: number,
): number {
  let dropped = 0;
  if (attributes === undefined || attributes === null) return 0;
  if (list.length === 0) {
    // Into an empty list (a span's start attributes): an object's keys are unique, so plain
    // values are appended without looking for their key.
    for (const key in attributes) {
      const value = attributes[key];
      const t = typeof value;
      if (
        (t === 'number' || t === 'boolean' || (t === 'string' && (value as string).length <= lengthLimit)) &&
        key.length > 0 &&
        list.length < countLimit * 2
      ) {
        list.push(key, value as AttributeValue);
      } else {
        dropped += setAttribute(list, key, value, countLimit, lengthLimit);
      }
    }
    return dropped;
  }
  for (const key in attributes) dropped += setAttribute(list, key, attributes[key], countLimit, lengthLimit);
  return dropped;
}

/** A plain record of the list, for readers and tests. */
export function attributesOf(list: AttributeList): Attributes {
  const out: Attributes = {};
  for (let i = 0; i < list.length; i += 2) {
    // defineProperty, so that a `__proto__` key is an own property, not the prototype.
    Object.defineProperty(out, list[i] as string, { value: list[i + 1], enumerable: true, writable: true, configurable: true });
  }
  return out;
}
