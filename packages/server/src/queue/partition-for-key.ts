/**
 * The partition of a key: 32-bit FNV-1a over its UTF-16 units, modulo the partition count. Stable
 * across processes and versions, since producers and consumers of one stream must agree on it.
 */
export function partitionForKey(key: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % partitions;
}
