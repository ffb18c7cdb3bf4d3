import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, beforeEach, describe, it } from 'node:test';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { activeSpanId, assertQueuedQueryKeepsItsParent, startDbTestTracing, waitForSpans } from '../db/testing/db-test-tracing.js';
import type { DbTestTracing } from '../db/testing/db-test-tracing.js';
import { startMariadb } from '../db/testing/start-mariadb.js';
import type { RunningMariadb } from '../db/testing/start-mariadb.js';
import { instrumentMysql2 } from './instrument-mysql2.js';

type Callback = (err: Error | null, rows?: unknown) => void;
interface Connection {
  query(sql: unknown, cb?: Callback): unknown;
  query(sql: unknown, values: unknown, cb: Callback): unknown;
  execute(sql: unknown, cb: Callback): unknown;
  execute(sql: unknown, values: unknown, cb: Callback): unknown;
  end(cb?: () => void): void;
}
interface PromiseConnection {
  query(sql: string, values?: unknown[]): Promise<[unknown, unknown]>;
  execute(sql: string, values?: unknown[]): Promise<[unknown, unknown]>;
  end(): Promise<void>;
}
interface PromisePool extends PromiseConnection {
  getConnection(): Promise<PromiseConnection & { release(): void }>;
}
interface Mysql2 {
  createConnection(config: object): Connection;
  createPool(config: object): Connection;
}
interface Mysql2Promise {
  createConnection(config: object): Promise<PromiseConnection>;
  createPool(config: object): PromisePool;
}

let server: RunningMariadb;
let tracing: DbTestTracing;
let mysql: Mysql2;
let mysqlPromise: Mysql2Promise;
let config: object;
let conn: Connection;

const call = (fn: (cb: Callback) => unknown) =>
  new Promise<unknown>((resolve, reject) => {
    fn((err, rows) => (err ? reject(err) : resolve(rows)));
  });

before(async () => {
  server = await startMariadb();
  tracing = startDbTestTracing();
  instrumentMysql2();
  const require = createRequire(import.meta.url);
  mysqlPromise = require('mysql2/promise') as Mysql2Promise;
  mysql = require('mysql2') as Mysql2;
  const admin = await mysqlPromise.createConnection({ host: server.host, port: server.port, user: server.user, password: server.password });
  await admin.query('CREATE DATABASE shop');
  await admin.query('CREATE TABLE shop.items (id int PRIMARY KEY, name varchar(20))');
  await admin.query("INSERT INTO shop.items VALUES (1, 'one'), (2, 'two')");
  await admin.end();
  config = { host: server.host, port: server.port, user: server.user, password: server.password, database: 'shop' };
  conn = mysql.createConnection(config);
});
after(async () => {
  if (conn) await new Promise<void>((resolve) => conn.end(() => resolve()));
  await tracing?.shutdown();
  await server?.stop();
});
beforeEach(() => tracing.exporter.reset());

