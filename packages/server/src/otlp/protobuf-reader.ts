import { Errors } from '../errors.js';
import { bytesToHex } from './hex.js';

/** Tag values (field number << 3 | wire type) are compared whole, so a wrong wire type falls to `skip`. */
export const WireType = { VARINT: 0, I64: 1, LEN: 2, SGROUP: 3, EGROUP: 4, I32: 5 } as const;

const MAX_GROUP_DEPTH = 32;

/**
 * A minimal protobuf wire-format reader, hand-written because OTLP ingest is the hot path:
 * reflection decoders (protobufjs) build an intermediate object tree and Long values per span,
 * while this reads straight into our span model. Every read takes `end`, the end of the enclosing
 * message, and throws the catalog's undecodable-body error instead of reading past it.
 */
export class ProtobufReader {
  pos = 0;
  private readonly view: DataView;
  private readonly text: Buffer;

  constructor(readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.text = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  malformed(detail: string): Error {
    return Errors.undecodableBody('protobuf', `${detail} at byte ${this.pos}`);
  }

  private truncated(): Error {
    return this.malformed('truncated message');
  }

  /** A field tag; field number 0 is never valid. */
  tag(end: number): number {
    const tag = this.uint32(end);
    if (tag >>> 3 === 0) throw this.malformed('field number 0');
    return tag;
  }

  /** A varint of up to 10 bytes, as its low 32 bits unsigned (int32, uint32, enums). */
  uint32(end: number): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos >= end) throw this.truncated();
    let b = buf[pos++];
    if (b < 0x80) {
      this.pos = pos;
      return b;
    }
    let value = b & 0x7f;
    for (let shift = 7; shift < 35; shift += 7) {
      if (pos >= end) throw this.truncated();
      b = buf[pos++];
      value |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return value >>> 0;
      }
    }
    this.pos = pos;
    this.skipVarintTail(end);
    return value >>> 0;
  }

  /** Consumes the continuation bytes of a varint after its fifth; ten bytes at most. */
  private skipVarintTail(end: number): void {
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 5; i < 10; i++) {
      if (pos >= end) throw this.truncated();
      if (buf[pos++] < 0x80) {
        this.pos = pos;
        return;
      }
    }
    throw this.malformed('varint longer than 10 bytes');
  }

  /** A varint as a bool: true when any bit is set. */
  bool(end: number): boolean {
    const buf = this.buf;
    let pos = this.pos;
    let any = 0;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) throw this.truncated();
      const b = buf[pos++];
      any |= b & 0x7f;
      if (b < 0x80) {
        this.pos = pos;
        return any !== 0;
      }
    }
    throw this.malformed('varint longer than 10 bytes');
  }

  /** A varint as a signed 64-bit integer. */
  int64(end: number): bigint {
    const buf = this.buf;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    let b = 0;
    let i = 0;
    for (; i < 4; i++) {
      if (pos >= end) throw this.truncated();
      b = buf[pos++];
      lo |= (b & 0x7f) << (i * 7);
      if (b < 0x80) {
        this.pos = pos;
        return BigInt(lo);
      }
    }
    if (pos >= end) throw this.truncated();
    b = buf[pos++];
    lo |= (b & 0x7f) << 28;
    hi = (b & 0x7f) >> 4;
    if (b >= 0x80) {
      for (i = 0; i < 5; i++) {
        if (pos >= end) throw this.truncated();
        b = buf[pos++];
        hi |= (b & 0x7f) << (i * 7 + 3);
        if (b < 0x80) break;
      }
      if (b >= 0x80) throw this.malformed('varint longer than 10 bytes');
    }
    this.pos = pos;
    lo >>>= 0;
    hi >>>= 0;
    if (hi < 0x200000) return BigInt(hi * 0x100000000 + lo);
    return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));
  }

  fixed32(end: number): number {
    const pos = this.pos;
    if (pos + 4 > end) throw this.truncated();
    this.pos = pos + 4;
    const buf = this.buf;
    return (buf[pos] | (buf[pos + 1] << 8) | (buf[pos + 2] << 16) | (buf[pos + 3] << 24)) >>> 0;
  }

  fixed64(end: number): bigint {
    const pos = this.pos;
    if (pos + 8 > end) throw this.truncated();
    this.pos = pos + 8;
    return this.view.getBigUint64(pos, true);
  }

  double(end: number): number {
    const pos = this.pos;
    if (pos + 8 > end) throw this.truncated();
    this.pos = pos + 8;
    return this.view.getFloat64(pos, true);
  }

  /** Reads the length of a length-delimited field; returns where its content ends. */
  lengthEnd(end: number): number {
    const buf = this.buf;
    let pos = this.pos;
    let len = 0;
    for (let shift = 0; ; shift += 7) {
      if (pos >= end) throw this.truncated();
      const b = buf[pos++];
      if (shift === 28 && b > 0x0f) throw this.malformed('length does not fit in 32 bits');
      len += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) break;
    }
    this.pos = pos;
    if (len > end - pos) throw this.malformed(`length ${len} runs past the end of its message`);
    return pos + len;
  }

  string(end: number): string {
    const stop = this.lengthEnd(end);
    const start = this.pos;
    this.pos = stop;
    return utf8(this.buf, this.text, start, stop);
  }

  /** A bytes field as lowercase hex (trace and span ids). */
  hex(end: number): string {
    const stop = this.lengthEnd(end);
    const start = this.pos;
    this.pos = stop;
    return bytesToHex(this.buf, start, stop);
  }

  /** A bytes field, copied so the result does not keep the request body alive. */
  bytes(end: number): Uint8Array {
    const stop = this.lengthEnd(end);
    const out = new Uint8Array(stop - this.pos);
    out.set(this.buf.subarray(this.pos, stop));
    this.pos = stop;
    return out;
  }

  /** Skips the value of a field the decoder does not know, by its wire type. */
  skip(tag: number, end: number, depth = 0): void {
    switch (tag & 7) {
      case WireType.VARINT:
        this.bool(end);
        return;
      case WireType.I64:
        if (this.pos + 8 > end) throw this.truncated();
        this.pos += 8;
        return;
      case WireType.LEN:
        this.pos = this.lengthEnd(end);
        return;
      case WireType.SGROUP: {
        if (depth >= MAX_GROUP_DEPTH) throw this.malformed('groups nested too deep');
        for (;;) {
          const inner = this.tag(end);
          if ((inner & 7) === WireType.EGROUP) {
            if (inner >>> 3 !== tag >>> 3) throw this.malformed('mismatched end group');
            return;
          }
          this.skip(inner, end, depth + 1);
        }
      }
      case WireType.I32:
        if (this.pos + 4 > end) throw this.truncated();
        this.pos += 4;
        return;
      default:
        throw this.malformed(`unexpected wire type ${tag & 7}`);
    }
  }
}

