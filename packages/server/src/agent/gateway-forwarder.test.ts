import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { DEFAULT_TENANT } from '../model/span.js';
import { decodeOtlpProtobuf } from '../otlp/decode-otlp-protobuf.js';
import { span } from '../query/test-spans.js';
import { DiskSpool } from './disk-spool.js';
import { GatewayForwarder } from './gateway-forwarder.js';

const id = (i: number) => i.toString(16).padStart(16, '0');

describe('GatewayForwarder', () => {
  let server: Server;
  let up = true;
  const received: string[] = [];
  const auth: string[] = [];
  let url = '';

  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (!up) return void res.writeHead(503).end();
        auth.push(String(req.headers.authorization));
        const { batch } = decodeOtlpProtobuf(gunzipSync(Buffer.concat(chunks)), DEFAULT_TENANT);
        for (const s of batch.spans) received.push(`${s.name}@${String(s.resource.attributes['test.agent'])}`);
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  const forwarder = (spoolBytes: number) =>
    new GatewayForwarder({
      gatewayUrl: url,
      token: 'agent-token-1',
      spool: new DiskSpool({ dir: mkdtempSync(join(tmpdir(), 'ariadne-fwd-')), maxBytes: spoolBytes }),
      resourceAttributes: { 'host.name': 'agent-host', 'test.agent': 'agent-host' },
      batchSpans: 100,
      batchDelayMs: 5,
      retryDelayMs: 10,
      maxRetryDelayMs: 20,
      log: pino({ level: 'silent' }),
    });
  const send = (f: GatewayForwarder, name: string, i: number) => f.consumeSpans({ tenant: DEFAULT_TENANT, spans: [span({ name, spanId: id(i + 1) })] });

  it('batches concurrent calls into one gzip request with the token and host attributes', async () => {
    received.length = auth.length = 0;
    const f = forwarder(1 << 20);
    await f.start();
    await Promise.all([send(f, 'a', 1), send(f, 'b', 2), send(f, 'c', 3)]);
    assert.deepEqual(received, ['a@agent-host', 'b@agent-host', 'c@agent-host']);
    assert.deepEqual(auth, ['Bearer agent-token-1']);
    await f.shutdown();
  });

  it('spools while the gateway is down, acknowledging the sender, and replays in order after', async () => {
    received.length = 0;
    const f = forwarder(1 << 20);
    await f.start();
    up = false;
    for (let i = 0; i < 5; i++) await send(f, `s${i}`, i);
    assert.equal(f.getStats().spooledSpans, 5);
    assert.equal(received.length, 0);
    up = true;
    for (let i = 5; i < 8; i++) await send(f, `s${i}`, i);
    const deadline = Date.now() + 5000;
    while (received.length < 8 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(received.map((r) => r.split('@')[0]), ['s0', 's1', 's2', 's3', 's4', 's5', 's6', 's7']);
    await f.shutdown();
  });

  it('refuses and counts what does not fit in a full spool', async () => {
    const f = forwarder(700);
    await f.start();
    up = false;
    let refused = 0;
    for (let i = 0; i < 10; i++) await send(f, `x${i}`, i).catch(() => refused++);
    up = true;
    assert.ok(refused > 0);
    assert.equal(f.getStats().droppedSpoolFullSpans, refused);
    await f.shutdown();
  });
});
