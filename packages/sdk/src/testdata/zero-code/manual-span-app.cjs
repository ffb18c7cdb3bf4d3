// Fixture for register.test.ts: an app that makes its own spans, one inside the other, with the
// @opentelemetry/api package named by OTEL_API_MODULE (an alias of a given API version).
/* global require */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS app */
const { trace } = require(process.env.OTEL_API_MODULE);

const tracer = trace.getTracer('manual-app');
tracer.startActiveSpan('outer', (outer) => {
  tracer.startSpan('inner', { attributes: { 'api.module': process.env.OTEL_API_MODULE } }).end();
  outer.end();
});
