import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_CONFIG, helpText, parseCommand } from './config.js';

function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const command = parseCommand(argv, env);
  assert.equal(command.kind, 'run');
  return command.kind === 'run' ? command.config : DEFAULT_CONFIG;
}

describe('parseCommand', () => {
  it('uses the documented defaults', () => {
    const config = run([]);
    assert.equal(config.otlpHttpPort, 4318);
    assert.equal(config.queryPort, 16686);
    assert.equal(config.dataDir, './data');
    assert.equal(config.retentionHours, 168);
  });

  it('takes flags over environment over config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ariadne-config-'));
    const file = join(dir, 'ariadne.json');
    writeFileSync(file, JSON.stringify({ dataDir: '/from-file', queryPort: 1111, retentionHours: 2 }));
    const config = run(['--config', file, '--data-dir', '/from-flag'], { ARIADNE_DATA_DIR: '/from-env', ARIADNE_QUERY_PORT: '2222' });
    assert.equal(config.dataDir, '/from-flag');
    assert.equal(config.queryPort, 2222);
    assert.equal(config.retentionHours, 2);
  });

  it('names the setting that is wrong', () => {
    assert.throws(() => parseCommand(['--otlp-http-port', 'abc'], {}), /--otlp-http-port \(ARIADNE_OTLP_HTTP_PORT\) must be a whole number/);
    assert.throws(() => parseCommand([], { ARIADNE_RETENTION_HOURS: '-1' }), /--retention-hours/);
    assert.throws(() => parseCommand(['--no-such-flag'], {}), /no-such-flag.*--help/);
    assert.throws(() => parseCommand(['--log-level', 'loud'], {}), /--log-level must be one of/);
    assert.throws(() => parseCommand(['--query-port', '70000'], {}), /queryPort must be a port number/);
    assert.throws(() => parseCommand(['--role', 'router'], {}), /--role must be one of all-in-one, agent, gateway, ingester, query/);
  });

  it("checks each role's settings at startup, naming the missing flag", () => {
    assert.throws(() => parseCommand(['--role', 'gateway'], {}), /--role gateway needs --queue nats or kafka/);
    assert.throws(() => parseCommand(['--role', 'gateway', '--queue', 'nats'], {}), /--nats-url is required with --queue nats/);
    assert.throws(() => parseCommand(['--role', 'gateway', '--queue', 'nats', '--nats-url', 'nats://n:4222'], {}), /--tokens-file is required/);
    assert.throws(() => parseCommand(['--role', 'ingester', '--queue', 'kafka'], {}), /--kafka-brokers is required/);
    assert.throws(() => parseCommand(['--role', 'query', '--storage', 'clickhouse'], {}), /--clickhouse-url is required/);
    assert.throws(() => parseCommand(['--role', 'agent', '--gateway-url', 'gw:4318', '--agent-token', 't'], {}), /--gateway-url must be an http\(s\) URL/);
    assert.throws(() => parseCommand(['--role', 'agent'], {}), /--gateway-url is required by the agent role/);
    assert.throws(() => parseCommand(['--queue', 'nats'], {}), /all-in-one uses memory/);
    assert.throws(() => parseCommand(['--storage', 'postgres'], {}), /--storage must be one of duckdb, clickhouse/);
    const ingester = run(['--role', 'ingester', '--queue', 'nats', '--nats-url', 'nats://n:4222', '--storage', 'clickhouse'], { ARIADNE_CLICKHOUSE_URL: 'http://ch:8123' });
    assert.equal(ingester.clickhouseUrl, 'http://ch:8123');
    assert.equal(ingester.queuePartitions, 16);
  });

  it('rejects a config file that is missing, malformed or has unknown keys', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ariadne-config-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ nope');
    assert.throws(() => parseCommand(['--config', bad], {}), /not valid JSON/);
    const unknown = join(dir, 'unknown.json');
    writeFileSync(unknown, JSON.stringify({ dataDirectory: 'x' }));
    assert.throws(() => parseCommand(['--config', unknown], {}), /unknown setting 'dataDirectory'/);
    assert.throws(() => parseCommand(['--config', join(dir, 'missing.json')], {}), /cannot read config file/);
  });

  it('answers --help and --version', () => {
    assert.deepEqual(parseCommand(['--help'], {}), { kind: 'help' });
    assert.deepEqual(parseCommand(['--version'], {}), { kind: 'version' });
    assert.match(helpText(), /--data-dir[\s\S]*ARIADNE_DATA_DIR, default \.\/data/);
  });
});

describe('stream processing settings', () => {
  it('default to processors on and tail sampling off', () => {
    const config = run([]);
    assert.equal(config.processors, 'all');
    assert.equal(config.tailSampling, false);
  });

  it('parse booleans and check ranges', () => {
    const config = run(['--tail-sampling', 'true', '--tail-sampling-probability', '0.25'], { ARIADNE_PROCESSORS: 'none' });
    assert.equal(config.tailSampling, true);
    assert.equal(config.tailSamplingProbability, 0.25);
    assert.equal(config.processors, 'none');
    assert.throws(() => parseCommand(['--tail-sampling', 'maybe'], {}), { code: 'ARIADNE_INVALID_CONFIG' });
    assert.throws(() => parseCommand(['--tail-sampling-probability', '2'], {}), { code: 'ARIADNE_INVALID_CONFIG' });
    assert.throws(() => parseCommand(['--processors', 'some'], {}), { code: 'ARIADNE_INVALID_CONFIG' });
  });

  it('take the ingester batch bounds from flags or environment and check them', () => {
    assert.equal(run([]).ingesterBatchSpans, 2000);
    assert.equal(run([]).ingesterBatchLingerMs, 50);
    const config = run(['--ingester-batch-spans', '500'], { ARIADNE_INGESTER_BATCH_LINGER_MS: '0', ARIADNE_INGESTER_BATCH_BYTES: '1048576' });
    assert.equal(config.ingesterBatchSpans, 500);
    assert.equal(config.ingesterBatchLingerMs, 0);
    assert.equal(config.ingesterBatchBytes, 1_048_576);
    assert.throws(() => parseCommand(['--ingester-batch-spans', '0'], {}), /--ingester-batch-spans must be at least 1/);
    assert.throws(() => parseCommand(['--ingester-batch-bytes', '0'], {}), /--ingester-batch-bytes must be at least 1/);
    assert.throws(() => parseCommand([], { ARIADNE_INGESTER_BATCH_LINGER_MS: '2.5' }), /--ingester-batch-linger-ms \(ARIADNE_INGESTER_BATCH_LINGER_MS\) must be a whole number/);
    assert.throws(() => parseCommand(['--ingester-batch-linger-ms', '60000'], {}), /at most 5000/);
  });
});
