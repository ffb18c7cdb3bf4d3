import { randomFillSync } from 'node:crypto';

/** Makes trace and span ids: lowercase hex, never all zeros. */
export interface IdGenerator {
  generateTraceId(): string;
  generateSpanId(): string;
}

const INVALID_TRACE_ID = '00000000000000000000000000000000';
const INVALID_SPAN_ID = '0000000000000000';

/**
 * Random ids from a pooled CSPRNG buffer: one randomFillSync call serves hundreds of ids, and
 * all 16 trace-id bytes are random, which W3C Trace Context Level 2's random flag promises.
 */
export class RandomIdGenerator implements IdGenerator {
  private readonly pool = Buffer.allocUnsafe(8192);
  private pos = this.pool.length;

  private take(bytes: number): string {
    if (this.pos + bytes > this.pool.length) {
      randomFillSync(this.pool);
      this.pos = 0;
    }
    const id = this.pool.toString('hex', this.pos, this.pos + bytes);
    this.pos += bytes;
    return id;
  }

  generateTraceId(): string {
    let id = this.take(16);
    while (id === INVALID_TRACE_ID) id = this.take(16);
    return id;
  }

  generateSpanId(): string {
    let id = this.take(8);
    while (id === INVALID_SPAN_ID) id = this.take(8);
    return id;
  }
}
