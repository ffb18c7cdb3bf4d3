import { validateHeaderName, validateHeaderValue } from 'node:http';
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
  /** OTEL_TRACES_EXPORTER: `none` makes spans (for propagation and the app) but exports nothing. */
  tracesExporter: 'otlp' | 'none';
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

// The largest delay a Node timer takes (a larger one fires after 1 ms, with a warning per timer).
const MAX_NUMBER = 2 ** 31 - 1;

/** The first set variable as a non-negative number; a bad value is reported and skipped. */
function number(env: Env, names: string[], fallback: number): number {
  for (const name of names) {
    const raw = env[name]?.trim();
    if (!raw) continue;
    const n = Number(raw);
    if (Number.isFinite(n) && n >= 0) {
      if (n <= MAX_NUMBER) return n;
      diag.warn(`ariadne: ${name}=${raw} is too large; using ${MAX_NUMBER}`);
      return MAX_NUMBER;
    }
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
      const name = decodeURIComponent(pair.slice(0, eq).trim()).toLowerCase();
      const headerValue = decodeURIComponent(pair.slice(eq + 1).trim());
      // Checked here: an invalid one would make every export request throw.
      validateHeaderName(name);
      validateHeaderValue(name, headerValue);
      out[name] = headerValue;
    } catch {
      diag.warn(`ariadne: OTLP header "${pair}" is not a valid percent-encoded HTTP header; ignored`);
    }
  }
  return out;
}

const DEFAULT_ENDPOINT = 'http://localhost:4318';

function isHttpUrl(url: string): boolean {
  try {
    return /^https?:$/.test(new URL(url).protocol);
  } catch {
    return false;
  }
}

/**
 * The traces URL: the per-signal endpoint as is, else the generic one with /v1/traces appended.
 * One that is not an http(s) URL (`localhost:4318` parses as the scheme `localhost:`) is reported
 * and the default used.
 */
export function tracesUrl(env: Env): string {
  const traces = value(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const generic = value(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  const url = traces ?? `${(generic ?? DEFAULT_ENDPOINT).replace(/\/+$/, '')}/v1/traces`;
  if (isHttpUrl(url)) return url;
  const name = traces !== undefined ? 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' : 'OTEL_EXPORTER_OTLP_ENDPOINT';
  const fallback = `${DEFAULT_ENDPOINT}/v1/traces`;
  diag.warn(`ariadne: ${name}=${traces ?? generic} is not an http(s) URL; using ${fallback}`);
  return fallback;
}

function tracesExporter(env: Env): 'otlp' | 'none' {
  const names = (value(env, 'OTEL_TRACES_EXPORTER') ?? 'otlp').split(',').map((n) => n.trim().toLowerCase());
  if (names.length === 1 && names[0] === 'none') return 'none';
  for (const name of names) if (name !== 'otlp' && name !== 'none') diag.warn(`ariadne: OTEL_TRACES_EXPORTER ${name} is not supported; using otlp`);
  return 'otlp';
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
    tracesExporter: tracesExporter(env),
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
