// A child process for start-tracing.test.ts: traces one span, then exits by itself (or waits
// for a signal with `wait`), never calling shutdown.
import { trace } from '@opentelemetry/api';
import { startTracing } from '../start-tracing.js';

const [url, mode] = process.argv.slice(2);
startTracing({ env: { OTEL_SERVICE_NAME: 'exiting-app', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url } });
trace.getTracer('app').startSpan('last words').end();
if (mode === 'wait') {
  setInterval(() => {}, 1000);
  console.log('ready');
}
