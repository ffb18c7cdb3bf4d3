import type { AttributeValue, Attributes, Resource, Span, SpanEvent, SpanLink } from '../model/span.js';
import { SpanKind, StatusCode } from '../model/span.js';
import { goJsonAttribute } from './go-json-attribute.js';
import { formatJaegerSpanId, formatJaegerTraceId } from './jaeger-trace-id.js';

/*
 * Jaeger's UI JSON (internal/uimodel/model.go) of our spans, through the same steps Jaeger's
 * query service takes for OTLP storage: the Collector's OTLP→Jaeger translator
 * (pkg/translator/jaeger/traces_to_jaegerproto.go), the SortCollections adjuster, then
 * uiconv.FromDomain.
 */

export type JaegerTagType = 'string' | 'bool' | 'int64' | 'float64' | 'binary';

export interface JaegerKeyValue {
  key: string;
  type: JaegerTagType;
  value: string | boolean | number;
}

export interface JaegerReference {
  refType: 'CHILD_OF' | 'FOLLOWS_FROM';
  traceID: string;
  spanID: string;
}

export interface JaegerLog {
  timestamp: number;
  fields: JaegerKeyValue[];
}

export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: JaegerReference[];
  /** µs since the Unix epoch. */
  startTime: number;
  /** µs. */
  duration: number;
  tags: JaegerKeyValue[];
  logs: JaegerLog[];
  processID: string;
  warnings: string[] | null;
}

export interface JaegerProcess {
  serviceName: string;
  tags: JaegerKeyValue[];
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, JaegerProcess>;
  warnings: string[] | null;
}

const KIND_TAG: Partial<Record<SpanKind, string>> = {
  [SpanKind.CLIENT]: 'client',
  [SpanKind.SERVER]: 'server',
  [SpanKind.PRODUCER]: 'producer',
  [SpanKind.CONSUMER]: 'consumer',
  [SpanKind.INTERNAL]: 'internal',
};

// JavaScript's safe range: uiconv prints int64 tags beyond it as strings.
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

const str = (key: string, value: string): JaegerKeyValue => ({ key, type: 'string', value });

/** One attribute as a Jaeger tag, typed the way the Collector translator types it. */
export function toJaegerTag(key: string, value: AttributeValue): JaegerKeyValue {
  if (typeof value === 'string') return str(key, value);
  if (typeof value === 'boolean') return { key, type: 'bool', value };
  if (typeof value === 'bigint') {
    const safe = value <= MAX_SAFE && value >= -MAX_SAFE;
    return { key, type: 'int64', value: safe ? Number(value) : value.toString() };
  }
  if (typeof value === 'number') return { key, type: 'float64', value };
  if (value instanceof Uint8Array) return { key, type: 'binary', value: Buffer.from(value).toString('base64') };
  return str(key, goJsonAttribute(value));
}

/** Attributes as tags, sorted by key (Jaeger's SortCollections adjuster). */
function toTags(attributes: Attributes, skip?: string): JaegerKeyValue[] {
  return Object.keys(attributes)
    .sort()
    .filter((key) => key !== skip)
    .map((key) => toJaegerTag(key, attributes[key]));
}

const micros = (nanos: bigint): number => Number(nanos / 1000n);

const int = (key: string, n: number): JaegerKeyValue => ({ key, type: 'int64', value: n });

function spanTags(span: Span): JaegerKeyValue[] {
  const tags: JaegerKeyValue[] = [];
  if (span.scope.name !== '') tags.push(str('otel.scope.name', span.scope.name));
  if (span.scope.version !== '') tags.push(str('otel.scope.version', span.scope.version));
  tags.push(...toTags(span.attributes));
  const kind = KIND_TAG[span.kind];
  if (kind !== undefined) tags.push(str('span.kind', kind));
  if (span.status.code === StatusCode.OK) tags.push(str('otel.status_code', 'OK'));
  if (span.status.code === StatusCode.ERROR) {
    tags.push(str('otel.status_code', 'ERROR'));
    tags.push({ key: 'error', type: 'bool', value: true });
  }
  if (span.status.message !== '') tags.push(str('otel.status_description', span.status.message));
  if (span.traceState !== '') tags.push(str('w3c.tracestate', span.traceState));
  // Not in the Collector translator; the OTel non-OTLP mapping asks for them, and they are what
  // tells a reader the span is incomplete.
  if (span.droppedAttributesCount > 0) tags.push(int('otel.dropped_attributes_count', span.droppedAttributesCount));
  if (span.droppedEventsCount > 0) tags.push(int('otel.dropped_events_count', span.droppedEventsCount));
  if (span.droppedLinksCount > 0) tags.push(int('otel.dropped_links_count', span.droppedLinksCount));
  return tags;
}

