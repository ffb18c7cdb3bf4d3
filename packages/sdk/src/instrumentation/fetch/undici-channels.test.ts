import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter } from '../../export/in-memory-span-exporter.js';
import { SimpleSpanProcessor } from '../../export/simple-span-processor.js';
import { startTracing } from '../../start-tracing.js';
import type { TracingHandle } from '../../start-tracing.js';
import { instrumentUndici } from './undici-channels.js';

const exporter = new InMemorySpanExporter();
let handle: TracingHandle;
let server: Server;
let url: string;
const received: string[][] = [];

before(async () => {
  handle = startTracing({ env: { OTEL_SERVICE_NAME: 'test' }, spanProcessors: [new SimpleSpanProcessor(exporter)] });
  instrumentUndici();
  server = createServer((req, res) => {
    const traceparents: string[] = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i].toLowerCase() === 'traceparent') traceparents.push(req.rawHeaders[i + 1]);
    received.push(traceparents);
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
after(async () => {
  await new Promise((resolve) => server.close(resolve));
  await handle.shutdown();
});

describe('fetch through undici diagnostics channels', () => {
  it('makes a CLIENT span and sends its traceparent once, replacing one the app set', async () => {
    const stale = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const forms: NonNullable<RequestInit['headers']>[] = [{}, { Traceparent: stale }, [['traceparent', stale]]];
    for (const headers of forms) {
      await (await fetch(url, { headers })).text();
    }
    const spans = exporter.spans.filter((s) => s.kind === SpanKind.CLIENT);
    assert.equal(spans.length, 3);
    for (const [i, span] of spans.entries()) {
      const sc = span.spanContext();
      assert.deepEqual(received[i], [`00-${sc.traceId}-${sc.spanId}-03`]);
    }
  });
});
