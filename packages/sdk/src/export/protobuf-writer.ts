import type { HrTime } from '@opentelemetry/api';

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH = 2;
const WIRE_FIXED32 = 5;
const TWO_32 = 2 ** 32;

// Byte value of a pair of hex digits, indexed by (first char code << 7) | second char code:
// one load per byte instead of two and a shift.
const HEX_PAIR = new Uint8Array(128 * 128);
for (const digits of ['0123456789abcdef', '0123456789ABCDEF']) {
  for (let hi = 0; hi < 16; hi++) {
    for (let lo = 0; lo < 16; lo++) HEX_PAIR[(digits.charCodeAt(hi) << 7) | digits.charCodeAt(lo)] = (hi << 4) | lo;
  }
}

const utf8 = new TextEncoder();
const float = new Float64Array(1);
const floatBytes = new Uint8Array(float.buffer);

/** Writes `value` as UTF-8 at `pos` (room for 3 bytes per UTF-16 unit assumed); returns the end. */
function writeUtf8(buf: Uint8Array, pos: number, value: string): number {
  const len = value.length;
  for (let i = 0; i < len; i++) {
    let c = value.charCodeAt(i);
    if (c < 0x80) {
      buf[pos++] = c;
    } else if (c < 0x800) {
      buf[pos++] = 0xc0 | (c >> 6);
      buf[pos++] = 0x80 | (c & 0x3f);
    } else {
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = i + 1 < len ? value.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          i++;
          buf[pos++] = 0xf0 | (c >> 18);
          buf[pos++] = 0x80 | ((c >> 12) & 0x3f);
          buf[pos++] = 0x80 | ((c >> 6) & 0x3f);
          buf[pos++] = 0x80 | (c & 0x3f);
          continue;
        }
        c = 0xfffd; // a lone surrogate, as TextEncoder writes it
      }
      buf[pos++] = 0xe0 | (c >> 12);
      buf[pos++] = 0x80 | ((c >> 6) & 0x3f);
      buf[pos++] = 0x80 | (c & 0x3f);
    }
  }
  return pos;
}

function varintSize(value: number): number {
  let size = 1;
  while (value >= 128) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}

/**
 * A protobuf writer that encodes in one pass: a nested message reserves a guessed number of
 * bytes for its length and, once its size is known, moves its bytes if the guess was wrong
 * (rare, and a short memmove), instead of a separate sizing pass.
 */
export class ProtobufWriter {
  private buf: Uint8Array;
  pos = 0;

  /** `initialSize` is best a little above the expected output: the bytes are never copied out. */
  constructor(initialSize = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  /** The bytes written, as a view of the writer's buffer: a writer serves one message. */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  private ensure(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + bytes));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  private rawVarint(value: number): void {
    const buf = this.buf;
    while (value >= 128) {
      buf[this.pos++] = (value & 0x7f) | 0x80;
      value = Math.floor(value / 128);
    }
    buf[this.pos++] = value;
  }

  tag(field: number, wire: number): void {
    this.ensure(16);
    this.rawVarint((field << 3) | wire);
  }

  uint32(field: number, value: number): void {
    this.tag(field, WIRE_VARINT);
    this.rawVarint(value >>> 0);
  }

  bool(field: number, value: boolean): void {
    this.tag(field, WIRE_VARINT);
    this.buf[this.pos++] = value ? 1 : 0;
  }

