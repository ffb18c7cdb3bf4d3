import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, RawServerDefault } from 'fastify';
import { AriadneError, Errors } from '../errors.js';
import { StatusCode, type AttributeValue, type Span } from '../model/span.js';
import type { SpanReader } from '../storage/span-store.js';
import { mapBounded } from './map-bounded.js';
import { parseGoDuration } from './parse-go-duration.js';

type Query = Record<string, string | string[] | undefined>;

/** A tag filter: `key=value`, `key!=value` or `key=~regex`. */
export interface TagFilter {
  key: string;
  op: '=' | '!=' | '=~';
  value: string;
}

export interface TraceSummary {
  traceId: string;
  rootService: string;
  rootName: string;
  /** ms since the epoch, fractional. */
  startMs: number;
  durationMs: number;
  spanCount: number;
  errorCount: number;
  services: { name: string; spans: number; errors: number }[];
}

const MS = 1_000_000n;
const MAX_LIMIT = 1000;
/** Candidates read when filters must be checked here: enough to fill a page usually, bounded so a search stays cheap. */
const MAX_CANDIDATES = 1000;
const TRACE_FETCH_CONCURRENCY = 8;
const MAX_REGEX_LENGTH = 256;

const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const first = (query: Query, name: string): string | undefined => list(query[name])[0] || undefined;

export function parseTagFilter(raw: string): TagFilter {
  const match = /^([^=!~]+?)\s*(!=|=~|=)\s*(.*)$/s.exec(raw.trim());
  if (!match) throw Errors.badRequest(`malformed tag filter '${raw}': expected key=value, key!=value or key=~regex`);
  const [, key, op, value] = match;
  if (op === '=~') {
    if (value.length > MAX_REGEX_LENGTH) throw Errors.badRequest(`regex in tag filter '${key}' is longer than ${MAX_REGEX_LENGTH} characters`);
    try {
      new RegExp(value);
    } catch (err) {
      throw Errors.badRequest(`invalid regex in tag filter '${key}': ${(err as Error).message}`);
    }
  }
  return { key, op: op as TagFilter['op'], value };
}

function attributeText(value: AttributeValue): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'object') return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return String(value);
}

const valueOf = (span: Span, key: string): AttributeValue | undefined => span.attributes[key] ?? span.resource.attributes[key];

/** Whether a trace passes the filters the store cannot answer: `!=` (no span has the value), `=~` (some span matches). */
export function traceMatches(spans: readonly Span[], filters: readonly TagFilter[], errorsOnly: boolean): boolean {
  if (errorsOnly && !spans.some((s) => s.status.code === StatusCode.ERROR)) return false;
  return filters.every((f) => {
    if (f.op === '=') return true; // answered by the store
    if (f.op === '!=') return !spans.some((s) => {
      const v = valueOf(s, f.key);
      return v !== undefined && attributeText(v) === f.value;
    });
    const re = new RegExp(f.value);
    return spans.some((s) => {
      const v = valueOf(s, f.key);
      return v !== undefined && re.test(attributeText(v));
    });
  });
}

export function summarizeTrace(spans: readonly Span[]): TraceSummary {
  const ids = new Set(spans.map((s) => s.spanId));
  let start = spans[0].startTimeUnixNano;
  let end = spans[0].endTimeUnixNano;
  let root: Span | undefined;
  const services = new Map<string, { name: string; spans: number; errors: number }>();
  let errorCount = 0;
  for (const s of spans) {
    if (s.startTimeUnixNano < start) start = s.startTimeUnixNano;
    if (s.endTimeUnixNano > end) end = s.endTimeUnixNano;
    // The root is the earliest span without a parent in the trace (parents may be missing).
    if ((!s.parentSpanId || !ids.has(s.parentSpanId)) && (!root || s.startTimeUnixNano < root.startTimeUnixNano)) root = s;
    const name = s.resource.serviceName;
    let service = services.get(name);
    if (!service) services.set(name, (service = { name, spans: 0, errors: 0 }));
    service.spans++;
    if (s.status.code === StatusCode.ERROR) {
      service.errors++;
      errorCount++;
    }
  }
  const r = root ?? spans[0];
  return {
    traceId: r.traceId,
    rootService: r.resource.serviceName,
    rootName: r.name,
    startMs: Number(start) / 1e6,
    durationMs: Number(end - start) / 1e6,
    spanCount: spans.length,
    errorCount,
    services: [...services.values()].sort((a, b) => b.spans - a.spans || a.name.localeCompare(b.name)),
  };
}