describe('mysql2 instrumentation', () => {
  it('makes a CLIENT span with the database conventions, sanitized, child of the caller, callback in the caller context', async () => {
    let parentId = '';
    let inCallback: string | undefined;
    await tracing.inParent('handler', (parent) => {
      parentId = parent.spanContext().spanId;
      return call((cb) =>
        conn.query(`SELECT id, name FROM items WHERE name <> 'secret' AND name <> "also secret" AND id < 10`, (err, rows) => {
          inCallback = activeSpanId();
          cb(err, rows);
        }),
      );
    });
    const [span] = await waitForSpans(tracing, 1);
    assert.equal(span.name, 'SELECT shop');
    assert.equal(span.kind, SpanKind.CLIENT);
    assert.equal(tracing.parentId(span), parentId);
    assert.equal(inCallback, parentId);
    assert.deepEqual(tracing.attrs(span), {
      'db.system.name': 'mysql',
      'db.system': 'mysql',
      'db.namespace': 'shop',
      'db.name': 'shop',
      'db.operation.name': 'SELECT',
      'db.query.text': 'SELECT id, name FROM items WHERE name <> ? AND name <> ? AND id < ?',
      'db.statement': 'SELECT id, name FROM items WHERE name <> ? AND name <> ? AND id < ?',
      'db.user': 'root',
      'server.address': '127.0.0.1',
      'server.port': server.port,
      'net.peer.name': '127.0.0.1',
      'net.peer.port': server.port,
      'db.response.returned_rows': 2,
    });
  });

  it('traces execute (prepared statements) and query with values; the values are not recorded', async () => {
    await call((cb) => conn.execute('SELECT name FROM items WHERE id = ?', [2], cb));
    await call((cb) => conn.query({ sql: 'UPDATE items SET name = ? WHERE id = ?', values: ['zwei', 2] }, cb));
    const [select, update] = await waitForSpans(tracing, 2);
    assert.equal(select.name, 'SELECT shop');
    assert.equal(tracing.attrs(select)['db.query.text'], 'SELECT name FROM items WHERE id = ?');
    assert.equal(update.name, 'UPDATE shop');
    assert.equal(tracing.attrs(update)['db.query.text'], 'UPDATE items SET name = ? WHERE id = ?');
  });

  it('records a failed query with status ERROR and the MySQL error number', async () => {
    await assert.rejects(call((cb) => conn.query('SELECT * FROM missing_table', cb)), /missing_table/);
    await assert.rejects(call((cb) => conn.execute('SELECT * FROM missing_table', [], cb)), /missing_table/);
    const spans = await waitForSpans(tracing, 2);
    for (const span of spans) {
      assert.equal(span.statusCode, SpanStatusCode.ERROR);
      assert.equal(tracing.attrs(span)['db.response.status_code'], '1146');
      assert.equal(span.events?.[0]?.name, 'exception');
    }
  });

  it('traces an event-emitting query', async () => {
    await new Promise<void>((resolve, reject) => {
      const query = conn.query('SELECT id FROM items') as { on(event: string, fn: (e?: unknown) => void): unknown };
      query.on('error', reject);
      query.on('end', () => resolve());
    });
    const [span] = await waitForSpans(tracing, 1);
    assert.equal(span.name, 'SELECT shop');
    assert.equal(span.statusCode, SpanStatusCode.UNSET);
  });

  it('traces the promise API, connections and pools, errors included', async () => {
    const pconn = await mysqlPromise.createConnection(config);
    try {
      const [rows] = await pconn.query('SELECT name FROM items WHERE id = 1');
      assert.equal((rows as { name: string }[])[0].name, 'one');
      await assert.rejects(pconn.execute('SELECT nope FROM items'), /nope/);
    } finally {
      await pconn.end();
    }
    const spans = (await waitForSpans(tracing, 2)).filter((s) => tracing.attrs(s)['db.query.text'] !== undefined);
    assert.deepEqual(
      spans.map((s) => [s.name, tracing.attrs(s)['db.query.text'], s.statusCode]),
      [
        ['SELECT shop', 'SELECT name FROM items WHERE id = ?', SpanStatusCode.UNSET],
        ['SELECT shop', 'SELECT nope FROM items', SpanStatusCode.ERROR],
      ],
    );
  });

  it('keeps each pooled query under the span that issued it, also when the pool queues it', async () => {
    const pool = mysqlPromise.createPool({ ...config, connectionLimit: 1 });
    try {
      const parents: string[] = [];
      const after: (string | undefined)[] = [];
      await Promise.all(
        [0, 1, 2].map((i) =>
          tracing.inParent(`request ${i}`, async (parent) => {
            parents[i] = parent.spanContext().spanId;
            if (i === 1) await pool.execute('SELECT SLEEP(0.02), ?', [i]);
            else await pool.query(`SELECT SLEEP(0.02), ${i}`);
            after[i] = activeSpanId();
          }),
        ),
      );
      const spans = await waitForSpans(tracing, 3);
      for (let i = 0; i < 3; i++) {
        assert.ok(spans.some((s) => tracing.parentId(s) === parents[i]), `query ${i} is a child of request ${i}`);
        assert.equal(after[i], parents[i], `request ${i} continues in its own context`);
      }

      await assertQueuedQueryKeepsItsParent(tracing, () => pool.getConnection(), (sql) => pool.query(sql));
    } finally {
      await pool.end();
    }
  });
});
