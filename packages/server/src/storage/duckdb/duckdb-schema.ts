/*
 * Resources and scopes are stored once, found by a content hash, and spans reference them by a
 * small dense id that DuckDB bit-packs to a few bits (a 64-bit hash would cost ~6 bytes a span).
 * Ids are unsigned integers (16 + 8 bytes; a root's parent is 0), times are ns integers that
 * DuckDB bit-packs, low-cardinality text (tenant, service, name, attribute keys) is
 * dictionary-compressed, attribute values FSST-compressed (see attribute-columns.ts).
 */
export const SPAN_COLUMNS = [
  ['tenant', 'VARCHAR NOT NULL'],
  ['trace_id', 'UHUGEINT NOT NULL'],
  ['span_id', 'UBIGINT NOT NULL'],
  ['parent_span_id', 'UBIGINT NOT NULL'],
  ['start_ns', 'BIGINT NOT NULL'],
  ['duration_ns', 'BIGINT NOT NULL'],
  ['service', 'VARCHAR NOT NULL'],
  ['name', 'VARCHAR NOT NULL'],
  ['kind', 'UTINYINT NOT NULL'],
  ['status_code', 'UTINYINT NOT NULL'],
  ['status_message', 'VARCHAR NOT NULL'],
  ['trace_state', 'VARCHAR NOT NULL'],
  ['flags', 'UINTEGER NOT NULL'],
  ['resource_id', 'UINTEGER NOT NULL'],
  ['scope_id', 'UINTEGER NOT NULL'],
  ['attribute_keys', 'VARCHAR NOT NULL'],
  ['attribute_values', 'VARCHAR NOT NULL'],
  ['events', 'VARCHAR NOT NULL'],
  ['links', 'VARCHAR NOT NULL'],
  ['dropped_attributes_count', 'UINTEGER NOT NULL'],
  ['dropped_events_count', 'UINTEGER NOT NULL'],
  ['dropped_links_count', 'UINTEGER NOT NULL'],
] as const;

const spanColumnsDdl = SPAN_COLUMNS.map(([name, type]) => `${name} ${type}`).join(', ');

export const SCHEMA_SQL = [
  `CREATE TABLE IF NOT EXISTS resources (
     id UINTEGER PRIMARY KEY, hash UBIGINT NOT NULL, service_name VARCHAR NOT NULL, attributes VARCHAR NOT NULL,
     dropped_attributes_count UINTEGER NOT NULL, schema_url VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS scopes (
     id UINTEGER PRIMARY KEY, hash UBIGINT NOT NULL, name VARCHAR NOT NULL, version VARCHAR NOT NULL, attributes VARCHAR NOT NULL,
     dropped_attributes_count UINTEGER NOT NULL, schema_url VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS spans (${spanColumnsDdl})`,
];
