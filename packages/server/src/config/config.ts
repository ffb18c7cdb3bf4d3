import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Errors } from '../errors.js';

/** Every setting of the `ariadne` CLI. Precedence: flags, then environment, then config file, then defaults. */
export interface AriadneConfig {
  role: Role;
  host: string;
  otlpHttpPort: number;
  otlpGrpcPort: number;
  zipkinPort: number;
  queryPort: number;
  dataDir: string;
  /** Spans older than this are deleted. */
  retentionHours: number;
  /** Largest accepted OTLP request body, after decompression. */
  maxBodyBytes: number;
  /** Spans the ingest queue holds before the receiver answers 503. */
  queueMaxSpans: number;
  /** Spans written to storage in one transaction at most. */
  writeBatchSpans: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** 'all': RED metrics, service graph, error groups (and tail sampling when on); 'none': write spans only. */
  processors: 'all' | 'none';
  /** How long the ingester waits for the rest of a trace (service graph pairing, tail-sampling decision). */
  traceWindowSeconds: number;
  tailSampling: boolean;
  /** Fraction of the traces no other policy keeps that tail sampling keeps. */
  tailSamplingProbability: number;
  /** Traces at least this long are always kept; 0 disables. */
  tailSamplingSlowMs: number;
  /** Traces kept per second per root (service, operation) whatever the probability; 0 disables. */
  tailSamplingOperationRate: number;
  /** Between gateway and ingesters; memory only within all-in-one. */
  queue: 'memory' | 'nats' | 'kafka';
  natsUrl: string;
  /** Comma-separated host:port list. */
  kafkaBrokers: string;
  /** Fixed for the life of the queue: gateways and ingesters must agree. */
  queuePartitions: number;
  /** Consumer group the ingesters share. */
  ingesterGroup: string;
  /** The ingester writes the queue messages it holds together once they reach this many spans… */
  ingesterBatchSpans: number;
  /** …or this many message bytes… */
  ingesterBatchBytes: number;
  /** …or the first has waited this long (sooner when every busy partition is in the batch). */
  ingesterBatchLingerMs: number;
  storage: 'duckdb' | 'clickhouse';
  clickhouseUrl: string;
  clickhouseDatabase: string;
  /** Where agents forward (gateway's OTLP/HTTP base URL). */
  gatewayUrl: string;
  /** The ingest token agents send to the gateway. */
  agentToken: string;
  /** Bytes the agent spools to disk at most while the gateway is unreachable. */
  spoolMaxBytes: number;
  agentBatchSpans: number;
  agentBatchDelayMs: number;
  /** JSON file of ingest tokens: { "<token>": { tenant, project, rateLimitSpansPerSecond? } }. */
  tokensFile: string;
  /** Spans per second per tenant when its tokens set no limit; 0: unlimited. */
  tenantRateLimit: number;
  /** How often alert rules are evaluated. */
  alertingIntervalSeconds: number;
  /** Where people reach the UI; alert links are relative when empty. */
  alertingPublicUrl: string;
  /** Tries per webhook notification, the first included (backoff doubles from 1 s). */
  alertingWebhookAttempts: number;
  alertingWebhookTimeoutMs: number;
}

export const ROLES = ['all-in-one', 'agent', 'gateway', 'ingester', 'query'] as const;
export type Role = (typeof ROLES)[number];

export const DEFAULT_CONFIG: AriadneConfig = {
  role: 'all-in-one',
  host: '0.0.0.0',
  otlpHttpPort: 4318,
  otlpGrpcPort: 4317,
  zipkinPort: 9411,
  queryPort: 16686,
  dataDir: './data',
  retentionHours: 7 * 24,
  maxBodyBytes: 32 * 1024 * 1024,
  queueMaxSpans: 200_000,
  writeBatchSpans: 20_000,
  logLevel: 'info',
  processors: 'all',
  traceWindowSeconds: 10,
  tailSampling: false,
  tailSamplingProbability: 0.1,
  tailSamplingSlowMs: 1000,
  tailSamplingOperationRate: 1,
  queue: 'memory',
  natsUrl: '',
  kafkaBrokers: '',
  queuePartitions: 16,
  ingesterGroup: 'ariadne-ingesters',
  ingesterBatchSpans: 2000,
  ingesterBatchBytes: 8 * 1024 * 1024,
  ingesterBatchLingerMs: 50,
  storage: 'duckdb',
  clickhouseUrl: '',
  clickhouseDatabase: 'ariadne',
  gatewayUrl: '',
  agentToken: '',
  spoolMaxBytes: 1024 * 1024 * 1024,
  agentBatchSpans: 2000,
  agentBatchDelayMs: 200,
  tokensFile: '',
  tenantRateLimit: 0,
  alertingIntervalSeconds: 30,
  alertingPublicUrl: '',
  alertingWebhookAttempts: 4,
  alertingWebhookTimeoutMs: 5000,
};

