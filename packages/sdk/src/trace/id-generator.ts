import { randomFillSync } from 'node:crypto';

/** Makes trace and span ids: lowercase hex, never all zeros. */
export interface IdGenerator {
  generateTraceId(): string;
  generateSpanId(): string;
}

const POOL_WORDS = 4096;
const scratch = Buffer.allocUnsafe(16);

/** Lowercase hex of big-endian 32-bit words (2 for a span id, 4 for a trace id). */
export function wordsToHex(a: number, b: number, c?: number, d?: number): string {
  scratch.writeInt32BE(a, 0);
  scratch.writeInt32BE(b, 4);
  if (c === undefined || d === undefined) return scratch.toString('hex', 0, 8);
  scratch.writeInt32BE(c, 8);
  scratch.writeInt32BE(d, 12);
  return scratch.toString('hex', 0, 16);
}

/** The big-endian 32-bit word (as int32) of 8 hex digits at `at`; 0 where they are not hex. */
export function hexWord(hex: string, at: number): number {
  return parseInt(hex.slice(at, at + 8), 16) | 0;
}

/**
 * Random ids from a pool of CSPRNG words: one randomFillSync serves hundreds of ids. The SDK's
 * spans keep an id as int32 words (no string, no allocation) and make its hex only when asked;
 * `generateTraceId`/`generateSpanId` are for other callers. All 16 trace-id bytes are random,
 * as W3C Trace Context Level 2's random flag promises.
 */
export class RandomIdGenerator implements IdGenerator {
  private readonly pool = new Int32Array(POOL_WORDS);
  private pos = POOL_WORDS;

  /** A random 32-bit word, as int32. */
  nextWord(): number {
    if (this.pos === POOL_WORDS) {
      randomFillSync(this.pool);
      this.pos = 0;
    }
    return this.pool[this.pos++];
  }

  generateTraceId(): string {
    for (;;) {
      const a = this.nextWord();
      const b = this.nextWord();
      const c = this.nextWord();
      const d = this.nextWord();
      if ((a | b | c | d) !== 0) return wordsToHex(a, b, c, d);
    }
  }

  generateSpanId(): string {
    for (;;) {
      const a = this.nextWord();
      const b = this.nextWord();
      if ((a | b) !== 0) return wordsToHex(a, b);
    }
  }
}
