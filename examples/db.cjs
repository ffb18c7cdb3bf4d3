// A tiny in-memory "database" for serverB. Like a real driver's instrumentation, it makes a
// CLIENT span per query through the OpenTelemetry API, which Ariadne's register provides.
/* global require, module, setTimeout */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS module */
const { SpanKind, SpanStatusCode, trace } = require('@opentelemetry/api');

const tracer = trace.getTracer('demo-db');
const rows = new Map([
  ['book', { stock: 12, cents: 1999 }],
  ['pen', { stock: 0, cents: 150 }],
  ['lamp', { stock: 3, cents: 4500 }],
]);

/** Looks an item up after a few milliseconds, as a query over the network would. */
function query(statement, item) {
  const span = tracer.startSpan(`SELECT items`, {
    kind: SpanKind.CLIENT,
    attributes: { 'db.system': 'other_sql', 'db.namespace': 'shop', 'db.query.text': statement },
  });
  return new Promise((resolve, reject) => {
    setTimeout(() => {
      const row = rows.get(item);
      if (row === undefined) {
        const err = new Error(`no item ${item}`);
        span.recordException(err);
        span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
        span.end();
        return reject(err);
      }
      span.end();
      resolve(row);
    }, 2 + Math.random() * 8);
  });
}

module.exports = { query };
