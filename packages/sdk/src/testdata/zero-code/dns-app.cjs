// Fixture for register.test.ts: the user registers an OpenTelemetry contrib instrumentation, whose
// spans must come out through Ariadne's provider, inside the app's own span.
/* global require */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS app */
const { registerInstrumentations } = require('@opentelemetry/instrumentation');
const { DnsInstrumentation } = require('@opentelemetry/instrumentation-dns');

registerInstrumentations({ instrumentations: [new DnsInstrumentation()] });

const { trace } = require('@opentelemetry/api');
const dns = require('node:dns');

trace.getTracer('app').startActiveSpan('resolve', (span) => {
  dns.lookup('localhost', (err) => {
    if (err) console.error(err);
    span.end();
  });
});
