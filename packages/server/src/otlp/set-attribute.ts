import type { AttributeValue } from '../model/span.js';

/** Sets a decoded attribute; a key named `__proto__` becomes an own property, not the prototype. */
export function setAttribute(target: Record<string, AttributeValue>, key: string, value: AttributeValue): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
