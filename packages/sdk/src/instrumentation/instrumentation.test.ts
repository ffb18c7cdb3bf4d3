import assert from 'node:assert/strict';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { Agent, createServer, request as rawRequest } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { isTracingSuppressed, suppressTracing } from '../context/suppress-tracing.js';
import { InMemorySpanExporter } from '../export/in-memory-span-exporter.js';
import { OtlpHttpTraceExporter } from '../export/otlp-http-trace-exporter.js';
import { SimpleSpanProcessor } from '../export/simple-span-processor.js';
import { startTracing } from '../start-tracing.js';
import type { TracingHandle } from '../start-tracing.js';
import { attributesOf } from '../trace/attribute-list.js';
import type { RecordingSpan } from '../trace/recording-span.js';
import { tracedFetch, wrapFetch } from './fetch/wrap-fetch.js';
import { tracedHttpGet, tracedHttpRequest } from './http/wrap-http-request.js';
import { wrapRequestListener } from './http/wrap-request-listener.js';
import { withSpan } from './with-span.js';

const exporter = new InMemorySpanExporter();
let handle: TracingHandle;
let downstream: Server;
let downstreamUrl: string;
const downstreamHeaders: IncomingHttpHeaders[] = [];

async function listen(listener: RequestListener): Promise<{ server: Server; url: string }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));
const byName = (name: string) => exporter.spans.filter((s) => s.name === name);
const attrs = (span: RecordingSpan) => attributesOf(span.attributes);

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    rawRequest(url, { headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

before(async () => {
  handle = startTracing({ env: { OTEL_SERVICE_NAME: 'test' }, spanProcessors: [new SimpleSpanProcessor(exporter)] });
  ({ server: downstream, url: downstreamUrl } = await listen((req, res) => {
    downstreamHeaders.push(req.headers);
    res.statusCode = req.url === '/missing' ? 404 : 200;
    res.end('down');
  }));
});
after(async () => {
  await close(downstream);
  await handle.shutdown();
});
beforeEach(() => {
  exporter.reset();
  downstreamHeaders.length = 0;
});

describe('wrapRequestListener', () => {
  it('makes a SERVER span from the incoming traceparent, active in the handler, ended with the status', async () => {
    let activeInHandler: string | undefined;
    const { server, url } = await listen(
      wrapRequestListener((req, res) => {
        activeInHandler = trace.getActiveSpan()?.spanContext().spanId;
        setTimeout(() => {
          res.statusCode = 201;
          res.end('ok');
        }, 5);
      }),
    );
    try {
      await get(`${url}/orders/7?x=1`, { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', 'user-agent': 'test-agent' });
      const [span] = byName('GET');
      assert.equal(span.kind, SpanKind.SERVER);
      assert.equal(span.spanContext().traceId, '0af7651916cd43dd8448eb211c80319c');
      assert.equal(span.parentSpanContext?.spanId, 'b7ad6b7169203331');
      assert.equal(span.parentSpanContext?.isRemote, true);
      assert.equal(activeInHandler, span.spanContext().spanId);
      const a = attrs(span);
      assert.equal(a['http.request.method'], 'GET');
      assert.equal(a['url.path'], '/orders/7');
      assert.equal(a['url.query'], 'x=1');
      assert.equal(a['url.scheme'], 'http');
      assert.equal(a['server.address'], '127.0.0.1');
      assert.equal(typeof a['server.port'], 'number');
      assert.equal(a['http.response.status_code'], 201);
      assert.equal(a['user_agent.original'], 'test-agent');
      assert.equal(span.statusCode, SpanStatusCode.UNSET);
    } finally {
      await close(server);
    }
  });

  it('marks 5xx as errors but not 4xx, and names spans by route', async () => {
    const { server, url } = await listen(
      wrapRequestListener(
        (req, res) => {
          res.statusCode = req.url === '/boom' ? 503 : 404;
          res.end();
        },
        { route: (req) => (req.url === '/boom' ? '/boom' : undefined) },
      ),
    );
    try {
      await get(`${url}/boom`);
      await get(`${url}/nothing`);
      const [boom] = byName('GET /boom');
      assert.equal(boom.statusCode, SpanStatusCode.ERROR);
      assert.equal(attrs(boom)['http.route'], '/boom');
      assert.equal(attrs(boom)['error.type'], '503');
      assert.equal(byName('GET')[0].statusCode, SpanStatusCode.UNSET);
    } finally {
      await close(server);
    }
  });

  it('propagates through traced clients to the next service', async () => {
    const { server, url } = await listen(
      wrapRequestListener(async (_req, res) => {
        const viaFetch = await tracedFetch(`${downstreamUrl}/a`);
        await viaFetch.text();
        await new Promise<void>((resolve) => tracedHttpGet(`${downstreamUrl}/missing`, (r) => r.resume().on('end', resolve)));
        res.end('done');
      }),
    );
    try {
      await get(url);
      const [serverSpan] = byName('GET').filter((s) => s.kind === SpanKind.SERVER);
      const clients = byName('GET').filter((s) => s.kind === SpanKind.CLIENT);
      assert.equal(clients.length, 2);
      for (const [i, client] of clients.entries()) {
        assert.equal(client.parentSpanContext?.spanId, serverSpan.spanContext().spanId);
        const sc = client.spanContext();
        assert.equal(downstreamHeaders[i].traceparent, `00-${sc.traceId}-${sc.spanId}-03`);
      }
      assert.equal(attrs(clients[0])['url.full'], `${downstreamUrl}/a`);
      assert.equal(attrs(clients[0])['http.response.status_code'], 200);
      assert.equal(attrs(clients[1])['http.response.status_code'], 404);
      assert.equal(clients[1].statusCode, SpanStatusCode.ERROR);
      assert.equal(attrs(clients[1])['server.address'], '127.0.0.1');
    } finally {
      await close(server);
    }
  });
});

describe('client wrappers', () => {
  it('http.request and http.get keep the arity of the originals', () => {
    // request(url, options, callback), and get the same.
    assert.deepEqual([tracedHttpRequest.length, tracedHttpGet.length], [3, 3]);
    assert.equal(rawRequest.length, 3);
  });

  it('http.request: records connection errors and ends the span', async () => {
    await new Promise<void>((resolve) => {
      const req = tracedHttpRequest('http://127.0.0.1:1/', { method: 'post' });
      req.on('error', () => resolve());
      req.end();
    });
    const [span] = byName('POST');
    assert.equal(span.statusCode, SpanStatusCode.ERROR);
    assert.equal(span.events?.[0].name, 'exception');
  });

  it("http.request: an 'error' the app does not listen for is thrown, as untraced; one it listens for is not", async () => {
    const req = tracedHttpRequest('http://127.0.0.1:1/');
    const absorb = () => {};
    req.on('error', absorb);
    assert.doesNotThrow(() => req.emit('error', new Error('heard')));
    req.off('error', absorb);
    assert.throws(() => req.emit('error', new Error('unheard')), /unheard/);
    // The connection's own error, later, is the app's again.
    req.on('error', absorb);
    await new Promise((resolve) => req.on('close', resolve));
    const [span] = byName('GET');
    assert.equal(span.ended, true);
    assert.equal(span.events?.filter((e) => e.name === 'exception').length, 1, 'the first error is recorded, once');
  });

  it('http.request: an IPv6 URL, as a string or a URL, gives server.address without brackets', async () => {
    for (const target of ['http://[::1]:1/v6?q=1', new URL('http://[::1]:1/v6?q=1')]) {
      await new Promise<void>((resolve) => {
        const req = tracedHttpRequest(target);
        req.on('error', () => resolve());
        req.end();
      });
    }
    const spans = byName('GET');
    assert.equal(spans.length, 2);
    for (const span of spans) {
      const a = attrs(span);
      assert.deepEqual([a['server.address'], a['server.port'], a['url.full']], ['::1', 1, 'http://[::1]:1/v6?q=1']);
    }
  });

  it('http.request: keeps headers given as arrays (flat, with array values, or as pairs), and adds traceparent', async () => {
    const host = new URL(downstreamUrl).host;
    const forms = [
      ['Host', host, 'X-Dup', 'a', 'X-Dup', 'b', 'traceparent', 'stale'],
      ['Host', host, 'X-Dup', ['a', 'b']],
      [['Host', host], ['X-Dup', 'a'], ['X-Dup', 'b'], ['Traceparent', 'stale']],
    ];
    for (const headers of forms) {
      await new Promise<void>((resolve, reject) => {
        tracedHttpRequest(`${downstreamUrl}/h`, { headers: headers as string[] }, (res) => res.resume().on('end', resolve))
          .on('error', reject)
          .end();
      });
    }
    const spans = byName('GET');
    assert.equal(spans.length, forms.length);
    for (const [i, span] of spans.entries()) {
      assert.equal(downstreamHeaders[i]['x-dup'], 'a, b', JSON.stringify(forms[i]));
      const sc = span.spanContext();
      assert.equal(downstreamHeaders[i].traceparent, `00-${sc.traceId}-${sc.spanId}-03`);
    }
  });

  it('http.get: a response nobody listens for is discarded, as untraced, and its socket freed', { timeout: 5000 }, async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      tracedHttpGet(`${downstreamUrl}/first`, { agent });
      const status = await new Promise<number>((resolve, reject) => {
        tracedHttpGet(`${downstreamUrl}/second`, { agent }, (res) => res.resume().on('end', () => resolve(res.statusCode ?? 0))).on('error', reject);
      });
      assert.equal(status, 200);
      assert.deepEqual(
        byName('GET').map((s) => [attrs(s)['url.full'], s.ended]),
        [[`${downstreamUrl}/first`, true], [`${downstreamUrl}/second`, true]],
      );
    } finally {
      agent.destroy();
    }
  });

  it('http.get: a response the callback reads later keeps its body', { timeout: 5000 }, async () => {
    const res = await new Promise<IncomingMessage>((resolve) => tracedHttpGet(`${downstreamUrl}/later`, resolve));
    await new Promise((resolve) => setTimeout(resolve, 20));
    let body = '';
    for await (const chunk of res) body += chunk;
    assert.equal(body, 'down');
  });

  it('fetch: a traceparent the app set is replaced, not sent twice', async () => {
    const stale = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await (await tracedFetch(`${downstreamUrl}/h`, { headers: { Traceparent: stale, 'x-mine': '1' } })).text();
    const sc = exporter.spans.at(-1)!.spanContext();
    assert.equal(downstreamHeaders[0].traceparent, `00-${sc.traceId}-${sc.spanId}-03`);
    assert.equal(downstreamHeaders[0]['x-mine'], '1');
  });

  it('fetch: keeps caller headers, records rejections and rethrows them', async () => {
    await (await tracedFetch(`${downstreamUrl}/h`, { headers: { 'x-mine': '1' } })).text();
    assert.equal(downstreamHeaders[0]['x-mine'], '1');
    assert.match(String(downstreamHeaders[0].traceparent), /^00-/);
    const failing = wrapFetch(() => Promise.reject(new TypeError('fetch failed')));
    await assert.rejects(failing('http://example.invalid/'), /fetch failed/);
    const failed = exporter.spans.at(-1)!;
    assert.equal(failed.statusCode, SpanStatusCode.ERROR);
    assert.equal(attrs(failed)['server.port'], 80);
  });

  it('make no span and inject nothing where tracing is suppressed', async () => {
    await context.with(suppressTracing(context.active()), async () => {
      await (await tracedFetch(`${downstreamUrl}/quiet`)).text();
      await new Promise<void>((resolve) => tracedHttpGet(`${downstreamUrl}/quiet`, (r) => r.resume().on('end', resolve)));
    });
    assert.equal(exporter.spans.length, 0);
    assert.equal(downstreamHeaders[0].traceparent, undefined);
    assert.equal(downstreamHeaders[1].traceparent, undefined);
  });
});

describe('withSpan', () => {
  it('ends sync and async spans, and records what they throw', async () => {
    assert.equal(withSpan('sync', (span) => (span.setAttribute('k', 1), 5)), 5);
    assert.equal(await withSpan('async', async () => 6), 6);
    assert.throws(() => withSpan('throws', () => { throw new Error('sync boom'); }), /sync boom/);
    await assert.rejects(withSpan('rejects', async () => { throw new Error('async boom'); }), /async boom/);
    const nested = await withSpan('outer', () => withSpan('inner', async () => trace.getActiveSpan()?.spanContext().spanId));
    assert.equal(byName('sync')[0].ended, true);
    assert.deepEqual(attrs(byName('sync')[0]), { k: 1 });
    assert.equal(byName('async')[0].ended, true);
    assert.equal(byName('throws')[0].statusCode, SpanStatusCode.ERROR);
    assert.equal(byName('rejects')[0].events?.[0].name, 'exception');
    assert.equal(byName('inner')[0].spanContext().spanId, nested);
    assert.equal(byName('inner')[0].parentSpanContext?.spanId, byName('outer')[0].spanContext().spanId);
  });
});

describe('the exporter', () => {
  it('sends its requests with tracing suppressed, so instrumentation ignores them', async () => {
    const seen: boolean[] = [];
    const onStart = () => seen.push(isTracingSuppressed(context.active()));
    subscribe('http.client.request.start', onStart);
    try {
      const otlp = new OtlpHttpTraceExporter({ url: `${downstreamUrl}/v1/traces` });
      withSpan('exported', () => {});
      await otlp.export(exporter.spans);
    } finally {
      unsubscribe('http.client.request.start', onStart);
    }
    assert.deepEqual(seen, [true]);
    assert.equal(downstreamHeaders[0].traceparent, undefined);
  });
});
