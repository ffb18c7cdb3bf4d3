import { LogHistogram } from '../ingest/sketch/log-histogram.js';
import type { TimeRange } from '../model/span.js';
import { MAX_ERROR_EXAMPLES } from './metrics-store.js';
import type { ErrorGroup, ErrorGroupPartial, ErrorGroupQuery, RedPoint, RedQuery, RedSeries, ServiceEdge } from './metrics-store.js';

/*
 * Merging of stored per-minute partials into the answers of MetricsReader, shared by the
 * backends: they select the rows, this adds counts and merges histograms (which SQL cannot).
 */

export interface RedRow {
  minuteUnixNano: bigint;
  service: string;
  /** '' unless the query groups by operation. */
  operation: string;
  requests: number;
  errors: number;
  latency: LogHistogram;
}

export interface EdgeRow {
  parent: string;
  child: string;
  calls: number;
  errors: number;
  latency: LogHistogram;
}

/** An error group's partial of one minute, as a backend selects it for one tenant. */
export type ErrorRow = Omit<ErrorGroupPartial, 'tenant'>;

const pointStart = (minute: bigint, range: TimeRange, step: bigint): bigint => {
  const offset = minute - range.startUnixNano;
  return range.startUnixNano + (offset <= 0n ? 0n : (offset / step) * step);
};

/** Rows in minute order → series sorted by service and operation. */
export function mergeRed(rows: Iterable<RedRow>, query: RedQuery): RedSeries[] {
  const series = new Map<string, { series: RedSeries; points: Map<bigint, RedPoint> }>();
  for (const row of rows) {
    const key = `${row.service}\0${row.operation}`;
    let s = series.get(key);
    if (!s) {
      const base: RedSeries = { service: row.service, points: [] };
      if (query.groupByOperation) base.operation = row.operation;
      s = { series: base, points: new Map() };
      series.set(key, s);
    }
    const start = pointStart(row.minuteUnixNano, query.range, query.stepNano);
    let point = s.points.get(start);
    if (!point) {
      point = { startUnixNano: start, requests: 0, errors: 0, latency: new LogHistogram() };
      s.points.set(start, point);
    }
    point.requests += row.requests;
    point.errors += row.errors;
    point.latency.merge(row.latency);
  }
  return [...series.values()]
    .map(({ series: s, points }) => ({ ...s, points: [...points.values()] }))
    .sort((a, b) => (a.service + '\0' + (a.operation ?? '') < b.service + '\0' + (b.operation ?? '') ? -1 : 1));
}

export function mergeEdges(rows: Iterable<EdgeRow>): ServiceEdge[] {
  const edges = new Map<string, ServiceEdge>();
  for (const row of rows) {
    const key = `${row.parent}\0${row.child}`;
    let edge = edges.get(key);
    if (!edge) {
      edge = { parent: row.parent, child: row.child, calls: 0, errors: 0, latency: new LogHistogram() };
      edges.set(key, edge);
    }
    edge.calls += row.calls;
    edge.errors += row.errors;
    edge.latency.merge(row.latency);
  }
  return [...edges.values()].sort((a, b) => (a.parent + '\0' + a.child < b.parent + '\0' + b.child ? -1 : 1));
}

/** Rows in minute order → the largest groups, with their first distinct example trace ids. */
export function mergeErrorGroups(rows: Iterable<ErrorRow>, query: ErrorGroupQuery): ErrorGroup[] {
  const groups = new Map<string, ErrorGroup>();
  for (const row of rows) {
    const key = `${row.service}\0${row.errorType}\0${row.message}\0${row.frame}`;
    let group = groups.get(key);
    if (!group) {
      group = { service: row.service, errorType: row.errorType, message: row.message, frame: row.frame, count: 0, points: [], exampleTraceIds: [] };
      groups.set(key, group);
    }
    group.count += row.count;
    const start = pointStart(row.minuteUnixNano, query.range, query.stepNano);
    const last = group.points.at(-1);
    if (last?.startUnixNano === start) last.count += row.count;
    else group.points.push({ startUnixNano: start, count: row.count });
    for (const id of row.exampleTraceIds) {
      if (group.exampleTraceIds.length < MAX_ERROR_EXAMPLES && !group.exampleTraceIds.includes(id)) group.exampleTraceIds.push(id);
    }
  }
  return [...groups.values()].sort((a, b) => b.count - a.count).slice(0, query.limit);
}
