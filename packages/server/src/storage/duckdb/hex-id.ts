/** Ids travel as lowercase hex and are stored as unsigned integers; '' (absent) is 0. */
export function hexToBigInt(hex: string): bigint {
  return hex === '' ? 0n : BigInt('0x' + hex);
}

export function bigIntToHex(value: bigint, chars: 16 | 32): string {
  return value === 0n ? '' : value.toString(16).padStart(chars, '0');
}
