import type { LogHistogram } from '../ingest/sketch/log-histogram.js';
import type { SpanKind, TimeRange } from '../model/span.js';

/*
 * Derived aggregates are stored as per-minute partials: each flush of each ingester appends rows,
 * and readers merge every row of a group (counts add, histograms merge). Restarts and several
 * ingesters therefore give the same answers as one ingester that never stopped.
 */

export const MINUTE_NANO = 60_000_000_000n;

/** Requests, errors and latency of one (service, operation, span kind) in one minute. */
export interface RedPartial {
  tenant: string;
  minuteUnixNano: bigint;
  service: string;
  operation: string;
  spanKind: SpanKind;
  requests: number;
  errors: number;
  latency: LogHistogram;
}

/** Calls from one node of the service graph to another in one minute; latency as the caller saw it. */
export interface EdgePartial {
  tenant: string;
  minuteUnixNano: bigint;
  parent: string;
  child: string;
  calls: number;
  errors: number;
  latency: LogHistogram;
}

/** Error spans of one group (service, type, masked message, top frame) in one minute. */
export interface ErrorGroupPartial {
  tenant: string;
  minuteUnixNano: bigint;
  service: string;
  errorType: string;
  message: string;
  frame: string;
  count: number;
  /** A few trace ids of the group, at most MAX_ERROR_EXAMPLES. */
  exampleTraceIds: string[];
}

export const MAX_ERROR_EXAMPLES = 5;

export interface MetricsBatch {
  red: RedPartial[];
  edges: EdgePartial[];
  errors: ErrorGroupPartial[];
}

/** Appends partials; every call adds to the stored sums, so write each partial once. Resolves when durable, all or nothing. */
export interface MetricsWriter {
  writeMetrics(batch: MetricsBatch): Promise<void>;
}

export interface RedQuery {
  tenant?: string;
  /** Any of these services; all when absent. */
  services?: string[];
  operation?: string;
  /** Any of these kinds; all when absent. */
  spanKinds?: SpanKind[];
  /** One series per (service, operation) instead of per service. */
  groupByOperation?: boolean;
  range: TimeRange;
  /** Width of a point; points start at range.startUnixNano, whole minutes land in one point. */
  stepNano: bigint;
}

export interface RedPoint {
  startUnixNano: bigint;
  requests: number;
  errors: number;
  latency: LogHistogram;
}

export interface RedSeries {
  service: string;
  /** Only when grouped by operation. */
  operation?: string;
  /** Points that have data, in time order. */
  points: RedPoint[];
}

export interface ServiceEdge {
  parent: string;
  child: string;
  calls: number;
  errors: number;
  latency: LogHistogram;
}

export interface ErrorGroupQuery {
  tenant?: string;
  service?: string;
  range: TimeRange;
  stepNano: bigint;
  /** Largest groups first, at most this many. */
  limit: number;
}

export interface ErrorGroup {
  service: string;
  errorType: string;
  message: string;
  frame: string;
  count: number;
  points: { startUnixNano: bigint; count: number }[];
  exampleTraceIds: string[];
}

/** Reads merged aggregates: all partial rows of a group, from every ingester and flush, summed, over the minutes overlapping the range. */
export interface MetricsReader {
  red(query: RedQuery): Promise<RedSeries[]>;
  dependencies(range: TimeRange, tenant?: string): Promise<ServiceEdge[]>;
  errorGroups(query: ErrorGroupQuery): Promise<ErrorGroup[]>;
}

export interface MetricsStore extends MetricsWriter, MetricsReader {}