interface Setting {
  key: keyof AriadneConfig;
  flag: string;
  env: string;
  type: 'string' | 'integer' | 'number' | 'boolean';
  help: string;
}

const SETTINGS: Setting[] = [
  { key: 'role', flag: 'role', env: 'ARIADNE_ROLE', type: 'string', help: 'all-in-one, agent, gateway, ingester or query' },
  { key: 'host', flag: 'host', env: 'ARIADNE_HOST', type: 'string', help: 'address every listener binds to' },
  { key: 'otlpHttpPort', flag: 'otlp-http-port', env: 'ARIADNE_OTLP_HTTP_PORT', type: 'integer', help: 'OTLP/HTTP receiver port (POST /v1/traces)' },
  { key: 'otlpGrpcPort', flag: 'otlp-grpc-port', env: 'ARIADNE_OTLP_GRPC_PORT', type: 'integer', help: 'OTLP/gRPC receiver port (all-in-one, agent)' },
  { key: 'zipkinPort', flag: 'zipkin-port', env: 'ARIADNE_ZIPKIN_PORT', type: 'integer', help: 'Zipkin v2 receiver port, POST /api/v2/spans (all-in-one, agent)' },
  { key: 'queryPort', flag: 'query-port', env: 'ARIADNE_QUERY_PORT', type: 'integer', help: 'UI, Jaeger query API and native API port' },
  { key: 'dataDir', flag: 'data-dir', env: 'ARIADNE_DATA_DIR', type: 'string', help: 'where the DuckDB database lives' },
  { key: 'retentionHours', flag: 'retention-hours', env: 'ARIADNE_RETENTION_HOURS', type: 'number', help: 'delete spans older than this many hours' },
  { key: 'maxBodyBytes', flag: 'max-body-bytes', env: 'ARIADNE_MAX_BODY_BYTES', type: 'integer', help: 'largest OTLP request body accepted, after gunzip (413 above)' },
  { key: 'queueMaxSpans', flag: 'queue-max-spans', env: 'ARIADNE_QUEUE_MAX_SPANS', type: 'integer', help: 'spans buffered before the receiver answers 503 Retry-After' },
  { key: 'writeBatchSpans', flag: 'write-batch-spans', env: 'ARIADNE_WRITE_BATCH_SPANS', type: 'integer', help: 'most spans written to storage per transaction' },
  { key: 'logLevel', flag: 'log-level', env: 'ARIADNE_LOG_LEVEL', type: 'string', help: 'fatal, error, warn, info, debug, trace or silent' },
  { key: 'processors', flag: 'processors', env: 'ARIADNE_PROCESSORS', type: 'string', help: 'all (RED metrics, service graph, errors, sampling) or none' },
  { key: 'traceWindowSeconds', flag: 'trace-window-seconds', env: 'ARIADNE_TRACE_WINDOW_SECONDS', type: 'number', help: 'how long the ingester waits for the rest of a trace' },
  { key: 'tailSampling', flag: 'tail-sampling', env: 'ARIADNE_TAIL_SAMPLING', type: 'boolean', help: 'keep only errors, slow traces and a sample of the rest' },
  { key: 'tailSamplingProbability', flag: 'tail-sampling-probability', env: 'ARIADNE_TAIL_SAMPLING_PROBABILITY', type: 'number', help: 'fraction of the other traces kept (0-1)' },
  { key: 'tailSamplingSlowMs', flag: 'tail-sampling-slow-ms', env: 'ARIADNE_TAIL_SAMPLING_SLOW_MS', type: 'number', help: 'traces at least this long are kept (0: off)' },
  { key: 'tailSamplingOperationRate', flag: 'tail-sampling-operation-rate', env: 'ARIADNE_TAIL_SAMPLING_OPERATION_RATE', type: 'number', help: 'traces/s kept per root operation regardless (0: off)' },
  { key: 'queue', flag: 'queue', env: 'ARIADNE_QUEUE', type: 'string', help: 'memory (all-in-one), nats or kafka (gateway, ingester)' },
  { key: 'natsUrl', flag: 'nats-url', env: 'ARIADNE_NATS_URL', type: 'string', help: 'NATS server(s) with JetStream, e.g. nats://nats:4222 (gateway, ingester; query: alerting documents beside ClickHouse)' },
  { key: 'kafkaBrokers', flag: 'kafka-brokers', env: 'ARIADNE_KAFKA_BROKERS', type: 'string', help: 'Kafka bootstrap brokers, host:port[,host:port]' },
  { key: 'queuePartitions', flag: 'queue-partitions', env: 'ARIADNE_QUEUE_PARTITIONS', type: 'integer', help: 'queue partitions (same on every gateway and ingester)' },
  { key: 'ingesterGroup', flag: 'ingester-group', env: 'ARIADNE_INGESTER_GROUP', type: 'string', help: 'consumer group of the ingesters' },
  { key: 'ingesterBatchSpans', flag: 'ingester-batch-spans', env: 'ARIADNE_INGESTER_BATCH_SPANS', type: 'integer', help: 'ingester: queue messages are written together up to this many spans' },
  { key: 'ingesterBatchBytes', flag: 'ingester-batch-bytes', env: 'ARIADNE_INGESTER_BATCH_BYTES', type: 'integer', help: 'ingester: ... or this many message bytes' },
  { key: 'ingesterBatchLingerMs', flag: 'ingester-batch-linger-ms', env: 'ARIADNE_INGESTER_BATCH_LINGER_MS', type: 'integer', help: 'ingester: ... or until the first message waited this long' },
  { key: 'storage', flag: 'storage', env: 'ARIADNE_STORAGE', type: 'string', help: 'duckdb (file under --data-dir) or clickhouse' },
  { key: 'clickhouseUrl', flag: 'clickhouse-url', env: 'ARIADNE_CLICKHOUSE_URL', type: 'string', help: 'ClickHouse HTTP endpoint, e.g. http://clickhouse:8123' },
  { key: 'clickhouseDatabase', flag: 'clickhouse-database', env: 'ARIADNE_CLICKHOUSE_DATABASE', type: 'string', help: 'ClickHouse database (created when missing)' },
  { key: 'gatewayUrl', flag: 'gateway-url', env: 'ARIADNE_GATEWAY_URL', type: 'string', help: 'agent: the gateway to forward to, e.g. http://gateway:4318' },
  { key: 'agentToken', flag: 'agent-token', env: 'ARIADNE_AGENT_TOKEN', type: 'string', help: 'agent: ingest token sent to the gateway' },
  { key: 'spoolMaxBytes', flag: 'spool-max-bytes', env: 'ARIADNE_SPOOL_MAX_BYTES', type: 'integer', help: 'agent: disk spool size limit (spans beyond are dropped, counted)' },
  { key: 'agentBatchSpans', flag: 'agent-batch-spans', env: 'ARIADNE_AGENT_BATCH_SPANS', type: 'integer', help: 'agent: spans per forwarded batch at most' },
  { key: 'agentBatchDelayMs', flag: 'agent-batch-delay-ms', env: 'ARIADNE_AGENT_BATCH_DELAY_MS', type: 'integer', help: 'agent: longest wait to fill a batch' },
  { key: 'tokensFile', flag: 'tokens-file', env: 'ARIADNE_TOKENS_FILE', type: 'string', help: 'gateway: ingest tokens JSON {token: {tenant, project, rateLimitSpansPerSecond?}}' },
  { key: 'tenantRateLimit', flag: 'tenant-rate-limit', env: 'ARIADNE_TENANT_RATE_LIMIT', type: 'number', help: 'gateway: spans/s per tenant without its own limit (0: none)' },
  { key: 'alertingIntervalSeconds', flag: 'alerting-interval-seconds', env: 'ARIADNE_ALERTING_INTERVAL_SECONDS', type: 'number', help: 'how often alert rules are evaluated (all-in-one, query)' },
  { key: 'alertingPublicUrl', flag: 'alerting-public-url', env: 'ARIADNE_ALERTING_PUBLIC_URL', type: 'string', help: 'UI base URL for links in notifications (empty: relative links)' },
  { key: 'alertingWebhookAttempts', flag: 'alerting-webhook-attempts', env: 'ARIADNE_ALERTING_WEBHOOK_ATTEMPTS', type: 'integer', help: 'tries per notification, backoff doubling from 1 s' },
  { key: 'alertingWebhookTimeoutMs', flag: 'alerting-webhook-timeout-ms', env: 'ARIADNE_ALERTING_WEBHOOK_TIMEOUT_MS', type: 'integer', help: 'how long one webhook try may take' },
];

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function helpText(): string {
  const rows = SETTINGS.map((s) => {
    const def = String(DEFAULT_CONFIG[s.key]);
    return `  --${s.flag.padEnd(18)} ${s.help}\n  ${''.padEnd(20)} env ${s.env}, default ${def}`;
  });
  return [
    'Usage: ariadne [options]',
    '',
    'Runs the Ariadne tracing backend. With no role, all-in-one: OTLP and Zipkin receivers, ingester, DuckDB',
    'storage, Jaeger query API and UI in one process.',
    '',
    'Options:',
    ...rows,
    '  --config FILE        JSON file with any of the settings above, by their camelCase names',
    '                       env ARIADNE_CONFIG',
    '  --help               print this and exit',
    '  --version            print the version and exit',
    '',
  ].join('\n');
}

