export { startTracing } from './start-tracing.js';
export type { StartTracingOptions, TracingHandle } from './start-tracing.js';
export { readConfig, parseHeaders, tracesUrl } from './config.js';
export type { SdkConfig, ExporterConfig } from './config.js';

export { AriadneTracerProvider } from './trace/tracer-provider.js';
export type { TracerProviderConfig } from './trace/tracer-provider.js';
export { AriadneTracer, TRACE_FLAG_RANDOM } from './trace/tracer.js';
export { RecordingSpan } from './trace/recording-span.js';
export type { SpanEvent, SpanLink } from './trace/recording-span.js';
export { attributesOf, isAttributeValue } from './trace/attribute-list.js';
export type { AttributeList } from './trace/attribute-list.js';
export { DEFAULT_SPAN_LIMITS } from './trace/span-limits.js';
export type { SpanLimits } from './trace/span-limits.js';
export type { SpanProcessor } from './trace/span-processor.js';
export { MultiSpanProcessor } from './trace/multi-span-processor.js';
export { RandomIdGenerator } from './trace/id-generator.js';
export type { IdGenerator } from './trace/id-generator.js';
export type { InstrumentationScope } from './trace/instrumentation-scope.js';
export { hrNow, toHrTime } from './trace/time.js';

export { AsyncLocalStorageContextManager } from './context/async-local-storage-context-manager.js';
export { suppressTracing, isTracingSuppressed } from './context/suppress-tracing.js';

export { W3CTraceContextPropagator, parseTraceParent } from './propagation/w3c-trace-context-propagator.js';
export { W3CTraceState } from './propagation/trace-state.js';
export { W3CBaggagePropagator } from './propagation/w3c-baggage-propagator.js';
export { B3Propagator } from './propagation/b3-propagator.js';
export type { B3Encoding } from './propagation/b3-propagator.js';
export { CompositePropagator } from './propagation/composite-propagator.js';
export { propagatorFromEnv } from './propagation/propagator-from-env.js';

export { SamplingDecision } from './sampling/sampler.js';
export type { Sampler, SamplingResult } from './sampling/sampler.js';
export { AlwaysOnSampler } from './sampling/always-on-sampler.js';
export { AlwaysOffSampler } from './sampling/always-off-sampler.js';
export { TraceIdRatioBasedSampler } from './sampling/trace-id-ratio-sampler.js';
export { ParentBasedSampler } from './sampling/parent-based-sampler.js';
export type { ParentBasedSamplerOptions } from './sampling/parent-based-sampler.js';
export { samplerFromEnv } from './sampling/sampler-from-env.js';

export { Resource } from './resource/resource.js';
export { detectResource, parseResourceAttributes } from './resource/detect-resource.js';

export { ExportResultCode } from './export/span-exporter.js';
export type { ExportResult, SpanExporter } from './export/span-exporter.js';
export { BatchSpanProcessor } from './export/batch-span-processor.js';
export type { BatchSpanProcessorOptions } from './export/batch-span-processor.js';
export { SimpleSpanProcessor } from './export/simple-span-processor.js';
export { InMemorySpanExporter } from './export/in-memory-span-exporter.js';
export { OtlpHttpTraceExporter } from './export/otlp-http-trace-exporter.js';
export type { OtlpHttpTraceExporterOptions, OtlpProtocol, OtlpCompression } from './export/otlp-http-trace-exporter.js';
export { encodeTraceRequestProtobuf } from './export/otlp-protobuf-encoder.js';
export { encodeTraceRequestJson } from './export/otlp-json-encoder.js';

export { wrapRequestListener } from './instrumentation/http/wrap-request-listener.js';
export type { WrapRequestListenerOptions } from './instrumentation/http/wrap-request-listener.js';
export { wrapHttpRequest, wrapHttpGet, tracedHttpRequest, tracedHttpGet } from './instrumentation/http/wrap-http-request.js';
export type { WrapHttpRequestOptions } from './instrumentation/http/wrap-http-request.js';
export { setHttpRoute, getServerSpan } from './instrumentation/http/server-span.js';
export { wrapFetch, tracedFetch } from './instrumentation/fetch/wrap-fetch.js';
export type { WrapFetchOptions } from './instrumentation/fetch/wrap-fetch.js';
export { withSpan } from './instrumentation/with-span.js';
export type { WithSpanOptions } from './instrumentation/with-span.js';
