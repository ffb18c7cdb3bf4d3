import { context, diag, propagation, trace } from '@opentelemetry/api';
import type { Attributes, ContextManager, TextMapPropagator } from '@opentelemetry/api';
import { readConfig } from './config.js';
import { AsyncLocalStorageContextManager } from './context/async-local-storage-context-manager.js';
import { BatchSpanProcessor } from './export/batch-span-processor.js';
import type { BatchSpanProcessorOptions } from './export/batch-span-processor.js';
import { OtlpHttpTraceExporter } from './export/otlp-http-trace-exporter.js';
import type { OtlpHttpTraceExporterOptions } from './export/otlp-http-trace-exporter.js';
import type { SpanExporter } from './export/span-exporter.js';
import { detectResource } from './resource/detect-resource.js';
import type { Sampler } from './sampling/sampler.js';
import type { SpanLimits } from './trace/span-limits.js';
import type { SpanProcessor } from './trace/span-processor.js';
import { AriadneTracerProvider } from './trace/tracer-provider.js';

export interface StartTracingOptions {
  /** Read instead of process.env. */
  env?: Record<string, string | undefined>;
  serviceName?: string;
  resourceAttributes?: Attributes;
  sampler?: Sampler;
  propagator?: TextMapPropagator;
  /** Replaces the AsyncLocalStorage context manager, e.g. one the caller keeps a handle on. */
  contextManager?: ContextManager;
  spanLimits?: Partial<SpanLimits>;
  /** Replaces the OTLP/HTTP exporter under the batch processor. */
  exporter?: SpanExporter;
  /** Overrides of the OTEL_EXPORTER_OTLP_* settings. */
  otlp?: OtlpHttpTraceExporterOptions;
  batch?: BatchSpanProcessorOptions;
  /** Replace the batch processor and exporter altogether. */
  spanProcessors?: SpanProcessor[];
}

export interface TracingHandle {
  /** False when OTEL_SDK_DISABLED=true: nothing was registered. */
  readonly enabled: boolean;
  readonly provider: AriadneTracerProvider | undefined;
  forceFlush(): Promise<void>;
  /** Flushes, stops, and unregisters the globals; idempotent. */
  shutdown(): Promise<void>;
}

const DISABLED: TracingHandle = Object.freeze({
  enabled: false,
  provider: undefined,
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
});

/**
 * Configures tracing from the OTEL_* environment and `options` (which win), and registers the
 * tracer provider, the AsyncLocalStorage context manager and the propagator as the API's globals.
 * Queued spans are exported synchronously when the process exits ('exit': a natural exit,
 * process.exit() or an uncaught exception), or, by an exporter without exportAtExit, flushed
 * before a natural exit (beforeExit); no signal handler is installed.
 */
export function startTracing(options: StartTracingOptions = {}): TracingHandle {
  const config = readConfig(options.env ?? process.env);
  if (config.disabled) return DISABLED;

  let processors = options.spanProcessors;
  const batches: BatchSpanProcessor[] = [];
  if (processors === undefined && options.exporter === undefined && config.tracesExporter === 'none') processors = [];
  if (processors === undefined) {
    const exporter =
      options.exporter ??
      new OtlpHttpTraceExporter({ ...config.exporter, ...options.otlp, headers: { ...config.exporter.headers, ...options.otlp?.headers } });
    const batch = new BatchSpanProcessor(exporter, { ...config.batch, ...options.batch });
    batches.push(batch);
    processors = [batch];
  }
  const provider = new AriadneTracerProvider({
    resource: detectResource({ env: options.env, serviceName: options.serviceName, attributes: options.resourceAttributes }),
    sampler: options.sampler ?? config.sampler,
    spanLimits: { ...config.spanLimits, ...options.spanLimits },
    spanProcessors: processors,
  });

  const registered = {
    context: context.setGlobalContextManager(options.contextManager ?? new AsyncLocalStorageContextManager()),
    propagation: propagation.setGlobalPropagator(options.propagator ?? config.propagator),
    trace: trace.setGlobalTracerProvider(provider),
  };
  if (!registered.trace) diag.error('ariadne: a global tracer provider was already registered; startTracing ignored for it');

  // An exporter that can export at exit does so from the 'exit' listener, synchronously and for
  // 2 s at most: an asynchronous flush here would hold a natural exit for as long as the export
  // takes (a collector that accepts and never answers: the exporter's whole timeout). Others are
  // flushed here; flushing starts new work, after which beforeExit fires again: flush only while
  // spans wait.
  const onBeforeExit = () => {
    if (batches.some((b) => b.queuedSpans > 0 && !b.exportsAtExit)) void provider.forceFlush();
  };
  process.on('beforeExit', onBeforeExit);
  // Every exit (natural, process.exit(), an uncaught exception): what is still queued, or still
  // on its way, goes out synchronously.
  const onExit = () => {
    for (const batch of batches) batch.exportAtExit();
  };
  process.on('exit', onExit);

  let stopping: Promise<void> | undefined;
  return {
    enabled: true,
    provider,
    forceFlush: () => provider.forceFlush(),
    shutdown() {
      stopping ??= (async () => {
        process.off('beforeExit', onBeforeExit);
        process.off('exit', onExit);
        await provider.shutdown();
        if (registered.trace) trace.disable();
        if (registered.propagation) propagation.disable();
        if (registered.context) context.disable();
      })();
      return stopping;
    },
  };
}
