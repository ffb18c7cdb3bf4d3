// The framework and log instrumentations through the real entry: the bundled register, a child
// process, ES module imports, spans received over OTLP.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, before, it } from 'node:test';
import { buildRegister } from '../../testdata/build-register.js';
import { selectInstrumentations } from '../auto-instrumentations.js';
import type { RegisterBundles } from '../../testdata/build-register.js';
import { startOtlpSink } from '../../testdata/otlp-sink.js';
import type { OtlpSink } from '../../testdata/otlp-sink.js';

const SERVER = 2;
let bundles: RegisterBundles;
let sink: OtlpSink;

before(async () => {
  bundles = buildRegister();
  sink = await startOtlpSink();
});
after(async () => {
  bundles.remove();
  await sink.close();
});

function get(port: number, path: string, traceId: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers = { traceparent: `00-${traceId}-00f067aa0ba902b7-01` };
    request({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    })
      .on('error', reject)
      .end();
  });
}

const registered = selectInstrumentations({});
const missing = ['express', 'fastify', 'koa', 'pino', 'winston'].filter((name) => !registered.includes(name));
const skip = missing.length > 0 && `not in the register's instrumentation list yet: ${missing.join(', ')}`;

it('names server spans after express, fastify and koa routes and correlates pino and winston logs', { skip }, async () => {
  const app = fileURLToPath(new URL('./testdata/frameworks-app.mjs', import.meta.url));
  const child = spawn(process.execPath, ['--import', bundles.esm, app], {
    env: {
      PATH: process.env.PATH,
      OTEL_SERVICE_NAME: 'frameworks',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: sink.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c));
  const exit = once(child, 'exit');
  const lines: string[] = [];
  const ports = await new Promise<Record<string, number>>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const parsed = JSON.parse(line);
      if (typeof parsed.express === 'number') resolve(parsed);
    });
    void exit.then(() => reject(new Error(`app exited before listening: ${stderr}`)));
  });

  const traces = { express: 'a'.repeat(32), fastify: 'b'.repeat(32), koa: 'c'.repeat(32) };
  assert.equal(await get(ports.express, '/users/1', traces.express), 200);
  assert.equal(await get(ports.fastify, '/items/2', traces.fastify), 200);
  assert.equal(await get(ports.koa, '/orders/3', traces.koa), 200);
  await new Promise((resolve) => setTimeout(resolve, 100));
  child.kill('SIGTERM');
  await exit;

  const serverOf = (traceId: string) => sink.spans.find((s) => s.traceId === traceId && s.kind === SERVER);
  const childrenOf = (traceId: string) => sink.spans.filter((s) => s.traceId === traceId && s.kind !== SERVER).map((s) => s.name);
  const expressServer = serverOf(traces.express)!;
  assert.equal(expressServer.name, 'GET /users/:id');
  assert.equal(expressServer.attributes['http.route'], '/users/:id');
  assert.ok(childrenOf(traces.express).includes('request handler - /users/:id'), String(childrenOf(traces.express)));
  assert.equal(serverOf(traces.fastify)!.name, 'GET /items/:id');
  assert.ok(childrenOf(traces.fastify).some((n) => n.startsWith('request handler - ')));
  assert.equal(serverOf(traces.koa)!.name, 'GET /orders/:id');
  assert.deepEqual(childrenOf(traces.koa), ['router - /orders/:id']);

  const handlerSpan = sink.spans.find((s) => s.traceId === traces.express && s.name === 'request handler - /users/:id')!;
  const records = lines.filter((l) => l.includes('"lib"') || l.includes('outside')).map((l) => JSON.parse(l));
  const pinoRecord = records.find((r) => r.lib === 'pino');
  const winstonRecord = records.find((r) => r.lib === 'winston');
  for (const record of [pinoRecord, winstonRecord]) {
    assert.equal(record.trace_id, traces.express);
    assert.equal(record.span_id, handlerSpan.spanId);
  }
  assert.equal(records.find((r) => r.msg === 'outside any span').trace_id, undefined);
});
