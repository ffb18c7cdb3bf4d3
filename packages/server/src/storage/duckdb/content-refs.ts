import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * The dense ids of the committed rows of a content-hashed table (resources, scopes), by hash.
 * Ids are never reused within a process, so a reader's cache by id stays right after a purge.
 */
export class ContentRefs {
  private ids = new Map<bigint, number>();
  private next = 1;

  constructor(private readonly table: 'resources' | 'scopes') {}

  /** Reads the committed ids (at open and after a purge). */
  async load(connection: DuckDBConnection): Promise<void> {
    const rows = (await connection.runAndReadAll(`SELECT hash, id FROM ${this.table}`)).getRows();
    this.ids = new Map(rows.map(([hash, id]) => [hash as bigint, id as number]));
    for (const id of this.ids.values()) if (id >= this.next) this.next = id + 1;
  }

  get(hash: bigint): number | undefined {
    return this.ids.get(hash);
  }

  /** A new id for a row that is being inserted; `forget` it if the insert is rolled back. */
  add(hash: bigint): number {
    const id = this.next++;
    this.ids.set(hash, id);
    return id;
  }

  forget(hash: bigint): void {
    this.ids.delete(hash);
  }
}
