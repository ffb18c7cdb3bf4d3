/* global require, performance, Buffer, setTimeout, clearTimeout */
/* eslint-disable @typescript-eslint/no-require-imports -- preloaded with --require, like the tracers */
// The "lean" variant: a lower bound for any zero-code tracer that exports OTLP. It is the floor
// (floor.cjs) plus the least such a tracer must add: a span per server request and per client
// request, each with random ids, start and end times and the attributes Ariadne records (method,
// path, scheme, host and port, client address, protocol version, status; a client span's method,
// host, port, url.full and status), queued and sent to OTEL_EXPORTER_OTLP_ENDPOINT as OTLP/HTTP
// protobuf in batches of 512, one POST at a time, as the batch span processor does. Records, not
// span objects; no API, no propagation (nothing injected or extracted: a client span's trace is
// its caller's, a server span is a root), no limits, sampling or error handling. A tracer that
// does everything a user expects does more than this, so it cannot beat it.
const { AsyncLocalStorage } = require('node:async_hooks');
const { randomFillSync } = require('node:crypto');
const { subscribe } = require('node:diagnostics_channel');
const http = require('node:http');

const endpoint = new URL('/v1/traces', process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'http://localhost:4318');
const service = process.env.OTEL_SERVICE_NAME ?? 'unknown_service';
const BATCH = 512;
const QUEUE = 2048;
const DELAY_MS = 5000;

const storage = new AsyncLocalStorage();
const RECORD = Symbol('lean span');
const agent = new http.Agent({ keepAlive: true });

// Random ids from a pool, refilled when used up.
const pool = Buffer.alloc(4096);
let poolPos = pool.length;
function word() {
  if (poolPos === pool.length) {
    randomFillSync(pool);
    poolPos = 0;
  }
  const w = pool.readUInt32BE(poolPos);
  poolPos += 4;
  return w;
}

function hostHeader(raw) {
  for (let i = 0; i < raw.length; i += 2) if (raw[i].length === 4 && raw[i].toLowerCase() === 'host') return raw[i + 1];
  return '';
}

function record(kind, parent) {
  const r = {
    kind,
    t0: 0, t1: 0, t2: 0, t3: 0, s0: word(), s1: word(), p0: 0, p1: 0,
    start: performance.now(), end: 0, status: 0,
    method: '', path: '', host: '', port: 0, client: '', version: '', url: '',
  };
  if (parent === undefined) {
    r.t0 = word(); r.t1 = word(); r.t2 = word(); r.t3 = word();
  } else {
    r.t0 = parent.t0; r.t1 = parent.t1; r.t2 = parent.t2; r.t3 = parent.t3; r.p0 = parent.s0; r.p1 = parent.s1;
  }
  return r;
}

const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function emitInRequestContext(event, req) {
  const r = event === 'request' ? req[RECORD] : undefined;
  // `arguments` passed on as is, without copying.
  return r === undefined ? Reflect.apply(emit, this, arguments) : storage.run(r, Reflect.apply, emit, this, arguments);
};

subscribe('http.server.request.start', ({ request, response, socket }) => {
  const r = record(2, undefined);
  r.method = request.method;
  r.path = request.url;
  const host = hostHeader(request.rawHeaders);
  const colon = host.lastIndexOf(':');
  r.host = colon === -1 ? host : host.slice(0, colon);
  r.port = colon === -1 ? 80 : Number(host.slice(colon + 1));
  r.client = socket.remoteAddress ?? '';
  r.version = request.httpVersion;
  response[RECORD] = r;
  request[RECORD] = r;
});

subscribe('http.server.response.finish', ({ response }) => {
  const r = response[RECORD];
  if (r === undefined) return;
  r.end = performance.now();
  r.status = response.statusCode;
  queue(r);
});

subscribe('http.client.request.start', ({ request }) => {
  if (request.agent === agent) return; // the exporter's own
  const r = record(3, storage.getStore());
  const authority = request.getHeader('host') ?? request.host;
  r.method = request.method;
  r.host = request.host;
  r.port = Number(/:(\d+)$/.exec(authority)?.[1] ?? request.agent?.defaultPort ?? 80);
  r.url = `${request.protocol}//${authority}${request.path}`;
  request[RECORD] = r;
});

subscribe('http.client.response.finish', ({ request, response }) => {
  const r = request[RECORD];
  if (r === undefined) return;
  r.end = performance.now();
  r.status = response.statusCode;
  queue(r);
});

let queued = [];
let sending = false;
let timer;

function queue(r) {
  if (queued.length >= QUEUE) return;
  queued.push(r);
  if (queued.length >= BATCH) send();
  else if (timer === undefined) {
    timer = setTimeout(send, DELAY_MS);
    timer.unref();
  }
}

function send() {
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
  if (sending || queued.length === 0) return;
  sending = true;
  const batch = queued.length > BATCH ? queued.splice(0, BATCH) : queued;
  if (batch === queued) queued = [];
  const body = encode(batch);
  const req = http.request(endpoint, { method: 'POST', agent, headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length } });
  const done = () => {
    sending = false;
    if (queued.length >= BATCH) send();
  };
  req.on('response', (res) => res.resume().on('end', done));
  req.on('error', done);
  req.end(body);
}

// The spans left at the end go when the event loop empties (the bench stops servers with SIGTERM
// and lets the loop drain).
process.on('beforeExit', send);

