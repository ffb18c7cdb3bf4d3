import { diag } from '@opentelemetry/api';
import type { TextMapPropagator } from '@opentelemetry/api';
import type { BatchSpanProcessorOptions } from './export/batch-span-processor.js';
import type { OtlpCompression, OtlpProtocol } from './export/otlp-http-trace-exporter.js';
import { propagatorFromEnv } from './propagation/propagator-from-env.js';
import type { Sampler } from './sampling/sampler.js';
import { samplerFromEnv } from './sampling/sampler-from-env.js';
import type { SpanLimits } from './trace/span-limits.js';

export interface ExporterConfig {
  url: string;
  headers: Record<string, string>;
  protocol: OtlpProtocol;
  compression: OtlpCompression;
  timeoutMillis: number;
}

/** Everything the OTEL_* environment variables configure. */
export interface SdkConfig {
  disabled: boolean;
  sampler: Sampler;
  propagator: TextMapPropagator;
  spanLimits: SpanLimits;
  batch: Required<BatchSpanProcessorOptions>;
  exporter: ExporterConfig;
}

type Env = Record<string, string | undefined>;

function value(env: Env, ...names: string[]): string | undefined {
  for (const name of names) {
    const v = env[name]?.trim();
    if (v) return v;
  }
  return undefined;
}

/** The first set variable as a non-negative number; a bad value is reported and skipped. */
function number(env: Env, names: string[], fallback: number): number {
  for (const name of names) {
    const raw = env[name]?.trim();
    if (!raw) continue;
    const n = Number(raw);
    if (Number.isFinite(n) && n >= 0) return n;
    diag.warn(`ariadne: ${name}=${raw} is not a non-negative number; ignored`);
  }
  return fallback;
}

/** `key=value,key2=value2`, percent-decoded, as OTEL_EXPORTER_OTLP_HEADERS. */
export function parseHeaders(raw: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw) return out;
  for (const pair of raw.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      if (pair.trim() !== '') diag.warn(`ariadne: OTLP header "${pair}" has no key=value; ignored`);
      continue;
    }
    try {
      out[decodeURIComponent(pair.slice(0, eq).trim()).toLowerCase()] = decodeURIComponent(pair.slice(eq + 1).trim());
    } catch {
      diag.warn(`ariadne: OTLP header "${pair}" is not valid percent-encoding; ignored`);
    }
  }
  return out;
}

/** The traces URL: the per-signal endpoint as is, else the generic one with /v1/traces appended. */
export function tracesUrl(env: Env): string {
  const traces = value(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  if (traces !== undefined) return traces;
  const generic = value(env, 'OTEL_EXPORTER_OTLP_ENDPOINT') ?? 'http://localhost:4318';
  return `${generic.replace(/\/+$/, '')}/v1/traces`;
}

function protocol(env: Env): OtlpProtocol {
  const p = value(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL') ?? 'http/protobuf';
  if (p === 'http/protobuf' || p === 'http/json') return p;
  diag.warn(`ariadne: OTLP protocol ${p} is not supported; using http/protobuf`);
  return 'http/protobuf';
}

function compression(env: Env): OtlpCompression {
  const c = value(env, 'OTEL_EXPORTER_OTLP_TRACES_COMPRESSION', 'OTEL_EXPORTER_OTLP_COMPRESSION') ?? 'none';
  if (c === 'gzip' || c === 'none') return c;
  diag.warn(`ariadne: OTLP compression ${c} is not supported; using none`);
  return 'none';
}

export function readConfig(env: Env = process.env): SdkConfig {
  return {
    disabled: value(env, 'OTEL_SDK_DISABLED')?.toLowerCase() === 'true',
    sampler: samplerFromEnv(value(env, 'OTEL_TRACES_SAMPLER'), value(env, 'OTEL_TRACES_SAMPLER_ARG')),
    propagator: propagatorFromEnv(value(env, 'OTEL_PROPAGATORS')),
    spanLimits: {
      attributeValueLengthLimit: number(
        env,
        ['OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT', 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT'],
        Infinity,
      ),
      attributeCountLimit: number(env, ['OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT', 'OTEL_ATTRIBUTE_COUNT_LIMIT'], 128),
      eventCountLimit: number(env, ['OTEL_SPAN_EVENT_COUNT_LIMIT'], 128),
      linkCountLimit: number(env, ['OTEL_SPAN_LINK_COUNT_LIMIT'], 128),
      attributePerEventCountLimit: number(env, ['OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT', 'OTEL_ATTRIBUTE_COUNT_LIMIT'], 128),
      attributePerLinkCountLimit: number(env, ['OTEL_LINK_ATTRIBUTE_COUNT_LIMIT', 'OTEL_ATTRIBUTE_COUNT_LIMIT'], 128),
    },
    batch: {
      scheduledDelayMillis: number(env, ['OTEL_BSP_SCHEDULE_DELAY'], 5000),
      exportTimeoutMillis: number(env, ['OTEL_BSP_EXPORT_TIMEOUT'], 30_000),
      maxQueueSize: number(env, ['OTEL_BSP_MAX_QUEUE_SIZE'], 2048),
      maxExportBatchSize: number(env, ['OTEL_BSP_MAX_EXPORT_BATCH_SIZE'], 512),
    },
    exporter: {
      url: tracesUrl(env),
      headers: {
        ...parseHeaders(value(env, 'OTEL_EXPORTER_OTLP_HEADERS')),
        ...parseHeaders(value(env, 'OTEL_EXPORTER_OTLP_TRACES_HEADERS')),
      },
      protocol: protocol(env),
      compression: compression(env),
      timeoutMillis: number(env, ['OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', 'OTEL_EXPORTER_OTLP_TIMEOUT'], 10_000),
    },
  };
}
