/**
 * A minimal protobuf wire-format writer into one growing buffer, the counterpart of
 * `ProtobufReader`. A nested message is written in place after a one-byte length slot; when it
 * turns out longer than 127 bytes its bytes move up to make room for the longer varint, which is
 * rare below the span level and cheaper than a sizing pass over every message.
 */
export class ProtobufWriter {
  private buf: Buffer;
  private view: DataView;
  pos = 0;

  constructor(initialSize = 4096) {
    this.buf = Buffer.allocUnsafe(initialSize);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /** The bytes written so far (a view of the writer's buffer, valid until it writes again). */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
    this.view = new DataView(grown.buffer, grown.byteOffset, grown.byteLength);
  }

  uint32(value: number): void {
    this.ensure(5);
    let v = value >>> 0;
    while (v >= 0x80) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[this.pos++] = v;
  }

  /** An int64 varint: negative values take ten bytes, in two's complement, as protobuf says. */
  int64(value: bigint): void {
    if (value >= 0n && value < 0x80000000n) return this.uint32(Number(value));
    this.ensure(10);
    let v = BigInt.asUintN(64, value);
    while (v >= 0x80n) {
      this.buf[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.pos++] = Number(v);
  }

  fixed32(value: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, value, true);
    this.pos += 4;
  }

  fixed64(value: bigint): void {
    this.ensure(8);
    this.view.setBigUint64(this.pos, BigInt.asUintN(64, value), true);
    this.pos += 8;
  }

  double(value: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, value, true);
    this.pos += 8;
  }

  string(value: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit; short strings get the one-byte length slot.
    const max = value.length * 3;
    this.ensure(max + 5);
    if (max < 0x80) {
      const n = this.buf.write(value, this.pos + 1, 'utf8');
      this.buf[this.pos] = n;
      this.pos += 1 + n;
    } else {
      const start = this.fork();
      this.pos += this.buf.write(value, this.pos, 'utf8');
      this.join(start);
    }
  }

  bytes(value: Uint8Array): void {
    this.uint32(value.length);
    this.ensure(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
  }

  /** Lowercase hex as the bytes it spells (span and trace ids). */
  hex(value: string): void {
    this.ensure(value.length / 2 + 1);
    this.buf[this.pos] = value.length / 2;
    this.pos += 1 + this.buf.write(value, this.pos + 1, 'hex');
  }

  /** Starts a length-delimited field's content; returns the mark for `join`. */
  fork(): number {
    this.ensure(1);
    return this.pos++;
  }

  /** Ends what `fork` started, writing its length before it. */
  join(mark: number): void {
    const start = mark + 1;
    const length = this.pos - start;
    if (length < 0x80) {
      this.buf[mark] = length;
      return;
    }
    let extra = 0;
    for (let v = length >>> 7; v > 0; v >>>= 7) extra++;
    this.ensure(extra);
    this.buf.copyWithin(start + extra, start, this.pos);
    this.pos = mark;
    this.uint32(length);
    this.pos += length;
  }
}