// OTLP protobuf, written straight into one buffer. Lengths of the nested messages are not known
// before they are written: their room is reserved as fixed-size varints (valid protobuf, if not
// the shortest), filled in after.
let buf = Buffer.alloc(256 * 1024);
let pos = 0;
const [originLow, originHigh] = (() => {
  const ns = BigInt(Math.round(performance.timeOrigin * 1e6));
  return [Number(ns & 0xffffffffn), Number(ns >> 32n)];
})();
const TWO_32 = 2 ** 32;

function varint(n) {
  while (n > 127) {
    buf[pos++] = (n & 0x7f) | 0x80;
    n >>>= 7;
  }
  buf[pos++] = n;
}
function reserve(bytes) {
  const at = pos;
  pos += bytes;
  return at;
}
function fill(at, bytes) {
  let n = pos - at - bytes;
  for (let i = 0; i < bytes - 1; i++, n >>>= 7) buf[at + i] = (n & 0x7f) | 0x80;
  buf[at + bytes - 1] = n;
}
function string(tag, s) {
  buf[pos++] = tag;
  const len = Buffer.byteLength(s);
  varint(len);
  pos += buf.write(s, pos);
}
const keys = new Map();
function keyBytes(key) {
  let k = keys.get(key);
  if (k === undefined) keys.set(key, (k = Buffer.from(key)));
  return k;
}
function stringAttribute(key, value) {
  const k = keyBytes(key);
  const len = Buffer.byteLength(value);
  const any = 1 + (len > 127 ? 2 : 1) + len;
  buf[pos++] = 0x4a; // Span.attributes
  varint(2 + k.length + 1 + (any > 127 ? 2 : 1) + any);
  buf[pos++] = 0x0a;
  buf[pos++] = k.length;
  pos += k.copy(buf, pos);
  buf[pos++] = 0x12;
  varint(any);
  buf[pos++] = 0x0a;
  varint(len);
  pos += buf.write(value, pos);
}
function intAttribute(key, value) {
  const k = keyBytes(key);
  buf[pos++] = 0x4a;
  const at = reserve(1);
  buf[pos++] = 0x0a;
  buf[pos++] = k.length;
  pos += k.copy(buf, pos);
  buf[pos++] = 0x12;
  const any = reserve(1);
  buf[pos++] = 0x18; // AnyValue.int_value
  varint(value);
  fill(any, 1);
  fill(at, 1);
}
function time(tag, ms) {
  const ns = Math.round(ms * 1e6);
  const high = Math.floor(ns / TWO_32);
  let low = originLow + (ns - high * TWO_32);
  const carry = low >= TWO_32 ? 1 : 0;
  low -= carry * TWO_32;
  buf[pos++] = tag;
  buf.writeUInt32LE(low, pos);
  buf.writeUInt32LE(originHigh + high + carry, pos + 4);
  pos += 8;
}
function id(tag, words) {
  buf[pos++] = tag;
  buf[pos++] = words.length * 4;
  for (const w of words) pos = buf.writeUInt32BE(w, pos);
}

function encode(batch) {
  if (buf.length < 4096 + batch.length * 1024) buf = Buffer.alloc(4096 + batch.length * 1024);
  pos = 0;
  buf[pos++] = 0x0a; // ExportTraceServiceRequest.resource_spans
  const resourceSpans = reserve(3);
  buf[pos++] = 0x0a; // ResourceSpans.resource
  const resource = reserve(2);
  for (const [key, value] of [['service.name', service], ['telemetry.sdk.language', 'nodejs'], ['telemetry.sdk.name', 'lean']]) {
    buf[pos++] = 0x0a; // Resource.attributes
    const kv = reserve(2);
    string(0x0a, key);
    buf[pos++] = 0x12;
    const any = reserve(2);
    string(0x0a, value);
    fill(any, 2);
    fill(kv, 2);
  }
  fill(resource, 2);
  buf[pos++] = 0x12; // ResourceSpans.scope_spans
  const scopeSpans = reserve(3);
  buf[pos++] = 0x0a; // ScopeSpans.scope
  const scope = reserve(1);
  string(0x0a, 'lean');
  fill(scope, 1);
  for (const r of batch) {
    buf[pos++] = 0x12; // ScopeSpans.spans
    const span = reserve(2);
    id(0x0a, [r.t0, r.t1, r.t2, r.t3]);
    id(0x12, [r.s0, r.s1]);
    if (r.p0 !== 0 || r.p1 !== 0) id(0x22, [r.p0, r.p1]);
    string(0x2a, r.method); // name
    buf[pos++] = 0x30; // kind
    buf[pos++] = r.kind;
    time(0x39, r.start);
    time(0x41, r.end);
    stringAttribute('http.request.method', r.method);
    if (r.kind === 2) {
      const q = r.path.indexOf('?');
      stringAttribute('url.path', q === -1 ? r.path : r.path.slice(0, q));
      stringAttribute('url.scheme', 'http');
      stringAttribute('server.address', r.host);
      intAttribute('server.port', r.port);
      stringAttribute('client.address', r.client);
      stringAttribute('network.protocol.version', r.version);
    } else {
      stringAttribute('server.address', r.host);
      intAttribute('server.port', r.port);
      stringAttribute('url.full', r.url);
    }
    intAttribute('http.response.status_code', r.status);
    fill(span, 2);
  }
  fill(scopeSpans, 3);
  fill(resourceSpans, 3);
  return buf.subarray(0, pos);
}
