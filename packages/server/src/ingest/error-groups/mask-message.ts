const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
// Long hex runs (ids, hashes, addresses) — at least 8 digits or 0x-prefixed.
const HEX = /\b(?:0x[0-9a-f]+|(?=[0-9a-f]*\d)[0-9a-f]{8,})\b/gi;
const NUMBER = /\d+/g;

/** An error message with the parts that vary between occurrences (uuids, hex ids, numbers) masked, so like errors group together. */
export function maskMessage(message: string): string {
  return message.replace(UUID, '<uuid>').replace(HEX, '<hex>').replace(NUMBER, '<n>');
}
