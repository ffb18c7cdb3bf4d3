/** Any value as text, never throwing: String() throws for an object without a prototype, or one whose toString throws. */
export function describeValue(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