function toLog(event: SpanEvent): JaegerLog {
  const fields: JaegerKeyValue[] = [];
  if (event.name !== '' && !('event' in event.attributes)) fields.push(str('event', event.name));
  fields.push(...toTags(event.attributes));
  if (event.droppedAttributesCount > 0) fields.push(int('otel.dropped_attributes_count', event.droppedAttributesCount));
  return { timestamp: micros(event.timeUnixNano), fields };
}

const refType = (link: SpanLink): JaegerReference['refType'] =>
  link.attributes['opentracing.ref_type'] === 'child_of' ? 'CHILD_OF' : 'FOLLOWS_FROM';

function toReferences(span: Span): JaegerReference[] {
  const refs: JaegerReference[] = [];
  const traceID = formatJaegerTraceId(span.traceId);
  // The parent goes first: Jaeger readers take the first CHILD_OF as the parent.
  if (span.parentSpanId !== '') refs.push({ refType: 'CHILD_OF', traceID, spanID: formatJaegerSpanId(span.parentSpanId) });
  for (const link of span.links) {
    if (span.parentSpanId !== '' && link.traceId === span.traceId && link.spanId === span.parentSpanId) {
      refs[0].refType = refType(link);
      continue;
    }
    refs.push({ refType: refType(link), traceID: formatJaegerTraceId(link.traceId), spanID: formatJaegerSpanId(link.spanId) });
  }
  return refs;
}

/** Assigns p1, p2, … to distinct processes in order of first appearance, as Jaeger's processHashtable. */
class ProcessTable {
  readonly processes: Record<string, JaegerProcess> = {};
  private readonly byContent = new Map<string, string>();
  private readonly byResource = new Map<Resource, string>();

  idOf(resource: Resource): string {
    const known = this.byResource.get(resource);
    if (known !== undefined) return known;
    const process: JaegerProcess = { serviceName: resource.serviceName, tags: toTags(resource.attributes, 'service.name') };
    const content = JSON.stringify(process);
    let id = this.byContent.get(content);
    if (id === undefined) {
      id = `p${this.byContent.size + 1}`;
      this.byContent.set(content, id);
      this.processes[id] = process;
    }
    this.byResource.set(resource, id);
    return id;
  }
}

function toJaegerSpan(span: Span, processID: string): JaegerSpan {
  const duration = span.endTimeUnixNano > span.startTimeUnixNano ? span.endTimeUnixNano - span.startTimeUnixNano : 0n;
  // Stable sort by name, as SortCollections does.
  const events = [...span.events].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    traceID: formatJaegerTraceId(span.traceId),
    spanID: formatJaegerSpanId(span.spanId),
    operationName: span.name,
    references: toReferences(span),
    startTime: micros(span.startTimeUnixNano),
    duration: micros(duration),
    tags: spanTags(span),
    logs: events.map(toLog),
    processID,
    warnings: null,
  };
}

/** The spans of one trace as Jaeger's JSON trace; `spans` must be non-empty. */
export function toJaegerTrace(spans: readonly Span[]): JaegerTrace {
  const table = new ProcessTable();
  const jaegerSpans = spans.map((span) => toJaegerSpan(span, table.idOf(span.resource)));
  return {
    traceID: formatJaegerTraceId(spans[0]?.traceId ?? ''),
    spans: jaegerSpans,
    processes: table.processes,
    warnings: null,
  };
}