export type ParsedCommand = { kind: 'help' } | { kind: 'version' } | { kind: 'run'; config: AriadneConfig };

/** Parses flags, environment and config file; throws ARIADNE_INVALID_CONFIG naming the bad setting. */
export function parseCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): ParsedCommand {
  const options: Record<string, { type: 'string' | 'boolean' }> = {
    help: { type: 'boolean' },
    version: { type: 'boolean' },
    config: { type: 'string' },
  };
  for (const s of SETTINGS) options[s.flag] = { type: 'string' };
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: argv, options, allowPositionals: false, strict: true }).values;
  } catch (err) {
    throw Errors.invalidConfig(`${(err as Error).message}; see --help`);
  }
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };

  const raw: Record<string, unknown> = {};
  const configPath = (values.config as string | undefined) ?? env.ARIADNE_CONFIG;
  if (configPath) Object.assign(raw, readConfigFile(configPath));
  for (const s of SETTINGS) {
    const fromEnv = env[s.env];
    if (fromEnv !== undefined && fromEnv !== '') raw[s.key] = fromEnv;
    const fromFlag = values[s.flag];
    if (fromFlag !== undefined) raw[s.key] = fromFlag;
  }
  return { kind: 'run', config: resolveConfig(raw) };
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw Errors.invalidConfig(`cannot read config file ${path}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw Errors.invalidConfig(`config file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw Errors.invalidConfig(`config file ${path} must hold a JSON object`);
  }
  const known = new Set(SETTINGS.map((s) => s.key as string));
  for (const key of Object.keys(parsed)) {
    if (!known.has(key)) throw Errors.invalidConfig(`config file ${path}: unknown setting '${key}'`);
  }
  return parsed as Record<string, unknown>;
}

