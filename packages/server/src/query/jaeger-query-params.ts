import { Errors } from '../errors.js';
import type { SpanKind, TimeRange } from '../model/span.js';
import { SpanKind as Kind } from '../model/span.js';
import type { TraceQuery } from '../storage/span-store.js';
import { parseGoDuration } from './parse-go-duration.js';
import { parseGoInt } from './parse-go-int.js';
import { parseJaegerTraceIdHex } from './jaeger-trace-id.js';

/*
 * Jaeger's query_parser.go (cmd/jaeger/internal/extension/jaegerquery/internal, the last
 * version serving /api/traces search): same parameters, defaults and error texts.
 */

/** `defaultQueryLimit`. */
export const DEFAULT_LIMIT = 100;
/** `defaultTraceQueryLookbackDuration`: 2 days. */
export const DEFAULT_TRACE_LOOKBACK_NANO = 48n * 3_600_000_000_000n;
/** `defaultDependencyLookbackDuration`: 1 day. */
export const DEFAULT_DEPENDENCY_LOOKBACK_NANO = 24n * 3_600_000_000_000n;

const NANOS_PER_MICRO = 1_000n;
const NANOS_PER_MILLI = 1_000_000n;

export interface JaegerTraceSearch {
  query: TraceQuery;
  /** Requested `traceID`s (32-char lowercase); when any, the search is "these traces". */
  traceIds: string[];
  /** The start/end window, to pass to getTrace when the caller gave one. */
  explicitRange?: TimeRange;
}

const parseError = (param: string, err: unknown) =>
  Errors.badRequest(`unable to parse param '${param}': ${(err as Error).message}`);

/** First value of a parameter, '' when absent (Go's `url.Values.Get`). */
const get = (params: URLSearchParams, name: string): string => params.get(name) ?? '';

function parseTime(params: URLSearchParams, name: string, unitNano: bigint, fallback: bigint): bigint {
  const raw = get(params, name);
  if (raw === '') return fallback;
  try {
    return parseGoInt(raw) * unitNano;
  } catch (err) {
    throw parseError(name, err);
  }
}

function parseDurationParam(params: URLSearchParams, name: string): bigint | undefined {
  const raw = get(params, name);
  if (raw === '') return undefined;
  try {
    return parseGoDuration(raw);
  } catch (err) {
    throw parseError(name, err);
  }
}

/**
 * `tag=k:v` (repeated; split at the first ':') then `tags={"k":"v"}` (repeated JSON objects of
 * strings), merged into one object whose pairs must all hold.
 */
export function parseJaegerTags(simpleTags: string[], jsonTags: string[]): Record<string, string> {
  // A Map, so that keys like `__proto__` stay plain keys.
  const out = new Map<string, string>();
  for (const tag of simpleTags) {
    const colon = tag.indexOf(':');
    if (colon < 0) throw Errors.badRequest(`malformed 'tag' parameter, expecting key:value, received: ${tag}`);
    out.set(tag.slice(0, colon), tag.slice(colon + 1));
  }
  for (const json of jsonTags) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (err) {
      throw Errors.badRequest(`malformed 'tags' parameter, cannot unmarshal JSON: ${(err as Error).message}`);
    }
    if (parsed === null) continue; // Go unmarshals `null` into a map as a no-op.
    if (typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw Errors.badRequest(`malformed 'tags' parameter, cannot unmarshal JSON: expected an object of strings, got ${json}`);
    }
    for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
      if (typeof value !== 'string') {
        throw Errors.badRequest(`malformed 'tags' parameter, cannot unmarshal JSON: value of '${key}' is not a string`);
      }
      out.set(key, value);
    }
  }
  return Object.fromEntries(out);
}

