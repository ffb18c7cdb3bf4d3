import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter } from '../export/in-memory-span-exporter.js';
import { SimpleSpanProcessor } from '../export/simple-span-processor.js';
import { Resource } from '../resource/resource.js';
import { AlwaysOnSampler } from '../sampling/always-on-sampler.js';
import { attributesOf } from '../trace/attribute-list.js';
import type { RecordingSpan } from '../trace/recording-span.js';
import { AriadneTracerProvider } from '../trace/tracer-provider.js';
import { recordError } from './record-error.js';

const exporter = new InMemorySpanExporter();
const tracer = new AriadneTracerProvider({ resource: new Resource({}), sampler: new AlwaysOnSampler(), spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('t');

function recorded(error: unknown): RecordingSpan {
  const span = tracer.startSpan('op') as RecordingSpan;
  recordError(span, error);
  span.end();
  return span;
}

describe('recordError', () => {
  it('records an Error, a string and other values', () => {
    const span = recorded(new TypeError('bad input'));
    assert.equal(span.statusCode, SpanStatusCode.ERROR);
    assert.equal(span.statusMessage, 'bad input');
    assert.equal(attributesOf(span.attributes)['error.type'], 'TypeError');
    assert.equal(span.events?.[0].name, 'exception');
    assert.equal(recorded('oops').statusMessage, 'oops');
    assert.equal(attributesOf(recorded(42).attributes)['error.type'], 'number');
  });

  it('never throws, whatever was thrown (the app must get its own error back)', () => {
    const noPrototype = Object.create(null) as object;
    const badToString = { toString: () => { throw new Error('no'); } };
    const badMessage = new Error('x');
    Object.defineProperty(badMessage, 'message', { get: () => { throw new Error('no'); } });
    assert.equal(recorded(noPrototype).statusMessage, '[object Object]');
    assert.equal(recorded(badToString).statusMessage, '[object Object]');
    assert.doesNotThrow(() => recorded(badMessage));
  });
});
