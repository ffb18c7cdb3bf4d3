import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { endDbSpan, redisQueryText, resetDbSemconvChoice, sanitizeSql, sqlOperation, startDbSpan } from './db-span.js';
import { startDbTestTracing } from './testing/db-test-tracing.js';
import type { DbTestTracing } from './testing/db-test-tracing.js';

describe('sanitizeSql', () => {
  it('replaces string, numeric and hex literals, keeps identifiers and placeholders', () => {
    assert.equal(sanitizeSql("SELECT * FROM t1 WHERE a = 'x''y' AND b > -1.5e3 AND c IN (1, 2) AND d = 0xFF"), 'SELECT * FROM t1 WHERE a = ? AND b > ? AND c IN (?, ?) AND d = ?');
    assert.equal(sanitizeSql('UPDATE t SET a = $1 WHERE id = $2'), 'UPDATE t SET a = $1 WHERE id = $2');
    assert.equal(sanitizeSql('SELECT col2, t.x3 FROM s.t LIMIT 10'), 'SELECT col2, t.x3 FROM s.t LIMIT ?');
    assert.equal(sanitizeSql("SELECT 'it\\'s' AS s"), 'SELECT ? AS s');
  });

  it('knows PostgreSQL prefixed and dollar-quoted strings, and that "x" is an identifier there', () => {
    assert.equal(sanitizeSql(`SELECT E'a\\nb', $$x 'y' 1$$, $fn$body$fn$ FROM "Table1"`), 'SELECT ?, ?, ? FROM "Table1"');
  });

  it('treats "x" as a string for MySQL', () => {
    assert.equal(sanitizeSql('SELECT * FROM `t` WHERE a = "secret" AND b = \'x\'', true), 'SELECT * FROM `t` WHERE a = ? AND b = ?');
  });
});

describe('sqlOperation', () => {
  it('is the first keyword, upper case, after comments', () => {
    assert.equal(sqlOperation('  select 1'), 'SELECT');
    assert.equal(sqlOperation('/* app */ insert into t values (1)'), 'INSERT');
    assert.equal(sqlOperation('-- note\nDELETE FROM t'), 'DELETE');
    assert.equal(sqlOperation(''), undefined);
    assert.equal(sqlOperation('\n  (SELECT 1) UNION (SELECT 2)'), undefined);
    assert.equal(sqlOperation('/* unterminated select'), undefined);
  });

  // The regular expression with nested repeats this replaced took exponential time here (over a
  // second for 26 spaces): with it, this would not end.
  it('stays linear on a long run of whitespace before a non-word character', () => {
    assert.equal(sqlOperation(`${' '.repeat(100_000)}(`), undefined);
    assert.equal(sqlOperation(`${' \n'.repeat(50_000)}select 1`), 'SELECT');
  });
});

describe('redisQueryText', () => {
  it('keeps the command and key, replaces every other argument', () => {
    assert.equal(redisQueryText('SET', ['user:1', 'v', 'EX', 60]), 'SET user:1 ? ? ?');
    assert.equal(redisQueryText('GET', [Buffer.from('k')]), 'GET k');
    assert.equal(redisQueryText('PING', []), 'PING');
  });

  it('never keeps the first argument of AUTH, HELLO or ECHO', () => {
    assert.equal(redisQueryText('AUTH', ['password']), 'AUTH ?');
    assert.equal(redisQueryText('AUTH', ['user', 'password']), 'AUTH ? ?');
    assert.equal(redisQueryText('HELLO', ['3', 'AUTH', 'u', 'p']), 'HELLO ? ? ? ?');
  });
});

describe('startDbSpan', () => {
  let tracing: DbTestTracing;
  before(() => {
    tracing = startDbTestTracing();
  });
  after(async () => {
    delete process.env.OTEL_SEMCONV_STABILITY_OPT_IN;
    resetDbSemconvChoice();
    await tracing.shutdown();
  });
  const call = () => ({ system: 'postgresql', operation: 'SELECT', query: 'SELECT ?', namespace: 'shop', host: 'db', port: 5432, user: 'app' });

  it('emits the stable names and the older ones by default, only the stable ones with OTEL_SEMCONV_STABILITY_OPT_IN=database', () => {
    tracing.exporter.reset();
    resetDbSemconvChoice();
    endDbSpan(startDbSpan(call)!);
    process.env.OTEL_SEMCONV_STABILITY_OPT_IN = 'http,database';
    resetDbSemconvChoice();
    endDbSpan(startDbSpan(call)!);
    const [both, stable] = tracing.clientSpans();
    assert.equal(both.kind, SpanKind.CLIENT);
    assert.equal(both.name, 'SELECT shop');
    assert.deepEqual(Object.keys(tracing.attrs(both)).sort(), [
      'db.name', 'db.namespace', 'db.operation.name', 'db.query.text', 'db.statement', 'db.system', 'db.system.name', 'db.user',
      'net.peer.name', 'net.peer.port', 'server.address', 'server.port',
    ]);
    assert.deepEqual(Object.keys(tracing.attrs(stable)).sort(), ['db.namespace', 'db.operation.name', 'db.query.text', 'db.system.name', 'server.address', 'server.port']);
  });

  it('leaves the call untraced when describing it throws', () => {
    assert.equal(
      startDbSpan(() => {
        throw new Error('odd arguments');
      }),
      undefined,
    );
  });

  it('ends a span once, failed with the error', () => {
    tracing.exporter.reset();
    const span = startDbSpan(call)!;
    endDbSpan(span, Object.assign(new Error('relation "x" does not exist'), { code: '42P01', severity: 'ERROR' }));
    endDbSpan(span);
    const [ended] = tracing.clientSpans();
    assert.equal(tracing.clientSpans().length, 1);
    assert.equal(ended.statusCode, SpanStatusCode.ERROR);
    assert.equal(tracing.attrs(ended)['db.response.status_code'], '42P01');
  });
});
