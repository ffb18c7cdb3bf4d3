import { diag } from '@opentelemetry/api';
import type { Tracer, TracerOptions, TracerProvider } from '@opentelemetry/api';
import { Resource } from '../resource/resource.js';
import { ParentBasedSampler } from '../sampling/parent-based-sampler.js';
import { AlwaysOnSampler } from '../sampling/always-on-sampler.js';
import type { Sampler } from '../sampling/sampler.js';
import { RandomIdGenerator } from './id-generator.js';
import type { IdGenerator } from './id-generator.js';
import { MultiSpanProcessor } from './multi-span-processor.js';
import { DEFAULT_SPAN_LIMITS } from './span-limits.js';
import type { SpanLimits } from './span-limits.js';
import type { SpanProcessor } from './span-processor.js';
import { AriadneTracer } from './tracer.js';
import type { TracerConfig } from './tracer.js';

export interface TracerProviderConfig {
  resource?: Resource;
  sampler?: Sampler;
  spanLimits?: Partial<SpanLimits>;
  spanProcessors?: SpanProcessor[];
  idGenerator?: IdGenerator;
}

const NOOP_PROCESSOR: SpanProcessor = {
  onStart() {},
  onEnd() {},
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

/** Hands out tracers sharing one resource, sampler, limits and processor chain. */
export class AriadneTracerProvider implements TracerProvider {
  readonly resource: Resource;
  private readonly tracers = new Map<string, AriadneTracer>();
  private readonly config: TracerConfig;
  private shutdownPromise: Promise<void> | undefined;

  constructor(config: TracerProviderConfig = {}) {
    const processors = config.spanProcessors ?? [];
    const processor =
      processors.length === 0 ? NOOP_PROCESSOR : processors.length === 1 ? processors[0] : new MultiSpanProcessor(processors);
    this.resource = config.resource ?? new Resource({ 'service.name': 'unknown_service:node' });
    this.config = {
      resource: this.resource,
      limits: { ...DEFAULT_SPAN_LIMITS, ...config.spanLimits },
      processor,
      sampler: config.sampler ?? new ParentBasedSampler({ root: new AlwaysOnSampler() }),
      idGenerator: config.idGenerator ?? new RandomIdGenerator(),
      isShutdown: () => this.shutdownPromise !== undefined,
    };
  }

  getTracer(name: string, version?: string, options?: TracerOptions): Tracer {
    const key = `${name}@${version ?? ''}:${options?.schemaUrl ?? ''}`;
    let tracer = this.tracers.get(key);
    if (tracer === undefined) {
      tracer = new AriadneTracer({ name, version, schemaUrl: options?.schemaUrl }, this.config);
      this.tracers.set(key, tracer);
    }
    return tracer;
  }

  async forceFlush(): Promise<void> {
    try {
      await this.config.processor.forceFlush();
    } catch (err) {
      diag.error('ariadne: forceFlush failed', err);
    }
  }

  /** Flushes and stops; idempotent. Spans started afterwards are non-recording. */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= this.config.processor.shutdown().catch((err: unknown) => {
      diag.error('ariadne: shutdown failed', err);
    });
    return this.shutdownPromise;
  }
}