const CACHE_SLOTS = 4096;
const MAX_CACHED_LENGTH = 48;
const recent: string[] = new Array<string>(CACHE_SLOTS).fill('');

/**
 * Short ASCII strings repeat across spans (attribute keys, names, common values). Returning the
 * string made last time skips decoding and, for keys, V8's re-internalizing of a fresh string on
 * every property store: most of the decode time before. Only ASCII is cached, so comparing
 * bytes with char codes is exact.
 */
function utf8(buf: Uint8Array, text: Buffer, start: number, end: number): string {
  const len = end - start;
  if (len > MAX_CACHED_LENGTH) return text.toString('utf8', start, end);
  if (len === 0) return '';
  // Sampled bytes only: the comparison below is exact, so the hash need only spread the slots.
  let hash = Math.imul(len ^ buf[start], 0x01000193);
  hash = Math.imul(hash ^ buf[end - 1], 0x01000193);
  hash = Math.imul(hash ^ buf[start + (len >> 1)], 0x01000193);
  hash = Math.imul(hash ^ buf[end - 1 - (len >> 2)], 0x01000193);
  const slot = (hash ^ (hash >>> 15)) & (CACHE_SLOTS - 1);
  const hit = recent[slot];
  if (hit.length === len) {
    let i = 0;
    while (i < len && hit.charCodeAt(i) === buf[start + i]) i++;
    if (i === len) return hit;
  }
  for (let i = start; i < end; i++) if (buf[i] >= 0x80) return text.toString('utf8', start, end);
  const str = text.toString('latin1', start, end);
  recent[slot] = str;
  return str;
}
