import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from './export/in-memory-span-exporter.js';
import { startTracing } from './start-tracing.js';

describe('startTracing', () => {
  it('does nothing when OTEL_SDK_DISABLED=true', async () => {
    const handle = startTracing({ env: { OTEL_SDK_DISABLED: 'true' } });
    assert.equal(handle.enabled, false);
    assert.equal(trace.getTracer('t').startSpan('s').isRecording(), false);
    await handle.shutdown();
  });

  it('registers the globals, exports through the batch processor, and unregisters on shutdown', async () => {
    const exporter = new InMemorySpanExporter();
    const listeners = process.listenerCount('beforeExit');
    const handle = startTracing({ env: { OTEL_SERVICE_NAME: 'svc', OTEL_PROPAGATORS: 'b3' }, exporter });
    assert.equal(handle.enabled, true);
    assert.equal(handle.provider?.resource.attributes['service.name'], 'svc');
    const span = trace.getTracer('t').startSpan('s');
    assert.equal(span.isRecording(), true);
    const carrier: Record<string, string> = {};
    context.with(trace.setSpan(ROOT_CONTEXT, span), () => propagation.inject(context.active(), carrier));
    assert.deepEqual(Object.keys(carrier), ['b3']);
    span.end();
    assert.equal(exporter.spans.length, 0);
    await handle.forceFlush();
    assert.equal(exporter.spans.length, 1);
    assert.equal(process.listenerCount('beforeExit'), listeners + 1);
    await handle.shutdown();
    await handle.shutdown();
    assert.equal(process.listenerCount('beforeExit'), listeners);
    assert.equal(trace.getTracer('t').startSpan('s').isRecording(), false);
  });
});
