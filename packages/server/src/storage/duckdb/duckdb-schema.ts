/*
 * Spans reference their resource and scope by a content hash, so the (large, repeated) resource
 * attributes are stored once. Ids are unsigned integers (16 + 8 bytes), times are ns integers
 * that DuckDB bit-packs, and low-cardinality text (tenant, service, name, attribute texts)
 * is dictionary- or FSST-compressed by DuckDB.
 */
export const SPAN_COLUMNS = [
  ['tenant', 'VARCHAR NOT NULL'],
  ['trace_id', 'UHUGEINT NOT NULL'],
  ['span_id', 'UBIGINT NOT NULL'],
  ['parent_span_id', 'UBIGINT'],
  ['start_ns', 'BIGINT NOT NULL'],
  ['duration_ns', 'BIGINT NOT NULL'],
  ['service', 'VARCHAR NOT NULL'],
  ['name', 'VARCHAR NOT NULL'],
  ['kind', 'UTINYINT NOT NULL'],
  ['status_code', 'UTINYINT NOT NULL'],
  ['status_message', 'VARCHAR NOT NULL'],
  ['trace_state', 'VARCHAR NOT NULL'],
  ['flags', 'UINTEGER NOT NULL'],
  ['resource_id', 'UBIGINT NOT NULL'],
  ['scope_id', 'UBIGINT NOT NULL'],
  ['attributes', 'VARCHAR NOT NULL'],
  ['events', 'VARCHAR NOT NULL'],
  ['links', 'VARCHAR NOT NULL'],
  ['dropped_attributes_count', 'UINTEGER NOT NULL'],
  ['dropped_events_count', 'UINTEGER NOT NULL'],
  ['dropped_links_count', 'UINTEGER NOT NULL'],
] as const;

const spanColumnsDdl = SPAN_COLUMNS.map(([name, type]) => `${name} ${type}`).join(', ');

export const SCHEMA_SQL = [
  `CREATE TABLE IF NOT EXISTS resources (
     id UBIGINT PRIMARY KEY, service_name VARCHAR NOT NULL, attributes VARCHAR NOT NULL,
     dropped_attributes_count UINTEGER NOT NULL, schema_url VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS scopes (
     id UBIGINT PRIMARY KEY, name VARCHAR NOT NULL, version VARCHAR NOT NULL, attributes VARCHAR NOT NULL,
     dropped_attributes_count UINTEGER NOT NULL, schema_url VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS spans (${spanColumnsDdl})`,
];

/** Per writer connection: where a batch lands before it is deduplicated into `spans`. */
export const STAGE_SQL = `CREATE TEMP TABLE IF NOT EXISTS stage (${spanColumnsDdl.replaceAll(' NOT NULL', '')})`;
