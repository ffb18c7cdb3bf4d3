/*
 * Made for volume: tenant leads every sort key, tables are partitioned by day (a purge or TTL
 * drops whole parts), times are ns integers with delta codecs, repeated text is LowCardinality.
 * `spans` is a ReplacingMergeTree: a span written twice has the same sorting key (tenant,
 * service, name, start, trace, span), so merges keep one copy and reads that count use FINAL.
 * Materialized views keep two small lookup tables beside it: `trace_index` (trace → first and
 * last span start, so getTrace reads only that time range of `spans`) and `operations`.
 */

const day = (column: string): string => `toDate(fromUnixTimestamp64Nano(${column}))`;
const ttl = (column: string, retentionHours: number | undefined): string =>
  retentionHours === undefined ? '' : `TTL toDateTime(fromUnixTimestamp64Nano(${column})) + INTERVAL ${Math.ceil(retentionHours)} HOUR`;

const attributeMaps = (prefix: string): string =>
  `${prefix}attributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
   ${prefix}attribute_types Map(LowCardinality(String), LowCardinality(String)) CODEC(ZSTD(1))`;

/** The DDL, idempotent; `retentionHours` adds a TTL that drops expired rows during merges. */
export function clickHouseSchema(retentionHours?: number): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS spans (
       tenant LowCardinality(String),
       trace_id String CODEC(ZSTD(1)),
       span_id String CODEC(ZSTD(1)),
       parent_span_id String CODEC(ZSTD(1)),
       start_ns Int64 CODEC(Delta, ZSTD(1)),
       duration_ns Int64 CODEC(T64, ZSTD(1)),
       service LowCardinality(String),
       name LowCardinality(String),
       kind UInt8,
       status_code UInt8,
       status_message String CODEC(ZSTD(1)),
       trace_state String CODEC(ZSTD(1)),
       flags UInt32,
       ${attributeMaps('')},
       events String CODEC(ZSTD(1)),
       links String CODEC(ZSTD(1)),
       dropped_attributes_count UInt32,
       dropped_events_count UInt32,
       dropped_links_count UInt32,
       ${attributeMaps('resource_')},
       resource_dropped_attributes_count UInt32,
       resource_schema_url LowCardinality(String),
       scope_name LowCardinality(String),
       scope_version LowCardinality(String),
       ${attributeMaps('scope_')},
       scope_dropped_attributes_count UInt32,
       scope_schema_url LowCardinality(String),
       INDEX trace_id_bloom trace_id TYPE bloom_filter(0.01) GRANULARITY 1,
       INDEX attribute_keys_bloom mapKeys(attributes) TYPE bloom_filter(0.01) GRANULARITY 1,
       INDEX attribute_values_bloom mapValues(attributes) TYPE bloom_filter(0.01) GRANULARITY 1,
       INDEX resource_values_bloom mapValues(resource_attributes) TYPE bloom_filter(0.01) GRANULARITY 1,
       INDEX events_ngram events TYPE ngrambf_v1(4, 1024, 2, 0) GRANULARITY 1,
       INDEX duration_minmax duration_ns TYPE minmax GRANULARITY 1
     ) ENGINE = ReplacingMergeTree
     PARTITION BY ${day('start_ns')}
     ORDER BY (tenant, service, name, start_ns, trace_id, span_id)
     ${ttl('start_ns', retentionHours)}`,
    `CREATE TABLE IF NOT EXISTS trace_index (
       tenant LowCardinality(String),
       trace_id String CODEC(ZSTD(1)),
       start_min SimpleAggregateFunction(min, Int64),
       start_max SimpleAggregateFunction(max, Int64)
     ) ENGINE = AggregatingMergeTree
     PARTITION BY ${day('start_max')}
     ORDER BY (tenant, trace_id)
     ${ttl('start_max', retentionHours)}`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS trace_index_mv TO trace_index AS
     SELECT tenant, trace_id, min(start_ns) AS start_min, max(start_ns) AS start_max FROM spans GROUP BY tenant, trace_id`,
    `CREATE TABLE IF NOT EXISTS operations (
       tenant LowCardinality(String),
       service LowCardinality(String),
       name LowCardinality(String),
       kind UInt8,
       last_seen_ns SimpleAggregateFunction(max, Int64)
     ) ENGINE = AggregatingMergeTree
     PARTITION BY ${day('last_seen_ns')}
     ORDER BY (tenant, service, name, kind)
     ${ttl('last_seen_ns', retentionHours)}`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS operations_mv TO operations AS
     SELECT tenant, service, name, kind, max(start_ns) AS last_seen_ns FROM spans GROUP BY tenant, service, name, kind`,
    // Per-minute partials of the ingester, merged at read (histograms do not merge in SQL).
    `CREATE TABLE IF NOT EXISTS red_minutes (
       tenant LowCardinality(String), minute_ns Int64, service LowCardinality(String), operation LowCardinality(String),
       kind UInt8, requests Float64, errors Float64, latency String CODEC(ZSTD(1))
     ) ENGINE = MergeTree PARTITION BY ${day('minute_ns')} ORDER BY (tenant, service, minute_ns, operation, kind)
     ${ttl('minute_ns', retentionHours)}`,
    `CREATE TABLE IF NOT EXISTS edge_minutes (
       tenant LowCardinality(String), minute_ns Int64, parent LowCardinality(String), child LowCardinality(String),
       calls Float64, errors Float64, latency String CODEC(ZSTD(1))
     ) ENGINE = MergeTree PARTITION BY ${day('minute_ns')} ORDER BY (tenant, minute_ns, parent, child)
     ${ttl('minute_ns', retentionHours)}`,
    `CREATE TABLE IF NOT EXISTS error_minutes (
       tenant LowCardinality(String), minute_ns Int64, service LowCardinality(String), error_type LowCardinality(String),
       message String CODEC(ZSTD(1)), frame String CODEC(ZSTD(1)), count Float64, examples Array(String)
     ) ENGINE = MergeTree PARTITION BY ${day('minute_ns')} ORDER BY (tenant, service, minute_ns, error_type)
     ${ttl('minute_ns', retentionHours)}`,
  ];
}

/** Deletes what started (or, for aggregates, ended) before {cutoff:Int64}, in every table. */
export const PURGE_SQL = [
  'DELETE FROM spans WHERE start_ns < {cutoff:Int64}',
  'DELETE FROM trace_index WHERE start_max < {cutoff:Int64}',
  'DELETE FROM operations WHERE last_seen_ns < {cutoff:Int64}',
  ...['red_minutes', 'edge_minutes', 'error_minutes'].map((table) => `DELETE FROM ${table} WHERE minute_ns + 60000000000 <= {cutoff:Int64}`),
];
