import { BIGINT, VARCHAR } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { AlertChannel, AlertNotification, AlertRule, AlertSilence, AlertState } from '../../alerting/alert-model.js';
import type { AlertCollection, AlertStore } from '../../alerting/alert-store.js';
import { Serial } from './serial.js';

// Documents as JSON text: alerting's volume is small and its shapes change more often than spans'.
export const ALERT_SCHEMA_SQL = [
  `CREATE TABLE IF NOT EXISTS alert_docs (
     kind VARCHAR NOT NULL, id VARCHAR NOT NULL, ref VARCHAR NOT NULL, sort_ms BIGINT NOT NULL, body VARCHAR NOT NULL,
     PRIMARY KEY (kind, id))`,
  `CREATE TABLE IF NOT EXISTS alert_leases (name VARCHAR PRIMARY KEY, holder VARCHAR NOT NULL, expires_ms BIGINT NOT NULL)`,
];

class DuckDbAlertCollection<T extends { id: string }> implements AlertCollection<T> {
  constructor(
    private readonly db: DuckDbAlertStore,
    private readonly kind: string,
    private readonly sortMs: (doc: T) => number,
    private readonly ref: (doc: T) => string = () => '',
  ) {}

  async list(options: { limit?: number; ref?: string } = {}): Promise<T[]> {
    const rows = await this.db.read(
      `SELECT body FROM alert_docs WHERE kind = $kind ${options.ref === undefined ? '' : 'AND ref = $ref'} ORDER BY sort_ms DESC, id DESC LIMIT $limit`,
      { kind: this.kind, limit: options.limit ?? 1_000_000, ...(options.ref === undefined ? {} : { ref: options.ref }) },
    );
    return rows.map(([body]) => JSON.parse(body as string) as T);
  }

  async get(id: string): Promise<T | undefined> {
    const rows = await this.db.read('SELECT body FROM alert_docs WHERE kind = $kind AND id = $id', { kind: this.kind, id });
    return rows.length === 0 ? undefined : (JSON.parse(rows[0][0] as string) as T);
  }

  async put(doc: T): Promise<void> {
    await this.db.write(
      `INSERT INTO alert_docs VALUES ($kind, $id, $ref, $sort, $body)
       ON CONFLICT (kind, id) DO UPDATE SET ref = excluded.ref, sort_ms = excluded.sort_ms, body = excluded.body`,
      { kind: this.kind, id: doc.id, ref: this.ref(doc), sort: this.sortMs(doc), body: JSON.stringify(doc) },
    );
  }

  async delete(id: string): Promise<boolean> {
    return (await this.db.write('DELETE FROM alert_docs WHERE kind = $kind AND id = $id', { kind: this.kind, id })) > 0;
  }
}

type Params = Record<string, string | number>;
const types = (params: Params) => Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'number' ? BIGINT : VARCHAR]));
const values = (params: Params) => Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'number' ? BigInt(Math.round(v)) : v]));

/** Alerting's documents and leases in the span store's DuckDB database, on a connection of its own. */
export class DuckDbAlertStore implements AlertStore {
  private readonly serial = new Serial();
  readonly rules = new DuckDbAlertCollection<AlertRule>(this, 'rule', (r) => r.createdAt);
  readonly channels = new DuckDbAlertCollection<AlertChannel>(this, 'channel', (c) => c.createdAt);
  readonly silences = new DuckDbAlertCollection<AlertSilence>(this, 'silence', (s) => s.createdAt);
  readonly states = new DuckDbAlertCollection<AlertState>(this, 'state', (s) => s.evaluatedAt);
  readonly notifications = new DuckDbAlertCollection<AlertNotification>(this, 'notification', (n) => n.createdAt, (n) => n.ruleId);

  private constructor(private readonly connection: DuckDBConnection) {}

  static async open(connection: DuckDBConnection): Promise<DuckDbAlertStore> {
    for (const sql of ALERT_SCHEMA_SQL) await connection.run(sql);
    return new DuckDbAlertStore(connection);
  }

  read(sql: string, params: Params) {
    return this.serial.run(async () => (await this.connection.runAndReadAll(sql, values(params), types(params))).getRows());
  }

  /** Resolves with the number of rows changed. */
  write(sql: string, params: Params): Promise<number> {
    return this.serial.run(async () => Number((await this.connection.run(sql, values(params), types(params))).rowsChanged));
  }

  async acquireLease(name: string, holder: string, ttlMs: number, nowMs: number): Promise<boolean> {
    const changed = await this.write(
      `INSERT INTO alert_leases VALUES ($name, $holder, $expires)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_ms = excluded.expires_ms
       WHERE alert_leases.holder = excluded.holder OR alert_leases.expires_ms <= $now`,
      { name, holder, expires: nowMs + ttlMs, now: nowMs },
    );
    return changed === 1;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.write('DELETE FROM alert_leases WHERE name = $name AND holder = $holder', { name, holder });
  }

  /** Waits for running statements, then closes the connection; the database stays open. */
  async close(): Promise<void> {
    await this.serial.run(async () => undefined);
    this.connection.closeSync();
  }
}
