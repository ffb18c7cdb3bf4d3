import { mkdirSync, readdirSync } from 'node:fs';
import { open, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

export interface DiskSpoolOptions {
  dir: string;
  /** Bytes of records held at most; `append` refuses beyond. */
  maxBytes: number;
  /** A new segment file is started past this size. Default 4 MiB. */
  segmentBytes?: number;
}

const HEADER = 4;
const SEGMENT = /^spool-(\d{12})\.seg$/;
const segmentName = (n: number) => `spool-${String(n).padStart(12, '0')}.seg`;

interface Segment {
  n: number;
  size: number;
}

/**
 * A bounded FIFO of byte records on disk, in append-only segment files of `[length u32 BE][bytes]`
 * records. `append` resolves once the record is fsync'd; `peek` gives the oldest record and `ack`
 * removes it, deleting a segment once all its records are acked. After a restart the records of
 * the partly acked first segment are handed out again (at least once). A torn last record (a crash
 * mid-write, never acknowledged) is ignored. Calls must not overlap: the owner serializes them.
 */
export class DiskSpool {
  private readonly segments: Segment[] = [];
  /** Offset of the next unacked record in the first segment. */
  private readOffset = 0;
  private headSize = 0;
  private writer: FileHandle | undefined;
  private reader: { n: number; fh: FileHandle } | undefined;
  private bytes = 0;

  constructor(private readonly options: DiskSpoolOptions) {
    mkdirSync(options.dir, { recursive: true });
    for (const name of readdirSync(options.dir).sort()) {
      const m = SEGMENT.exec(name);
      if (m) this.segments.push({ n: Number(m[1]), size: 0 });
    }
  }

  /** Reads segment sizes; call once before use. */
  async open(): Promise<void> {
    for (const s of this.segments) s.size = (await stat(this.path(s.n))).size;
    this.bytes = this.segments.reduce((sum, s) => sum + s.size, 0);
  }

  /** Bytes held, acked records of the first segment included until it is deleted. */
  get sizeBytes(): number {
    return this.bytes;
  }

  get isEmpty(): boolean {
    return this.segments.length === 0 || (this.segments.length === 1 && this.readOffset >= this.segments[0].size);
  }

  /** Appends and fsyncs; false (nothing written) when the record would exceed maxBytes. */
  async append(record: Uint8Array): Promise<boolean> {
    if (this.bytes + HEADER + record.length > this.options.maxBytes) return false;
    let last = this.segments.at(-1);
    // Segments left by an earlier run are never appended to: one may end in a torn record.
    if (!this.writer || !last || last.size >= (this.options.segmentBytes ?? 4 * 1024 * 1024)) {
      await this.writer?.close();
      last = { n: (last?.n ?? 0) + 1, size: 0 };
      this.segments.push(last);
      this.writer = await open(this.path(last.n), 'a');
    }
    const header = Buffer.alloc(HEADER);
    header.writeUInt32BE(record.length);
    await this.writer.writev([header, record]);
    await this.writer.sync();
    last.size += HEADER + record.length;
    this.bytes += HEADER + record.length;
    return true;
  }

  /** The oldest unacked record, or undefined when there is none. */
  async peek(): Promise<Uint8Array | undefined> {
    while (this.segments.length > 0) {
      const head = this.segments[0];
      if (this.readOffset + HEADER <= head.size) {
        const fh = await this.readerOf(head.n);
        const header = Buffer.alloc(HEADER);
        await fh.read(header, 0, HEADER, this.readOffset);
        const length = header.readUInt32BE(0);
        if (this.readOffset + HEADER + length <= head.size) {
          const record = Buffer.alloc(length);
          await fh.read(record, 0, length, this.readOffset + HEADER);
          this.headSize = HEADER + length;
          return record;
        }
      }
      // The head segment is used up (or ends in a torn record); only a finished segment goes.
      if (this.segments.length === 1 && this.writer) return undefined;
      await this.dropHead();
    }
    return undefined;
  }

  /** Removes the record the last `peek` returned. */
  async ack(): Promise<void> {
    this.readOffset += this.headSize;
    this.headSize = 0;
    if (this.segments[0] && this.readOffset >= this.segments[0].size) await this.dropHead();
  }

  async close(): Promise<void> {
    await this.writer?.close();
    await this.reader?.fh.close();
    this.writer = this.reader = undefined;
  }

  private async dropHead(): Promise<void> {
    const head = this.segments.shift()!;
    if (this.reader?.n === head.n) {
      await this.reader.fh.close();
      this.reader = undefined;
    }
    if (this.segments.length === 0) {
      await this.writer?.close();
      this.writer = undefined;
    }
    this.bytes -= head.size;
    this.readOffset = 0;
    await rm(this.path(head.n), { force: true });
  }

  private async readerOf(n: number): Promise<FileHandle> {
    if (this.reader?.n !== n) {
      await this.reader?.fh.close();
      this.reader = { n, fh: await open(this.path(n), 'r') };
    }
    return this.reader.fh;
  }

  private path(n: number): string {
    return join(this.options.dir, segmentName(n));
  }
}
