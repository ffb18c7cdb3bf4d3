import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from './export/in-memory-span-exporter.js';
import { startTracing } from './start-tracing.js';

describe('startTracing', () => {
  it('does nothing when OTEL_SDK_DISABLED=true', async () => {
    const handle = startTracing({ env: { OTEL_SDK_DISABLED: 'true' } });
    assert.equal(handle.enabled, false);
    assert.equal(trace.getTracer('t').startSpan('s').isRecording(), false);
    await handle.shutdown();
  });

  it('registers the globals, exports through the batch processor, and unregisters on shutdown', async () => {
    const exporter = new InMemorySpanExporter();
    const listeners = process.listenerCount('beforeExit');
    const handle = startTracing({ env: { OTEL_SERVICE_NAME: 'svc', OTEL_PROPAGATORS: 'b3' }, exporter });
    assert.equal(handle.enabled, true);
    assert.equal(handle.provider?.resource.attributes['service.name'], 'svc');
    const span = trace.getTracer('t').startSpan('s');
    assert.equal(span.isRecording(), true);
    const carrier: Record<string, string> = {};
    context.with(trace.setSpan(ROOT_CONTEXT, span), () => propagation.inject(context.active(), carrier));
    assert.deepEqual(Object.keys(carrier), ['b3']);
    span.end();
    assert.equal(exporter.spans.length, 0);
    await handle.forceFlush();
    assert.equal(exporter.spans.length, 1);
    assert.equal(process.listenerCount('beforeExit'), listeners + 1);
    await handle.shutdown();
    await handle.shutdown();
    assert.equal(process.listenerCount('beforeExit'), listeners);
    assert.equal(trace.getTracer('t').startSpan('s').isRecording(), false);
  });
});

describe('startTracing with OTEL_TRACES_EXPORTER=none', () => {
  it('makes spans but sends nothing', async () => {
    let requests = 0;
    const server = createServer((req, res) => {
      requests++;
      req.resume().on('end', () => res.end());
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;
    const handle = startTracing({ env: { OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url } });
    try {
      const span = trace.getTracer('t').startSpan('s');
      assert.equal(span.isRecording(), true);
      span.end();
      await handle.forceFlush();
    } finally {
      await handle.shutdown();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    assert.equal(requests, 0);
  });
});

describe('startTracing in a process that ends', () => {
  const app = fileURLToPath(new URL('./testdata/exiting-app.ts', import.meta.url));

  async function collector() {
    const bodies: Buffer[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        bodies.push(Buffer.concat(chunks));
        res.end();
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;
    return { bodies, url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }

  it('flushes queued spans before a normal exit, without waiting for the 5 s schedule', async () => {
    const { bodies, url, close } = await collector();
    try {
      const started = Date.now();
      const child = spawn(process.execPath, ['--import', 'tsx', app, url], { stdio: 'inherit' });
      const [code] = await once(child, 'exit');
      assert.equal(code, 0);
      assert.ok(Date.now() - started < 4500, `exited after ${Date.now() - started} ms`);
      assert.equal(bodies.length, 1);
      assert.ok(bodies[0].includes(Buffer.from('last words')));
    } finally {
      await close();
    }
  });

  it('holds a natural exit for 2 s at most when the collector never answers', async () => {
    const received: Buffer[] = [];
    const silent = createServer((req) => req.on('data', (c: Buffer) => received.push(c)));
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    try {
      const started = Date.now();
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1/traces`;
      const child = spawn(process.execPath, ['--import', 'tsx', app, url], { stdio: 'inherit' });
      const [code] = await once(child, 'exit');
      assert.equal(code, 0);
      // The exporter's own timeout is 10 s: an asynchronous flush would have waited for it.
      assert.ok(Date.now() - started < 6000, `exited after ${Date.now() - started} ms`);
      assert.ok(Buffer.concat(received).includes(Buffer.from('last words')));
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('does not swallow SIGTERM', async () => {
    const { url, close } = await collector();
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', app, url, 'wait'], { stdio: ['ignore', 'pipe', 'inherit'] });
      await once(child.stdout!, 'data');
      child.kill('SIGTERM');
      const [code, signal] = await once(child, 'exit');
      assert.equal(code, null);
      assert.equal(signal, 'SIGTERM');
    } finally {
      await close();
    }
  });
});
