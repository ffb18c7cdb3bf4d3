/** Systems that are databases or queues rather than services, as OpenTelemetry names them in db.system / messaging.system. */
const DATABASES = new Set([
  'postgresql', 'mysql', 'mariadb', 'mssql', 'oracle', 'sqlite', 'redis', 'memcached', 'mongodb', 'cassandra', 'elasticsearch',
  'opensearch', 'dynamodb', 'couchbase', 'couchdb', 'neo4j', 'clickhouse', 'duckdb', 'cockroachdb', 'db2', 'hbase', 'influxdb', 'cosmosdb',
]);
const QUEUES = new Set(['kafka', 'rabbitmq', 'nats', 'aws_sqs', 'aws_sns', 'gcp_pubsub', 'activemq', 'rocketmq', 'servicebus', 'eventhubs', 'pulsar', 'jms']);

export type NodeKind = 'service' | 'database' | 'queue' | 'external';

/**
 * What a service-graph node is. The ingester names uninstrumented peers `system/namespace`,
 * `system@host` or the bare system; instrumented services are those that report spans.
 */
export function nodeKind(name: string, services: ReadonlySet<string>): NodeKind {
  if (services.has(name)) return 'service';
  const system = name.split(/[/@]/)[0].toLowerCase();
  if (DATABASES.has(system)) return 'database';
  if (QUEUES.has(system)) return 'queue';
  return 'external';
}