  /** A safe integer as int64 (negatives in ten bytes of two's complement). */
  int64(field: number, value: number): void {
    this.tag(field, WIRE_VARINT);
    let lo = value >>> 0;
    let hi = Math.floor(value / TWO_32) >>> 0;
    const buf = this.buf;
    while (hi > 0 || lo > 127) {
      buf[this.pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    buf[this.pos++] = lo;
  }

  double(field: number, value: number): void {
    this.tag(field, WIRE_FIXED64);
    float[0] = value;
    this.buf.set(floatBytes, this.pos);
    this.pos += 8;
  }

  fixed32(field: number, value: number): void {
    this.tag(field, WIRE_FIXED32);
    this.rawFixed32(value);
  }

  // Epoch nanoseconds of the last whole second written, as two 32-bit words: the times of a
  // batch mostly share their second, so the 64-bit multiplication is rarely redone.
  private lastSec = -1;
  private secNanosLow = 0;
  private secNanosHigh = 0;

  /** An [epoch seconds, nanoseconds] time as fixed64 epoch nanoseconds, without BigInt. */
  time(field: number, time: HrTime): void {
    this.secNanos(field, time[0], time[1]);
  }

  /** Epoch seconds and nanoseconds as fixed64 epoch nanoseconds, without BigInt. */
  secNanos(field: number, sec: number, nanos: number): void {
    this.tag(field, WIRE_FIXED64);
    if (sec !== this.lastSec) {
      // seconds * 1e9 exceeds 2^53, so it is built from 16-bit halves of the seconds.
      const secHigh = Math.floor(sec / 65536);
      const secLow = sec - secHigh * 65536;
      const a = secHigh * 1e9; // times 2^16
      const aHigh = Math.floor(a / 65536);
      const low = secLow * 1e9 + (a - aHigh * 65536) * 65536;
      const carry = Math.floor(low / TWO_32);
      this.lastSec = sec;
      this.secNanosLow = low - carry * TWO_32;
      this.secNanosHigh = aHigh + carry;
    }
    const low = this.secNanosLow + nanos;
    const carry = low >= TWO_32 ? 1 : 0;
    this.rawFixed32(low - carry * TWO_32);
    this.rawFixed32(this.secNanosHigh + carry);
  }

  private rawFixed32(value: number): void {
    const buf = this.buf;
    let pos = this.pos;
    buf[pos++] = value & 0xff;
    buf[pos++] = (value >>> 8) & 0xff;
    buf[pos++] = (value >>> 16) & 0xff;
    buf[pos++] = (value >>> 24) & 0xff;
    this.pos = pos;
  }

  /** An 8-byte id given as two big-endian int32 words. */
  id64(field: number, a: number, b: number): void {
    this.ensure(24); // room for id128's 8 more bytes too
    const buf = this.buf;
    let pos = this.pos;
    buf[pos++] = (field << 3) | WIRE_LENGTH;
    buf[pos++] = 8;
    buf[pos++] = a >>> 24;
    buf[pos++] = (a >>> 16) & 0xff;
    buf[pos++] = (a >>> 8) & 0xff;
    buf[pos++] = a & 0xff;
    buf[pos++] = b >>> 24;
    buf[pos++] = (b >>> 16) & 0xff;
    buf[pos++] = (b >>> 8) & 0xff;
    buf[pos++] = b & 0xff;
    this.pos = pos;
  }

  /** A 16-byte id given as four big-endian int32 words. */
  id128(field: number, a: number, b: number, c: number, d: number): void {
    this.id64(field, a, b);
    const buf = this.buf;
    buf[this.pos - 9] = 16;
    let pos = this.pos;
    buf[pos++] = c >>> 24;
    buf[pos++] = (c >>> 16) & 0xff;
    buf[pos++] = (c >>> 8) & 0xff;
    buf[pos++] = c & 0xff;
    buf[pos++] = d >>> 24;
    buf[pos++] = (d >>> 16) & 0xff;
    buf[pos++] = (d >>> 8) & 0xff;
    buf[pos++] = d & 0xff;
    this.pos = pos;
  }

  /** Lowercase or uppercase hex (an id) as bytes. */
  hexBytes(field: number, hex: string): void {
    const n = hex.length >>> 1;
    this.tag(field, WIRE_LENGTH);
    this.ensure(n + 1);
    const buf = this.buf;
    let pos = this.pos;
    buf[pos++] = n;
    for (let i = 0; i < hex.length; i += 2) buf[pos++] = HEX_PAIR[(hex.charCodeAt(i) << 7) | hex.charCodeAt(i + 1)];
    this.pos = pos;
  }

  string(field: number, value: string): void {
    this.tag(field, WIRE_LENGTH);
    const len = value.length;
    if (len > 42) {
      const bytes = Buffer.byteLength(value, 'utf8');
      this.rawVarint(bytes);
      this.ensure(bytes);
      this.pos += utf8.encodeInto(value, this.buf.subarray(this.pos, this.pos + bytes)).written;
      return;
    }
    // Short strings (at most 126 UTF-8 bytes, so a one-byte length) are encoded inline: cheaper
    // than a call into the runtime's encoder.
    this.ensure(len * 3 + 1);
    const start = this.pos;
    this.pos = writeUtf8(this.buf, start + 1, value);
    this.buf[start] = this.pos - start - 1;
  }

  /**
   * A KeyValue with a string AnyValue. When key and value are short enough (40 UTF-16 units
   * together) for every length to fit one byte, it is written in one go, without fork and join:
   * this is the common attribute, so it is worth its own path.
   */
  keyValueString(field: number, key: string, value: string): void {
    if (key.length + value.length > 40) {
      const kv = this.fork(field, 1);
      this.string(1, key);
      const any = this.fork(2, 1);
      this.string(1, value);
      this.join(any);
      this.join(kv);
      return;
    }
    this.ensure(3 * (key.length + value.length) + 8);
    const buf = this.buf;
    let pos = this.pos;
    buf[pos++] = (field << 3) | WIRE_LENGTH;
    const kvStart = pos++;
    buf[pos++] = (1 << 3) | WIRE_LENGTH;
    const keyStart = pos++;
    pos = writeUtf8(buf, pos, key);
    buf[keyStart] = pos - keyStart - 1;
    buf[pos++] = (2 << 3) | WIRE_LENGTH;
    const anyStart = pos++;
    buf[pos++] = (1 << 3) | WIRE_LENGTH;
    const valueStart = pos++;
    pos = writeUtf8(buf, pos, value);
    buf[valueStart] = pos - valueStart - 1;
    buf[anyStart] = pos - anyStart - 1;
    buf[kvStart] = pos - kvStart - 1;
    this.pos = pos;
  }

  /**
   * A KeyValue with an int AnyValue (a safe integer): written in one go, without fork and join,
   * when the key is short enough (37 UTF-16 units: 111 UTF-8 bytes, 15 more for the rest) for
   * every length to fit one byte.
   */
  keyValueInt(field: number, key: string, value: number): void {
    if (key.length > 37) {
      const kv = this.fork(field, 1);
      this.string(1, key);
      const any = this.fork(2, 1);
      this.int64(3, value);
      this.join(any);
      this.join(kv);
      return;
    }
    this.ensure(3 * key.length + 20);
    const buf = this.buf;
    let pos = this.pos;
    buf[pos++] = (field << 3) | WIRE_LENGTH;
    const kvStart = pos++;
    buf[pos++] = (1 << 3) | WIRE_LENGTH;
    const keyStart = pos++;
    pos = writeUtf8(buf, pos, key);
    buf[keyStart] = pos - keyStart - 1;
    buf[pos++] = (2 << 3) | WIRE_LENGTH;
    const anyStart = pos++;
    buf[pos++] = (3 << 3) | WIRE_VARINT;
    let lo = value >>> 0;
    let hi = Math.floor(value / TWO_32) >>> 0;
    while (hi > 0 || lo > 127) {
      buf[pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    buf[pos++] = lo;
    buf[anyStart] = pos - anyStart - 1;
    buf[kvStart] = pos - kvStart - 1;
    this.pos = pos;
  }

  /** Starts a length-delimited field; returns the mark to pass to `join`. */
  fork(field: number, reserve: number): number {
    this.tag(field, WIRE_LENGTH);
    this.ensure(reserve);
    const mark = this.pos;
    this.pos += reserve;
    return mark * 8 + reserve;
  }

  /** Counts the times `join` moved bytes: positions taken before a move may be stale. */
  moves = 0;

  /** Writes again the bytes [start, end) written before: cheaper than encoding them again. */
  repeat(start: number, end: number): void {
    const n = end - start;
    this.ensure(n);
    const buf = this.buf;
    if (n > 16) {
      buf.copyWithin(this.pos, start, end);
      this.pos += n;
      return;
    }
    let pos = this.pos;
    for (let i = start; i < end; i++) buf[pos++] = buf[i];
    this.pos = pos;
  }

  join(mark: number): void {
    const reserve = mark & 7;
    const start = (mark - reserve) / 8;
    const bodyStart = start + reserve;
    const length = this.pos - bodyStart;
    const size = varintSize(length);
    if (size !== reserve) {
      this.moves++;
      this.ensure(size - reserve);
      this.buf.copyWithin(start + size, bodyStart, this.pos);
      this.pos += size - reserve;
    }
    const end = this.pos;
    this.pos = start;
    this.rawVarint(length);
    this.pos = end;
  }
}