/**
 * `GET /api/v1/search`: trace summaries for the web UI. Params: service, operation, tag (repeated,
 * `key=value` ANDed on one span as in Jaeger, `key!=value`, `key=~regex`), minDuration/maxDuration
 * (Go durations, on a span), start/end (ms since the epoch, default the last hour), limit, errors=true.
 */
export function registerSearchRoutes<L extends FastifyBaseLogger>(
  app: FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, L>,
  reader: SpanReader,
): void {
  app.get('/api/v1/search', async (request, reply: FastifyReply) => {
    try {
      const query = request.query as Query;
      const filters = list(query.tag).filter((t) => t.trim() !== '').map(parseTagFilter);
      const errorsOnly = first(query, 'errors') === 'true';
      const limit = Math.min(Number(first(query, 'limit') ?? 20), MAX_LIMIT);
      if (!Number.isInteger(limit) || limit < 1) throw Errors.badRequest(`'limit' must be a whole number from 1 to ${MAX_LIMIT}`);
      const ms = (name: string, fallback: number): bigint => {
        const raw = first(query, name);
        const n = raw === undefined ? fallback : Number(raw);
        if (!Number.isFinite(n) || n < 0) throw Errors.badRequest(`'${name}' must be milliseconds since the epoch`);
        return BigInt(Math.round(n)) * MS;
      };
      const end = ms('end', Date.now());
      const start = ms('start', Number(end / MS) - 3_600_000);
      if (start > end) throw Errors.badRequest("'start' must not be after 'end'");
      const duration = (name: string): bigint | undefined => {
        const raw = first(query, name);
        if (raw === undefined) return undefined;
        try {
          return parseGoDuration(raw);
        } catch {
          throw Errors.badRequest(`'${name}' must be a duration such as 250ms, 1.5s or 2m: '${raw}'`);
        }
      };
      const equal = filters.filter((f) => f.op === '=');
      const postFiltered = errorsOnly || equal.length < filters.length;
      const ids = await reader.findTraceIds({
        service: first(query, 'service'),
        operation: first(query, 'operation'),
        tags: equal.length > 0 ? Object.fromEntries(equal.map((f) => [f.key, f.value])) : undefined,
        minDurationNano: duration('minDuration'),
        maxDurationNano: duration('maxDuration'),
        startUnixNano: start,
        endUnixNano: end,
        limit: postFiltered ? Math.max(limit, Math.min(limit * 5, MAX_CANDIDATES)) : limit,
      });
      const traces = await mapBounded(ids, TRACE_FETCH_CONCURRENCY, (id) => reader.getTrace(id));
      const summaries = traces
        .filter((spans) => spans.length > 0 && traceMatches(spans, filters, errorsOnly))
        .slice(0, limit)
        .map(summarizeTrace);
      return reply.send({ traces: summaries, candidates: ids.length });
    } catch (err) {
      if (err instanceof AriadneError && err.statusCode < 500) {
        return reply.code(err.statusCode).send({ error: { code: err.code, message: err.message } });
      }
      request.log.error({ err, url: request.url }, 'search API: internal error');
      const internal = Errors.internal(err instanceof Error ? err.message : String(err));
      return reply.code(500).send({ error: { code: internal.code, message: internal.message } });
    }
  });
}