/** `GET /api/traces` parameters. `nowNano` is injectable for tests. */
export function parseJaegerTraceSearch(params: URLSearchParams, nowNano: bigint): JaegerTraceSearch {
  const service = get(params, 'service');
  const operation = get(params, 'operation');
  const hasStart = get(params, 'start') !== '';
  const hasEnd = get(params, 'end') !== '';
  const start = parseTime(params, 'start', NANOS_PER_MICRO, nowNano - DEFAULT_TRACE_LOOKBACK_NANO);
  const end = parseTime(params, 'end', NANOS_PER_MICRO, nowNano);
  const tags = parseJaegerTags(params.getAll('tag'), params.getAll('tags'));

  let limit = DEFAULT_LIMIT;
  const rawLimit = get(params, 'limit');
  if (rawLimit !== '') {
    // Jaeger returns this one unwrapped.
    try {
      limit = Number(parseGoInt(rawLimit, 32));
    } catch (err) {
      throw Errors.badRequest((err as Error).message);
    }
    // Jaeger hands a non-positive limit to storage, which fails (500) or ignores it; say so here.
    if (limit <= 0) throw Errors.badRequest(`unable to parse param 'limit': must be greater than 0, got ${rawLimit}`);
  }

  const minDuration = parseDurationParam(params, 'minDuration');
  const maxDuration = parseDurationParam(params, 'maxDuration');

  const traceIds: string[] = [];
  for (const id of params.getAll('traceID')) {
    try {
      traceIds.push(parseJaegerTraceIdHex(id));
    } catch (err) {
      throw Errors.badRequest(`cannot parse traceID param: ${(err as Error).message}`);
    }
  }

  if (minDuration && maxDuration && maxDuration < minDuration) {
    throw Errors.badRequest("'maxDuration' should be greater than 'minDuration'");
  }

  const query: TraceQuery = { startUnixNano: start, endUnixNano: end, limit };
  if (service !== '') query.service = service;
  if (operation !== '') query.operation = operation;
  if (Object.keys(tags).length > 0) query.tags = tags;
  // Jaeger treats 0 as "no bound".
  if (minDuration) query.minDurationNano = minDuration;
  if (maxDuration) query.maxDurationNano = maxDuration;

  const search: JaegerTraceSearch = { query, traceIds };
  if (hasStart || hasEnd) search.explicitRange = explicitRange(hasStart ? start : undefined, hasEnd ? end : undefined);
  return search;
}

const FAR_FUTURE_NANO = (1n << 63n) - 1n;

function explicitRange(start: bigint | undefined, end: bigint | undefined): TimeRange {
  return { startUnixNano: start ?? 0n, endUnixNano: end ?? FAR_FUTURE_NANO };
}

/** `start`/`end` (µs) of `GET /api/traces/{traceID}`: a window only when given. */
export function parseJaegerTraceWindow(params: URLSearchParams): TimeRange | undefined {
  const hasStart = get(params, 'start') !== '';
  const hasEnd = get(params, 'end') !== '';
  if (!hasStart && !hasEnd) return undefined;
  const start = hasStart ? parseTime(params, 'start', NANOS_PER_MICRO, 0n) : undefined;
  const end = hasEnd ? parseTime(params, 'end', NANOS_PER_MICRO, 0n) : undefined;
  return explicitRange(start, end);
}

/** `GET /api/dependencies`: `endTs` (ms, default now) and `lookback` (ms, default 24 h). */
export function parseJaegerDependenciesParams(params: URLSearchParams, nowNano: bigint): { range: TimeRange; service: string } {
  const end = parseTime(params, 'endTs', NANOS_PER_MILLI, nowNano);
  let lookback = DEFAULT_DEPENDENCY_LOOKBACK_NANO;
  const rawLookback = get(params, 'lookback');
  if (rawLookback !== '') {
    try {
      lookback = parseGoInt(rawLookback) * NANOS_PER_MILLI;
    } catch (err) {
      throw parseError('lookback', err);
    }
  }
  return { range: { startUnixNano: end - lookback, endUnixNano: end }, service: get(params, 'service') };
}

const KINDS = new Map<string, SpanKind>([
  ['unspecified', Kind.UNSPECIFIED],
  ['internal', Kind.INTERNAL],
  ['server', Kind.SERVER],
  ['client', Kind.CLIENT],
  ['producer', Kind.PRODUCER],
  ['consumer', Kind.CONSUMER],
]);

/** Jaeger's name of a span kind: lowercase, '' for unspecified. */
export function jaegerSpanKindName(kind: SpanKind): string {
  if (kind === Kind.UNSPECIFIED) return '';
  for (const [name, k] of KINDS) if (k === kind) return name;
  return '';
}

/** `GET /api/operations`: `service` is required, `spanKind` optional ('' = every kind). */
export function parseJaegerOperationsParams(params: URLSearchParams): { service: string; spanKind?: SpanKind } {
  const service = get(params, 'service');
  if (service === '') throw Errors.badRequest("parameter 'service' is required");
  const rawKind = get(params, 'spanKind');
  if (rawKind === '') return { service };
  const spanKind = KINDS.get(rawKind.toLowerCase());
  if (spanKind === undefined) throw Errors.badRequest(`unable to parse param 'spanKind': unsupported span kind: '${rawKind}'`);
  return { service, spanKind };
}
