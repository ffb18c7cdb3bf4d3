/*
 * A DDSketch-style histogram: logarithmic buckets of ratio gamma = (1+α)/(1−α), α = 1%, so every
 * quantile it answers is within 1% of the true value at that rank, and two histograms merge by
 * adding bucket counts — which is what makes per-minute partials from any ingester exact to merge.
 */
export const RELATIVE_ACCURACY = 0.01;
const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
const LN_GAMMA = Math.log(GAMMA);
// Values below this (durations under 1 ns) are counted as zero.
const MIN_VALUE = 1;

const FLAG_INTEGER_COUNTS = 1;

/** A mergeable latency histogram; values are durations in nanoseconds, counts may be weighted. */
export class LogHistogram {
  private readonly bins = new Map<number, number>();
  private zeroCount = 0;
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;

  add(value: number, weight = 1): void {
    if (value < MIN_VALUE) this.zeroCount += weight;
    else {
      const index = Math.ceil(Math.log(value) / LN_GAMMA);
      this.bins.set(index, (this.bins.get(index) ?? 0) + weight);
    }
    this.count += weight;
    this.sum += value * weight;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }

  merge(other: LogHistogram): this {
    for (const [index, n] of other.bins) this.bins.set(index, (this.bins.get(index) ?? 0) + n);
    this.zeroCount += other.zeroCount;
    this.count += other.count;
    this.sum += other.sum;
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
    return this;
  }

  /** The value at rank ⌊q·(count−1)⌋, within 1% relative error; NaN when empty. */
  quantile(q: number): number {
    if (this.count === 0) return NaN;
    const rank = q * (this.count - 1);
    let seen = this.zeroCount;
    if (seen > rank) return 0;
    const indexes = [...this.bins.keys()].sort((a, b) => a - b);
    for (const index of indexes) {
      seen += this.bins.get(index)!;
      if (seen > rank) return Math.min(this.max, Math.max(this.min, (2 * GAMMA ** index) / (GAMMA + 1)));
    }
    return this.max;
  }

  /** Compact binary form: header, then (index delta, count) pairs as varints (float64 counts when weighted). */
  encode(): Uint8Array {
    const indexes = [...this.bins.keys()].sort((a, b) => a - b);
    const integer = Number.isInteger(this.zeroCount) && indexes.every((i) => Number.isInteger(this.bins.get(i)));
    const out = new ByteWriter();
    out.byte(integer ? FLAG_INTEGER_COUNTS : 0);
    for (const v of [this.sum, this.min, this.max]) out.float(v);
    const writeCount = (n: number) => (integer ? out.varint(n) : out.float(n));
    writeCount(this.zeroCount);
    out.varint(indexes.length);
    let previous = 0;
    for (const index of indexes) {
      out.varint(zigzag(index - previous));
      previous = index;
      writeCount(this.bins.get(index)!);
    }
    return out.bytes();
  }

  static decode(bytes: Uint8Array): LogHistogram {
    const h = new LogHistogram();
    const input = new ByteReader(bytes);
    const integer = (input.byte() & FLAG_INTEGER_COUNTS) !== 0;
    h.sum = input.float();
    h.min = input.float();
    h.max = input.float();
    const readCount = () => (integer ? input.varint() : input.float());
    h.zeroCount = readCount();
    h.count = h.zeroCount;
    const n = input.varint();
    let index = 0;
    for (let i = 0; i < n; i++) {
      index += unzigzag(input.varint());
      const count = readCount();
      h.bins.set(index, count);
      h.count += count;
    }
    return h;
  }
}

const zigzag = (n: number): number => (n < 0 ? -2 * n - 1 : 2 * n);
const unzigzag = (n: number): number => (n % 2 === 1 ? -(n + 1) / 2 : n / 2);

class ByteWriter {
  private buffer = new Uint8Array(64);
  private view = new DataView(this.buffer.buffer);
  private length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buffer.length) return;
    const bigger = new Uint8Array(Math.max(this.buffer.length * 2, this.length + n));
    bigger.set(this.buffer);
    this.buffer = bigger;
    this.view = new DataView(bigger.buffer);
  }

  byte(b: number): void {
    this.reserve(1);
    this.buffer[this.length++] = b;
  }

  float(v: number): void {
    this.reserve(8);
    this.view.setFloat64(this.length, v, true);
    this.length += 8;
  }

  // Arithmetic rather than bit operations: counts can exceed 2^31.
  varint(n: number): void {
    this.reserve(8);
    while (n >= 0x80) {
      this.buffer[this.length++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buffer[this.length++] = n;
  }

  bytes(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

class ByteReader {
  private offset = 0;
  private readonly view: DataView;

  constructor(private readonly buffer: Uint8Array) {
    this.view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }

  byte(): number {
    return this.buffer[this.offset++];
  }

  float(): number {
    const v = this.view.getFloat64(this.offset, true);
    this.offset += 8;
    return v;
  }

  varint(): number {
    let n = 0;
    let scale = 1;
    for (;;) {
      const b = this.buffer[this.offset++];
      if (b === undefined) throw new RangeError('truncated histogram');
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
      scale *= 0x80;
    }
  }
}