/** Validates raw values (strings from flags and env, JSON values from the file) over the defaults. */
export function resolveConfig(raw: Record<string, unknown>): AriadneConfig {
  const config: Record<string, unknown> = { ...DEFAULT_CONFIG };
  for (const s of SETTINGS) {
    const value = raw[s.key];
    if (value === undefined) continue;
    config[s.key] = s.type === 'string' ? String(value) : s.type === 'boolean' ? parseBoolean(s, value) : parseNumber(s, value);
  }
  const result = config as unknown as AriadneConfig;
  checkRoleSettings(result);
  if (!LOG_LEVELS.includes(result.logLevel)) {
    throw Errors.invalidConfig(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got '${result.logLevel}'`);
  }
  if (result.processors !== 'all' && result.processors !== 'none') {
    throw Errors.invalidConfig(`--processors must be all or none, got '${result.processors}'`);
  }
  if (result.tailSamplingProbability > 1) {
    throw Errors.invalidConfig(`--tail-sampling-probability must be between 0 and 1, got ${result.tailSamplingProbability}`);
  }
  if (result.alertingIntervalSeconds < 0.1) {
    throw Errors.invalidConfig(`--alerting-interval-seconds must be at least 0.1, got ${result.alertingIntervalSeconds}`);
  }
  if (result.ingesterBatchSpans < 1) throw Errors.invalidConfig('--ingester-batch-spans must be at least 1');
  if (result.ingesterBatchBytes < 1) throw Errors.invalidConfig('--ingester-batch-bytes must be at least 1');
  // Handlers wait this long before their messages are acked; beyond a few seconds the queue's
  // ack wait and the shutdown grace come into play.
  if (result.ingesterBatchLingerMs > 5000) {
    throw Errors.invalidConfig(`--ingester-batch-linger-ms must be at most 5000, got ${result.ingesterBatchLingerMs}`);
  }
  if (result.alertingWebhookAttempts < 1) throw Errors.invalidConfig('--alerting-webhook-attempts must be at least 1');
  for (const port of ['otlpHttpPort', 'otlpGrpcPort', 'zipkinPort', 'queryPort'] as const) {
    if (result[port] > 65535) throw Errors.invalidConfig(`${port} must be a port number (0-65535), got ${result[port]}`);
  }
  return result;
}

/** What each role needs, so a missing setting fails at startup, naming the flag. */
function checkRoleSettings(c: AriadneConfig): void {
  const oneOf = (flag: string, value: string, allowed: readonly string[]) => {
    if (!allowed.includes(value)) throw Errors.invalidConfig(`--${flag} must be one of ${allowed.join(', ')}, got '${value}'`);
  };
  const need = (flag: string, value: string, why: string) => {
    if (value === '') throw Errors.invalidConfig(`--${flag} is required ${why}`);
  };
  oneOf('role', c.role, ROLES);
  oneOf('queue', c.queue, ['memory', 'nats', 'kafka']);
  oneOf('storage', c.storage, ['duckdb', 'clickhouse']);
  if (c.queuePartitions < 1) throw Errors.invalidConfig('--queue-partitions must be at least 1');
  if (c.role === 'all-in-one' && c.queue !== 'memory') throw Errors.invalidConfig(`--queue ${c.queue} needs the gateway and ingester roles; all-in-one uses memory`);
  if (c.role === 'gateway' || c.role === 'ingester') {
    if (c.queue === 'memory') throw Errors.invalidConfig(`--role ${c.role} needs --queue nats or kafka (memory works only within all-in-one)`);
    if (c.queue === 'nats') need('nats-url', c.natsUrl, `with --queue nats`);
    if (c.queue === 'kafka') need('kafka-brokers', c.kafkaBrokers, `with --queue kafka`);
  }
  if (c.storage === 'clickhouse' && ['all-in-one', 'ingester', 'query'].includes(c.role)) need('clickhouse-url', c.clickhouseUrl, 'with --storage clickhouse');
  if (c.role === 'agent') {
    need('gateway-url', c.gatewayUrl, 'by the agent role');
    need('agent-token', c.agentToken, 'by the agent role');
    if (!/^https?:\/\//.test(c.gatewayUrl)) throw Errors.invalidConfig(`--gateway-url must be an http(s) URL, got '${c.gatewayUrl}'`);
  }
  if (c.role === 'gateway') need('tokens-file', c.tokensFile, 'by the gateway role');
}

function parseBoolean(s: Setting, value: unknown): boolean {
  if (value === true || value === 'true' || value === '1') return true;
  if (value === false || value === 'false' || value === '0') return false;
  throw Errors.invalidConfig(`--${s.flag} (${s.env}) must be true or false, got '${String(value)}'`);
}

function parseNumber(s: Setting, value: unknown): number {
  const n = typeof value === 'number' ? value : Number(String(value).trim() || NaN);
  const ok = Number.isFinite(n) && n >= 0 && (s.type === 'number' || Number.isInteger(n));
  if (!ok) {
    const kind = s.type === 'integer' ? 'a whole number' : 'a number';
    throw Errors.invalidConfig(`--${s.flag} (${s.env}) must be ${kind} of zero or more, got '${String(value)}'`);
  }
  return n;
}
