import { randomFillSync } from 'node:crypto';

/** Makes trace and span ids: lowercase hex, never all zeros. */
export interface IdGenerator {
  generateTraceId(): string;
  generateSpanId(): string;
}

const POOL_WORDS = 4096;
const scratch = Buffer.allocUnsafe(16);

const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
// A version 00 traceparent, rewritten in place for each span: one string made, not three.
const traceparent = Buffer.from('00-00000000000000000000000000000000-0000000000000000-00', 'latin1');

function putHexWord(buf: Buffer, at: number, word: number): void {
  for (let i = at + 7; i >= at; i--) {
    buf[i] = HEX_DIGITS[word & 15];
    word >>>= 4;
  }
}

/** The W3C traceparent header (version 00) of a span's id words and flags. */
export function traceparentOf(t0: number, t1: number, t2: number, t3: number, s0: number, s1: number, flags: number): string {
  putHexWord(traceparent, 3, t0);
  putHexWord(traceparent, 11, t1);
  putHexWord(traceparent, 19, t2);
  putHexWord(traceparent, 27, t3);
  putHexWord(traceparent, 36, s0);
  putHexWord(traceparent, 44, s1);
  traceparent[53] = HEX_DIGITS[(flags >>> 4) & 15];
  traceparent[54] = HEX_DIGITS[flags & 15];
  return traceparent.toString('latin1');
}

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
