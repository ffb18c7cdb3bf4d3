/**
 * The stand-in for the tracers' agents in bench/http-overhead: one HTTP server that accepts
 * OTLP/HTTP traces (POST /v1/traces, protobuf or JSON, optionally gzip) for Ariadne and
 * OpenTelemetry, and the Datadog agent's trace API (PUT/POST /v0.4/traces, msgpack) for dd-trace,
 * and counts the spans it receives. Counting walks the encodings without building objects, so the
 * sink stays cheap next to the load generator. Any other path gets 404.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface SpanSink {
  readonly url: string;
  /** Spans received so far. */
  spans(): number;
  /** Requests the sink could not read (counted, answered 400). */
  badRequests(): number;
  close(): Promise<void>;
}

export async function startSpanSink(): Promise<SpanSink> {
  let spans = 0;
  let bad = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      const path = (req.url ?? '').split('?')[0];
      try {
        if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
        if (path === '/v1/traces') {
          const json = String(req.headers['content-type'] ?? '').includes('json');
          spans += json ? countOtlpJsonSpans(body) : countOtlpProtobufSpans(body);
          res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
          res.end(json ? '{}' : undefined);
        } else if (path === '/v0.4/traces' || path === '/v0.3/traces') {
          spans += countMsgpackTraceSpans(body);
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"rate_by_service":{}}');
        } else {
          res.writeHead(404);
          res.end();
        }
      } catch {
        bad++;
        res.writeHead(400);
        res.end();
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans: () => spans,
    badRequests: () => bad,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function countOtlpJsonSpans(body: Buffer): number {
  const req = JSON.parse(body.toString('utf8')) as { resourceSpans?: { scopeSpans?: { spans?: unknown[] }[] }[] };
  let n = 0;
  for (const rs of req.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) n += ss.spans?.length ?? 0;
  return n;
}

/** ExportTraceServiceRequest: resource_spans = 1 → scope_spans = 2 → spans = 2. */
export function countOtlpProtobufSpans(buf: Uint8Array): number {
  let n = 0;
  forEachField(buf, 0, buf.length, (field, start, end) => {
    if (field !== 1) return;
    forEachField(buf, start, end, (f2, s2, e2) => {
      if (f2 !== 2) return;
      forEachField(buf, s2, e2, (f3) => {
        if (f3 === 2) n++;
      });
    });
  });
  return n;
}

/** Calls `onLen` for every length-delimited field in buf[start, end); skips the others. */
function forEachField(buf: Uint8Array, start: number, end: number, onLen: (field: number, start: number, end: number) => void): void {
  let pos = start;
  const varint = (): number => {
    let result = 0;
    let mul = 1;
    for (;;) {
      if (pos >= end) throw new Error('truncated varint');
      const b = buf[pos++];
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 128;
    }
  };
  while (pos < end) {
    const key = varint();
    const wire = key & 7;
    const field = Math.floor(key / 8);
    if (wire === 0) varint();
    else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else if (wire === 2) {
      const len = varint();
      if (pos + len > end) throw new Error('truncated field');
      onLen(field, pos, pos + len);
      pos += len;
    } else throw new Error(`wire type ${wire}`);
  }
  if (pos !== end) throw new Error('field overruns its message');
}

/** Datadog agent API v0.4: an array of traces, each an array of span maps. */
export function countMsgpackTraceSpans(buf: Uint8Array): number {
  const r = { pos: 0 };
  const traces = arrayHeader(buf, r);
  let n = 0;
  for (let t = 0; t < traces; t++) {
    const spans = arrayHeader(buf, r);
    n += spans;
    for (let s = 0; s < spans; s++) skipMsgpack(buf, r);
  }
  return n;
}

function arrayHeader(buf: Uint8Array, r: { pos: number }): number {
  const b = buf[r.pos++];
  if (b >= 0x90 && b <= 0x9f) return b & 0x0f;
  const view = new DataView(buf.buffer, buf.byteOffset + r.pos);
  if (b === 0xdc) return (r.pos += 2), view.getUint16(0);
  if (b === 0xdd) return (r.pos += 4), view.getUint32(0);
  throw new Error(`expected a msgpack array, got 0x${b?.toString(16)}`);
}

function skipMsgpack(buf: Uint8Array, r: { pos: number }): void {
  if (r.pos >= buf.length) throw new Error('truncated msgpack');
  const b = buf[r.pos++];
  const view = () => new DataView(buf.buffer, buf.byteOffset + r.pos);
  const skipN = (items: number) => {
    for (let i = 0; i < items; i++) skipMsgpack(buf, r);
  };
  if (b <= 0x7f || b >= 0xe0 || b === 0xc0 || b === 0xc2 || b === 0xc3) return;
  if (b >= 0x80 && b <= 0x8f) return skipN(2 * (b & 0x0f));
  if (b >= 0x90 && b <= 0x9f) return skipN(b & 0x0f);
  if (b >= 0xa0 && b <= 0xbf) return void (r.pos += b & 0x1f);
  switch (b) {
    case 0xcc: case 0xd0: r.pos += 1; return;
    case 0xcd: case 0xd1: r.pos += 2; return;
    case 0xce: case 0xd2: case 0xca: r.pos += 4; return;
    case 0xcf: case 0xd3: case 0xcb: r.pos += 8; return;
    case 0xd9: case 0xc4: r.pos += 1 + buf[r.pos]; return;
    case 0xda: case 0xc5: r.pos += 2 + view().getUint16(0); return;
    case 0xdb: case 0xc6: r.pos += 4 + view().getUint32(0); return;
    case 0xd4: r.pos += 2; return;
    case 0xd5: r.pos += 3; return;
    case 0xd6: r.pos += 5; return;
    case 0xd7: r.pos += 9; return;
    case 0xd8: r.pos += 17; return;
    case 0xc7: r.pos += 2 + buf[r.pos]; return;
    case 0xc8: r.pos += 3 + view().getUint16(0); return;
    case 0xc9: r.pos += 5 + view().getUint32(0); return;
    case 0xdc: { const n = view().getUint16(0); r.pos += 2; return skipN(n); }
    case 0xdd: { const n = view().getUint32(0); r.pos += 4; return skipN(n); }
    case 0xde: { const n = view().getUint16(0); r.pos += 2; return skipN(2 * n); }
    case 0xdf: { const n = view().getUint32(0); r.pos += 4; return skipN(2 * n); }
    default: throw new Error(`msgpack type 0x${b.toString(16)}`);
  }
}
