import { Kvm, type KV, type KvEntry } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { AlertChannel, AlertNotification, AlertRule, AlertSilence, AlertState } from '../../alerting/alert-model.js';
import type { AlertCollection, AlertStore } from '../../alerting/alert-store.js';

export interface NatsKvAlertStoreOptions {
  servers: string | string[];
  /** Default ARIADNE_ALERTS. */
  bucket?: string;
}

interface Lease {
  holder: string;
  expiresMs: number;
}

/** What NATS accepts in a key token; other ids (from a URL) cannot name a stored document. */
const KEY_TOKEN = /^[-_=a-zA-Z0-9]+$/;

const present = (entry: KvEntry | null): entry is KvEntry => entry !== null && entry.operation === 'PUT';

class NatsKvAlertCollection<T extends { id: string }> implements AlertCollection<T> {
  constructor(
    private readonly kv: KV,
    private readonly kind: string,
    private readonly sortMs: (doc: T) => number,
    private readonly ref: (doc: T) => string = () => '',
  ) {}

  // Lists read every document of the kind: alerting keeps tens to thousands, never spans' volumes.
  async list(options: { limit?: number; ref?: string } = {}): Promise<T[]> {
    const docs: T[] = [];
    for await (const key of await this.kv.keys(`${this.kind}.*`)) {
      const entry = await this.kv.get(key);
      if (!present(entry)) continue;
      const doc = entry.json<T>();
      if (options.ref === undefined || this.ref(doc) === options.ref) docs.push(doc);
    }
    docs.sort((a, b) => this.sortMs(b) - this.sortMs(a) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    return docs.slice(0, options.limit ?? docs.length);
  }

  async get(id: string): Promise<T | undefined> {
    if (!KEY_TOKEN.test(id)) return undefined;
    const entry = await this.kv.get(`${this.kind}.${id}`);
    return present(entry) ? entry.json<T>() : undefined;
  }

  async put(doc: T): Promise<void> {
    if (!KEY_TOKEN.test(doc.id)) throw new Error(`alert document id ${JSON.stringify(doc.id)} cannot be a NATS key`);
    await this.kv.put(`${this.kind}.${doc.id}`, JSON.stringify(doc));
  }

  async delete(id: string): Promise<boolean> {
    if (!KEY_TOKEN.test(id)) return false;
    const key = `${this.kind}.${id}`;
    const entry = await this.kv.get(key);
    if (!present(entry)) return false;
    await this.kv.purge(key);
    return true;
  }
}

/**
 * Alerting's documents and leases in a NATS JetStream key-value bucket, for deployments whose span
 * storage (ClickHouse) keeps no documents: every query instance shares it, and the evaluator lease
 * is a compare-and-set on the key's revision, so exactly one evaluator acts.
 */
export class NatsKvAlertStore implements AlertStore {
  readonly rules: NatsKvAlertCollection<AlertRule>;
  readonly channels: NatsKvAlertCollection<AlertChannel>;
  readonly silences: NatsKvAlertCollection<AlertSilence>;
  readonly states: NatsKvAlertCollection<AlertState>;
  readonly notifications: NatsKvAlertCollection<AlertNotification>;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly kv: KV,
  ) {
    this.rules = new NatsKvAlertCollection(kv, 'rule', (r) => r.createdAt);
    this.channels = new NatsKvAlertCollection(kv, 'channel', (c) => c.createdAt);
    this.silences = new NatsKvAlertCollection(kv, 'silence', (s) => s.createdAt);
    this.states = new NatsKvAlertCollection(kv, 'state', (s) => s.evaluatedAt);
    this.notifications = new NatsKvAlertCollection(kv, 'notification', (n) => n.createdAt, (n) => n.ruleId);
  }

  static async open(options: NatsKvAlertStoreOptions): Promise<NatsKvAlertStore> {
    const nc = await connect({ servers: options.servers, name: 'ariadne-alerts' });
    try {
      const kv = await new Kvm(nc).create(options.bucket ?? 'ARIADNE_ALERTS', { history: 1 });
      return new NatsKvAlertStore(nc, kv);
    } catch (err) {
      await nc.close();
      throw err;
    }
  }

  async acquireLease(name: string, holder: string, ttlMs: number, nowMs: number): Promise<boolean> {
    const key = `lease.${name}`;
    const value = JSON.stringify({ holder, expiresMs: nowMs + ttlMs } satisfies Lease);
    const entry = await this.kv.get(key);
    try {
      if (entry === null) {
        // Never taken: create fails if another holder created it first.
        await this.kv.create(key, value);
        return true;
      }
      if (entry.operation !== 'PUT') {
        await this.kv.update(key, value, entry.revision);
        return true;
      }
      const lease = entry.json<Lease>();
      if (lease.holder !== holder && lease.expiresMs > nowMs) return false;
      await this.kv.update(key, value, entry.revision);
      return true;
    } catch (err) {
      if (isWrongRevision(err)) return false;
      throw err;
    }
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    const key = `lease.${name}`;
    const entry = await this.kv.get(key);
    if (!present(entry) || entry.json<Lease>().holder !== holder) return;
    await this.kv.delete(key, { previousSeq: entry.revision }).catch((err: unknown) => {
      if (!isWrongRevision(err)) throw err;
    });
  }

  async shutdown(): Promise<void> {
    await this.nc.drain();
  }
}

/** The server's answer when a compare-and-set lost: the key moved on since it was read. */
function isWrongRevision(err: unknown): boolean {
  return err instanceof Error && /wrong last sequence|key exists/i.test(err.message);
}
