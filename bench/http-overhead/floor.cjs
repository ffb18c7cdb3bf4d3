/* global require, performance */
/* eslint-disable @typescript-eslint/no-require-imports -- preloaded with --require, like the tracers */
// The "floor" variant: the least any zero-code tracer built on AsyncLocalStorage pays on Node 20.
// Per request it starts a context from the same diagnostics channel Ariadne uses, runs the
// server's 'request' listeners in it (which switches AsyncLocalStorage on for the whole process),
// and keeps one small record (method, path, status, start and end) until 512 have accumulated;
// no ids, attributes, propagation or export. What a tracer costs above this is its own work.
const { AsyncLocalStorage } = require('node:async_hooks');
const { subscribe } = require('node:diagnostics_channel');
const http = require('node:http');

const storage = new AsyncLocalStorage();
const RECORD = Symbol('floor record');
let batch = [];

const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function emitInRequestContext(event, req) {
  const record = event === 'request' ? req[RECORD] : undefined;
  // `arguments` passed on as is, without copying.
  return record === undefined ? Reflect.apply(emit, this, arguments) : storage.run(record, Reflect.apply, emit, this, arguments);
};

subscribe('http.server.request.start', ({ request, response }) => {
  const record = { method: request.method, path: request.url, start: performance.now(), end: 0, status: 0 };
  request[RECORD] = record;
  response[RECORD] = record;
});

subscribe('http.server.response.finish', ({ response }) => {
  const record = response[RECORD];
  if (record === undefined) return;
  record.end = performance.now();
  record.status = response.statusCode;
  batch.push(record);
  if (batch.length === 512) batch = [];
});
