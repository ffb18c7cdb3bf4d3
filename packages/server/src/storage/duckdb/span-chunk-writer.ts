import duckdb from '@duckdb/node-bindings';
import { DuckDBDataChunk } from '@duckdb/node-api';
import type { DuckDBAppender, DuckDBType } from '@duckdb/node-api';

// DuckDB's vector size: a data chunk holds at most this many rows.
export const CHUNK_ROWS = 2048;

/** How a column's value is written into the chunk's buffer. */
export type ColumnKind = 'u8' | 'u32' | 'i64' | 'u64id' | 'u128id' | 'text';

const WIDTH: Record<ColumnKind, number> = { u8: 1, u32: 4, i64: 8, u64id: 8, u128id: 16, text: 16 };

const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) HEX['0123456789abcdef'.charCodeAt(i)] = i;

/*
 * Fills DuckDB data chunks column by column in plain JS buffers and hands each column over with
 * one copy, instead of the node-api vectors' per-value calls, caches and BigInt conversions: ids
 * go from hex straight to the integer's bytes, strings of at most 12 ASCII bytes are written
 * inline in DuckDB's string layout (4-byte length, zero-padded data) and only longer strings cost
 * a call each. Rows are set with `set*` and appended with `appendRows`.
 */
export class SpanChunkWriter {
  private readonly chunk: DuckDBDataChunk;
  private readonly buffers: ArrayBuffer[];
  private readonly bytes: Uint8Array[];
  private readonly words: Uint32Array[];
  private readonly longs: BigInt64Array[];
  // Strings too long to inline, per text column: row, value, row, value…
  private readonly long: (number | string)[][];

  constructor(
    types: readonly DuckDBType[],
    private readonly kinds: readonly ColumnKind[],
  ) {
    this.chunk = DuckDBDataChunk.create(types);
    this.buffers = kinds.map((kind) => new ArrayBuffer(CHUNK_ROWS * WIDTH[kind]));
    this.bytes = this.buffers.map((b) => new Uint8Array(b));
    this.words = this.buffers.map((b) => new Uint32Array(b, 0, b.byteLength >> 2));
    this.longs = this.buffers.map((b) => new BigInt64Array(b, 0, b.byteLength >> 3));
    this.long = kinds.map(() => []);
  }

  setU8(column: number, row: number, value: number): void {
    this.bytes[column][row] = value;
  }

  setU32(column: number, row: number, value: number): void {
    this.words[column][row] = value;
  }

  setI64(column: number, row: number, value: bigint): void {
    this.longs[column][row] = value;
  }

  /** A 16-hex-char id as UBIGINT; '' is 0. */
  setId64(column: number, row: number, hex: string): void {
    const w = this.words[column];
    if (hex === '') {
      w[row * 2] = w[row * 2 + 1] = 0;
      return;
    }
    if (hex.length !== 16) throw invalidId(hex);
    w[row * 2 + 1] = hexWord(hex, 0);
    w[row * 2] = hexWord(hex, 8);
  }

  /** A 32-hex-char id as UHUGEINT (lower 64 bits first, each little-endian). */
  setId128(column: number, row: number, hex: string): void {
    if (hex.length !== 32) throw invalidId(hex);
    const w = this.words[column];
    const i = row * 4;
    w[i + 3] = hexWord(hex, 0);
    w[i + 2] = hexWord(hex, 8);
    w[i + 1] = hexWord(hex, 16);
    w[i] = hexWord(hex, 24);
  }

  setText(column: number, row: number, text: string): void {
    const b = this.bytes[column];
    const at = row * 16;
    const n = text.length;
    if (n <= 12) {
      let ascii = true;
      for (let i = 0; i < n; i++) {
        const c = text.charCodeAt(i);
        if (c > 0x7f) {
          ascii = false;
          break;
        }
        b[at + 4 + i] = c;
      }
      if (ascii) {
        this.words[column][row * 4] = n;
        b.fill(0, at + 4 + n, at + 16);
        return;
      }
    }
    this.long[column].push(row, text);
  }

  /** Appends the first `rows` rows set since the last call. */
  appendRows(appender: DuckDBAppender, rows: number): void {
    const raw = this.chunk.chunk;
    duckdb.data_chunk_reset(raw);
    duckdb.data_chunk_set_size(raw, rows);
    for (let c = 0; c < this.kinds.length; c++) {
      const vector = duckdb.data_chunk_get_vector(raw, c);
      duckdb.copy_data_to_vector(vector, 0, this.buffers[c], 0, rows * WIDTH[this.kinds[c]]);
      const long = this.long[c];
      for (let i = 0; i < long.length; i += 2) duckdb.vector_assign_string_element(vector, long[i] as number, long[i + 1] as string);
      long.length = 0;
    }
    appender.appendDataChunk(this.chunk);
  }

  /** Forgets rows set but not appended (a batch that failed half-way). */
  clear(): void {
    for (const long of this.long) long.length = 0;
  }
}

function hexWord(hex: string, at: number): number {
  let word = 0;
  for (let i = at; i < at + 8; i++) {
    const c = hex.charCodeAt(i);
    const v = c < 128 ? HEX[c] : -1;
    if (v < 0) throw invalidId(hex);
    word = (word << 4) | v;
  }
  return word >>> 0;
}

const invalidId = (hex: string) => new RangeError(`not a hex span or trace id: '${hex}'`);
