/*
 * Per-minute partial aggregates: each ingester flush appends rows, readers merge the rows of a
 * group. Latency histograms are LogHistogram's compact binary form.
 */
export const METRICS_SCHEMA_SQL = [
  `CREATE TABLE IF NOT EXISTS red_minutes (
     tenant VARCHAR NOT NULL, minute_ns BIGINT NOT NULL, service VARCHAR NOT NULL, operation VARCHAR NOT NULL,
     kind UTINYINT NOT NULL, requests DOUBLE NOT NULL, errors DOUBLE NOT NULL, latency BLOB NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS edge_minutes (
     tenant VARCHAR NOT NULL, minute_ns BIGINT NOT NULL, parent VARCHAR NOT NULL, child VARCHAR NOT NULL,
     calls DOUBLE NOT NULL, errors DOUBLE NOT NULL, latency BLOB NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS error_minutes (
     tenant VARCHAR NOT NULL, minute_ns BIGINT NOT NULL, service VARCHAR NOT NULL, error_type VARCHAR NOT NULL,
     message VARCHAR NOT NULL, frame VARCHAR NOT NULL, count DOUBLE NOT NULL, examples VARCHAR[] NOT NULL)`,
];

/** Deletes the minutes that ended before $cutoff. */
export const METRICS_PURGE_SQL = ['red_minutes', 'edge_minutes', 'error_minutes'].map(
  (table) => `DELETE FROM ${table} WHERE minute_ns + 60000000000 <= $cutoff`,
);
