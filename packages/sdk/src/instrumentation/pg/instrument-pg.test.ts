import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, beforeEach, describe, it } from 'node:test';
import { context, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { suppressTracing } from '../../context/suppress-tracing.js';
import { activeSpanId, assertQueuedQueryKeepsItsParent, startDbTestTracing, waitForSpans } from '../db/testing/db-test-tracing.js';
import type { DbTestTracing } from '../db/testing/db-test-tracing.js';
import { startPostgres } from '../db/testing/start-postgres.js';
import type { RunningPostgres } from '../db/testing/start-postgres.js';
import { instrumentPg } from './instrument-pg.js';

interface QueryResult {
  rows: Record<string, unknown>[];
}
type Callback = (err: Error | null, result: QueryResult) => void;
interface Queryable {
  query(text: unknown, cb: Callback): void;
  query(text: unknown, values: unknown, cb: Callback): void;
  query(text: unknown, values?: unknown): Promise<QueryResult>;
  end(): Promise<void>;
}
interface Client extends Queryable {
  connect(): Promise<void>;
}
interface Pool extends Queryable {
  connect(): Promise<Queryable & { release(): void }>;
}
interface Pg {
  Client: new (config: object) => Client;
  Pool: new (config: object) => Pool;
  Query: new (text: string, values?: unknown[], cb?: Callback) => { on(event: string, fn: (arg: unknown) => void): unknown };
}

let server: RunningPostgres;
let tracing: DbTestTracing;
let pg: Pg;
let client: Client;

before(async () => {
  server = await startPostgres();
  tracing = startDbTestTracing();
  instrumentPg();
  pg = createRequire(import.meta.url)('pg') as Pg;
  client = new pg.Client({ host: server.host, port: server.port, user: server.user, database: server.database });
  await client.connect();
  await client.query('CREATE TABLE items (id int PRIMARY KEY, name text)');
  await client.query("INSERT INTO items VALUES (1, 'one'), (2, 'two')");
});
after(async () => {
  await client?.end();
  await tracing?.shutdown();
  await server?.stop();
});
beforeEach(() => tracing.exporter.reset());

describe('pg instrumentation', () => {
  it('makes a CLIENT span with the database conventions, sanitized, child of the caller, callback in the caller context', async () => {
    let parentId = '';
    let inCallback: string | undefined;
    await tracing.inParent('handler', (parent) => {
      parentId = parent.spanContext().spanId;
      return new Promise<void>((resolve, reject) =>
        client.query("SELECT id, name FROM items WHERE name <> 'secret' AND id < 10", (err) => {
          inCallback = activeSpanId();
          if (err) reject(err);
          else resolve();
        }),
      );
    });
    const [span] = await waitForSpans(tracing, 1);
    assert.equal(span.name, 'SELECT postgres');
    assert.equal(span.kind, SpanKind.CLIENT);
    assert.equal(tracing.parentId(span), parentId);
    assert.equal(inCallback, parentId, 'the callback runs in the caller context, not the query span');
    assert.deepEqual(tracing.attrs(span), {
      'db.system.name': 'postgresql',
      'db.system': 'postgresql',
      'db.namespace': 'postgres',
      'db.name': 'postgres',
      'db.operation.name': 'SELECT',
      'db.query.text': 'SELECT id, name FROM items WHERE name <> ? AND id < ?',
      'db.statement': 'SELECT id, name FROM items WHERE name <> ? AND id < ?',
      'db.user': 'postgres',
      'server.address': '127.0.0.1',
      'server.port': server.port,
      'net.peer.name': '127.0.0.1',
      'net.peer.port': server.port,
      'db.response.returned_rows': 2,
    });
    assert.equal(span.statusCode, SpanStatusCode.UNSET);
  });

  it('traces promise queries and query configs; placeholders stay, values are not recorded', async () => {
    const result = await client.query({ text: 'SELECT name FROM items WHERE id = $1', values: [2] });
    assert.equal(result.rows[0].name, 'two');
    await client.query('UPDATE items SET name = $1 WHERE id = $2', ['zwei', 2]);
    const [select, update] = await waitForSpans(tracing, 2);
    assert.equal(tracing.attrs(select)['db.query.text'], 'SELECT name FROM items WHERE id = $1');
    assert.equal(update.name, 'UPDATE postgres');
    assert.equal(tracing.attrs(update)['db.query.text'], 'UPDATE items SET name = $1 WHERE id = $2');
  });

  it('records a failed query with status ERROR and the SQLSTATE, for promises, callbacks and config callbacks', async () => {
    await assert.rejects(client.query('SELECT * FROM missing_table'), /missing_table/);
    await new Promise<void>((resolve) => client.query('SELECT * FROM missing_table', [], () => resolve()));
    await new Promise<void>((resolve) => client.query({ text: 'SELECT * FROM missing_table', callback: () => resolve() }));
    const spans = await waitForSpans(tracing, 3);
    for (const span of spans) {
      assert.equal(span.statusCode, SpanStatusCode.ERROR);
      assert.match(span.statusMessage ?? '', /missing_table/);
      assert.equal(tracing.attrs(span)['db.response.status_code'], '42P01');
      assert.equal(tracing.attrs(span)['error.type'], '42P01');
      assert.equal(span.events?.[0]?.name, 'exception');
    }
  });

  it('keeps the fields a query config with a callback has from its prototype (a query builder)', async () => {
    class Statement {
      constructor(readonly callback: Callback) {}
      get text() {
        return 'SELECT name FROM items WHERE id = $1';
      }
      get values() {
        return [1];
      }
    }
    const rows = await new Promise<QueryResult['rows']>((resolve, reject) =>
      client.query(new Statement((err, result) => (err ? reject(err) : resolve(result.rows))), undefined as never),
    );
    assert.deepEqual(rows, [{ name: 'one' }]);
    const [span] = await waitForSpans(tracing, 1);
    assert.equal(tracing.attrs(span)['db.query.text'], 'SELECT name FROM items WHERE id = $1');
  });

  it('traces a Submittable query through its events', async () => {
    const rows: unknown[] = [];
    await new Promise<void>((resolve, reject) => {
      const query = new pg.Query('SELECT id FROM items ORDER BY id');
      query.on('row', (row) => rows.push(row));
      query.on('end', () => resolve());
      query.on('error', reject);
      void client.query(query);
    });
    const [span] = await waitForSpans(tracing, 1);
    assert.equal(rows.length, 2);
    assert.equal(span.name, 'SELECT postgres');
    assert.equal(span.statusCode, SpanStatusCode.UNSET);
  });

  it('keeps each pooled query under the span that issued it, also when the pool queues it', async () => {
    const pool = new pg.Pool({ host: server.host, port: server.port, user: server.user, database: server.database, max: 1 });
    try {
      const parents: string[] = [];
      const inCallbacks: (string | undefined)[] = [];
      await Promise.all(
        [0, 1, 2].map((i) =>
          tracing.inParent(`request ${i}`, async (parent) => {
            parents[i] = parent.spanContext().spanId;
            if (i === 2) {
              await new Promise<void>((resolve, reject) =>
                pool.query('SELECT pg_sleep(0.02), 2 AS i', undefined, (err) => {
                  inCallbacks[i] = activeSpanId();
                  if (err) reject(err);
                  else resolve();
                }),
              );
            } else {
              await pool.query(`SELECT pg_sleep(0.02), ${i} AS i`);
              inCallbacks[i] = activeSpanId();
            }
          }),
        ),
      );
      const spans = await waitForSpans(tracing, 3);
      for (let i = 0; i < 3; i++) {
        const span = spans.find((s) => tracing.parentId(s) === parents[i]);
        assert.ok(span, `query ${i} is a child of request ${i}`);
        assert.equal(inCallbacks[i], parents[i], `query ${i} continues in request ${i}`);
      }
      assert.equal(spans.filter((s) => tracing.attrs(s)['db.query.text'] === 'SELECT pg_sleep(?), ? AS i').length, 3);

      await assertQueuedQueryKeepsItsParent(tracing, () => pool.connect(), (sql) => pool.query(sql));
    } finally {
      await pool.end();
    }
  });

  it('records nothing while tracing is suppressed', async () => {
    await context.with(suppressTracing(context.active()), () => client.query('SELECT 1'));
    await client.query('SELECT 2');
    const spans = await waitForSpans(tracing, 1);
    assert.equal(spans.length, 1);
    assert.equal(tracing.attrs(spans[0])['db.query.text'], 'SELECT ?');
  });
});
