import { InMemorySpanExporter } from '../export/in-memory-span-exporter.js';
import { SimpleSpanProcessor } from '../export/simple-span-processor.js';
import { Resource } from '../resource/resource.js';
import { AlwaysOnSampler } from '../sampling/always-on-sampler.js';
import type { Sampler } from '../sampling/sampler.js';
import type { SpanLimits } from './span-limits.js';
import { AriadneTracerProvider } from './tracer-provider.js';

/** A provider exporting synchronously into memory, for tests. */
export function testProvider(options: { sampler?: Sampler; spanLimits?: Partial<SpanLimits> } = {}) {
  const exporter = new InMemorySpanExporter();
  const provider = new AriadneTracerProvider({
    resource: new Resource({ 'service.name': 'test' }),
    sampler: options.sampler ?? new AlwaysOnSampler(),
    spanLimits: options.spanLimits,
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  return { provider, exporter, tracer: provider.getTracer('test', '1.0.0') };
}
