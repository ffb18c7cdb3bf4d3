import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHeaders, readConfig, tracesUrl } from './config.js';

describe('readConfig', () => {
  it('has the specification defaults', () => {
    const c = readConfig({});
    assert.equal(c.disabled, false);
    assert.deepEqual(c.spanLimits, {
      attributeValueLengthLimit: Infinity,
      attributeCountLimit: 128,
      eventCountLimit: 128,
      linkCountLimit: 128,
      attributePerEventCountLimit: 128,
      attributePerLinkCountLimit: 128,
    });
    assert.deepEqual(c.batch, { scheduledDelayMillis: 5000, exportTimeoutMillis: 30000, maxQueueSize: 2048, maxExportBatchSize: 512 });
    assert.deepEqual(c.exporter, {
      url: 'http://localhost:4318/v1/traces',
      headers: {},
      protocol: 'http/protobuf',
      compression: 'none',
      timeoutMillis: 10000,
    });
    assert.deepEqual(c.propagator.fields(), ['traceparent', 'tracestate', 'baggage']);
    assert.match(c.sampler.toString(), /^ParentBased\{root=AlwaysOnSampler/);
  });

  it('reads limits, span-specific ones over the general ones', () => {
    const c = readConfig({
      OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '10',
      OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT: '20',
      OTEL_ATTRIBUTE_COUNT_LIMIT: '5',
      OTEL_SPAN_EVENT_COUNT_LIMIT: '6',
      OTEL_SPAN_LINK_COUNT_LIMIT: '7',
      OTEL_LINK_ATTRIBUTE_COUNT_LIMIT: '8',
    });
    assert.deepEqual(c.spanLimits, {
      attributeValueLengthLimit: 20,
      attributeCountLimit: 5,
      eventCountLimit: 6,
      linkCountLimit: 7,
      attributePerEventCountLimit: 5,
      attributePerLinkCountLimit: 8,
    });
    assert.equal(readConfig({ OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: '3', OTEL_ATTRIBUTE_COUNT_LIMIT: '9' }).spanLimits.attributeCountLimit, 3);
    assert.equal(readConfig({ OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT: '2' }).spanLimits.attributePerEventCountLimit, 2);
    assert.equal(readConfig({ OTEL_SPAN_EVENT_COUNT_LIMIT: '-1' }).spanLimits.eventCountLimit, 128);
  });

  it('reads the batch processor settings', () => {
    const c = readConfig({
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_BSP_EXPORT_TIMEOUT: '200',
      OTEL_BSP_MAX_QUEUE_SIZE: '300',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '40',
    });
    assert.deepEqual(c.batch, { scheduledDelayMillis: 100, exportTimeoutMillis: 200, maxQueueSize: 300, maxExportBatchSize: 40 });
  });

  it('reads the exporter settings, per-signal ones over the generic ones', () => {
    const c = readConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
      OTEL_EXPORTER_OTLP_HEADERS: 'api-key=abc,x-tenant=a%20b',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-tenant=t2',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
      OTEL_EXPORTER_OTLP_TIMEOUT: '500',
      OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '700',
    });
    assert.deepEqual(c.exporter, {
      url: 'http://collector:4318/v1/traces',
      headers: { 'api-key': 'abc', 'x-tenant': 't2' },
      protocol: 'http/json',
      compression: 'gzip',
      timeoutMillis: 700,
    });
    assert.equal(readConfig({ OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }).exporter.protocol, 'http/protobuf');
    assert.equal(readConfig({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }).exporter.protocol, 'http/protobuf');
    assert.equal(readConfig({ OTEL_EXPORTER_OTLP_TRACES_COMPRESSION: 'none', OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip' }).exporter.compression, 'none');
  });

  it('uses the traces endpoint as is', () => {
    assert.equal(tracesUrl({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://x/custom', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://y' }), 'https://x/custom');
    assert.equal(tracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://y/base' }), 'http://y/base/v1/traces');
  });

  it('falls back to the default endpoint for one that is not an http(s) URL', () => {
    assert.equal(tracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'localhost:4318' }), 'http://localhost:4318/v1/traces');
    assert.equal(tracesUrl({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://[::1' }), 'http://localhost:4318/v1/traces');
  });

  it('parses headers leniently, leaving out what HTTP would refuse', () => {
    assert.deepEqual(parseHeaders(' A = 1 ,broken,b=x%3Dy,api key=abc,c=%0Aevil'), { a: '1', b: 'x=y' });
  });

  it('caps numbers at what a timer takes', () => {
    const c = readConfig({ OTEL_BSP_SCHEDULE_DELAY: '99999999999', OTEL_EXPORTER_OTLP_TIMEOUT: '1e12' });
    assert.equal(c.batch.scheduledDelayMillis, 2 ** 31 - 1);
    assert.equal(c.exporter.timeoutMillis, 2 ** 31 - 1);
  });

  it('reads OTEL_TRACES_EXPORTER: none exports nothing, anything else is otlp', () => {
    assert.equal(readConfig({}).tracesExporter, 'otlp');
    assert.equal(readConfig({ OTEL_TRACES_EXPORTER: 'none' }).tracesExporter, 'none');
    assert.equal(readConfig({ OTEL_TRACES_EXPORTER: 'zipkin' }).tracesExporter, 'otlp');
  });

  it('reads OTEL_SDK_DISABLED, samplers and propagators', () => {
    assert.equal(readConfig({ OTEL_SDK_DISABLED: 'TRUE' }).disabled, true);
    assert.equal(readConfig({ OTEL_SDK_DISABLED: 'false' }).disabled, false);
    assert.equal(readConfig({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.5' }).sampler.toString(), 'TraceIdRatioBased{0.5}');
    assert.deepEqual(readConfig({ OTEL_PROPAGATORS: 'b3' }).propagator.fields(), ['b3']);
  });
});
