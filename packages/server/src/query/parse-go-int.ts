/** Go's `strconv.ParseInt(s, 10, bitSize)`, with its error texts (Jaeger echoes them to clients). */
export function parseGoInt(s: string, bitSize: 32 | 64 = 64): bigint {
  const fail = (why: string) => new Error(`strconv.ParseInt: parsing ${JSON.stringify(s)}: ${why}`);
  if (!/^[+-]?[0-9]+$/.test(s)) throw fail('invalid syntax');
  const value = BigInt(s);
  const max = (1n << BigInt(bitSize - 1)) - 1n;
  if (value > max || value < -max - 1n) throw fail('value out of range');
  return value;
}
