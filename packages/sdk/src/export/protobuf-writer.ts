import type { HrTime } from '@opentelemetry/api';

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH = 2;
const WIRE_FIXED32 = 5;
const TWO_32 = 2 ** 32;

const HEX = new Uint8Array(128).fill(0xff);
for (let i = 0; i < 16; i++) {
  HEX['0123456789abcdef'.charCodeAt(i)] = i;
  HEX['0123456789ABCDEF'.charCodeAt(i)] = i;
}

const utf8 = new TextEncoder();
const float = new Float64Array(1);
const floatBytes = new Uint8Array(float.buffer);

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

  constructor(initialSize = 64 * 1024) {
    this.buf = new Uint8Array(initialSize);
  }

  reset(): void {
    this.pos = 0;
  }

  /** A copy of the bytes written, so that the writer can be reused. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  private ensure(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + bytes));
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

  /** An [epoch seconds, nanoseconds] time as fixed64 epoch nanoseconds, without BigInt. */
  time(field: number, time: HrTime): void {
    this.tag(field, WIRE_FIXED64);
    // seconds * 1e9 exceeds 2^53, so it is built from 16-bit halves of the seconds.
    const secHigh = Math.floor(time[0] / 65536);
    const secLow = time[0] - secHigh * 65536;
    const a = secHigh * 1e9; // times 2^16
    const aHigh = Math.floor(a / 65536);
    const low = secLow * 1e9 + time[1] + (a - aHigh * 65536) * 65536;
    const carry = Math.floor(low / TWO_32);
    this.rawFixed32(low - carry * TWO_32);
    this.rawFixed32(aHigh + carry);
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

  /** Lowercase or uppercase hex (an id) as bytes. */
  hexBytes(field: number, hex: string): void {
    const n = hex.length >>> 1;
    this.tag(field, WIRE_LENGTH);
    this.ensure(n + 1);
    const buf = this.buf;
    let pos = this.pos;
    buf[pos++] = n;
    for (let i = 0; i < hex.length; i += 2) buf[pos++] = (HEX[hex.charCodeAt(i)] << 4) | HEX[hex.charCodeAt(i + 1)];
    this.pos = pos;
  }

  bytes(field: number, bytes: Uint8Array): void {
    this.tag(field, WIRE_LENGTH);
    this.rawVarint(bytes.length);
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
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
    const buf = this.buf;
    const start = this.pos++;
    let pos = this.pos;
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
    buf[start] = pos - start - 1;
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

  join(mark: number): void {
    const reserve = mark & 7;
    const start = (mark - reserve) / 8;
    const bodyStart = start + reserve;
    const length = this.pos - bodyStart;
    const size = varintSize(length);
    if (size !== reserve) {
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
