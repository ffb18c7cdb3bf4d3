// Publish → consume throughput of the scale-out queues, NATS JetStream and Kafka, against the
// in-process baseline (encode + decode only: what the all-in-one path would pay if it serialized).
// Each message is the spans of one trace, encoded as the gateway publishes them.
import { pino } from 'pino';
import { generateWorkload } from '../../packages/server/src/ingest/test-workload.js';
import { KafkaQueueConsumer, KafkaQueueProducer } from '../../packages/server/src/queue/kafka/kafka-queue.js';
import { NatsJetStreamConsumer, NatsJetStreamProducer } from '../../packages/server/src/queue/nats/nats-jetstream-queue.js';
import type { QueueConsumer, QueueProducer } from '../../packages/server/src/queue/queue.js';
import { decodeSpanBatch, encodeSpanBatch, splitByTrace } from '../../packages/server/src/queue/span-batch-codec.js';
import { startKafka } from '../../packages/server/src/queue/testing/start-kafka.js';
import { startNats } from '../../packages/server/src/queue/testing/start-nats.js';

const TRACES = Number(process.env.BENCH_TRACES ?? 20_000);
const PARTITIONS = 8;
/** Publishes in flight at once, as a gateway serving concurrent requests would have. */
const CONCURRENCY = 64;
const log = pino({ level: 'warn' });

const spans = generateWorkload({ traces: TRACES, startUnixNano: 1_700_000_000_000_000_000n, intervalNano: 1_000_000n });
const messages = [...splitByTrace({ tenant: 'bench', spans })].map(([key, batch]) => ({ key, payload: encodeSpanBatch(batch) }));
const bytes = messages.reduce((n, m) => n + m.payload.length, 0);

interface Row { backend: string; seconds: number }

async function measure(backend: string, producer: QueueProducer, consumer: QueueConsumer): Promise<Row> {
  await producer.start();
  await consumer.start();
  let consumed = 0;
  let done!: () => void;
  const all = new Promise<void>((resolve) => (done = resolve));
  await consumer.consume('bench', async (m) => {
    decodeSpanBatch(m.payload);
    if (++consumed === messages.length) done();
  });
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < messages.length) {
      const m = messages[next++];
      await producer.publish(m.key, m.payload);
    }
  }));
  await all;
  const seconds = (performance.now() - started) / 1000;
  await producer.shutdown();
  await consumer.shutdown();
  return { backend, seconds };
}

function baseline(): Row {
  const started = performance.now();
  for (const m of messages) decodeSpanBatch(m.payload);
  const encoded = [...splitByTrace({ tenant: 'bench', spans })].map(([, batch]) => encodeSpanBatch(batch)).length;
  return { backend: `in-process codec only (${encoded} encodes + decodes)`, seconds: (performance.now() - started) / 1000 };
}

const rows: Row[] = [baseline()];
const nats = await startNats();
try {
  const options = { servers: nats.url, partitions: PARTITIONS };
  rows.push(await measure('NATS JetStream (file store)', new NatsJetStreamProducer(options), new NatsJetStreamConsumer(options, log)));
} finally {
  await nats.stop();
}
const kafka = await startKafka();
try {
  const options = { brokers: [kafka.bootstrap], partitions: PARTITIONS };
  rows.push(await measure('Kafka (acks=all)', new KafkaQueueProducer(options), new KafkaQueueConsumer(options, log)));
} finally {
  await kafka.stop();
}

console.log(`${messages.length} messages (one trace each, ${spans.length} spans, ${(bytes / messages.length).toFixed(0)} B/message), ${PARTITIONS} partitions, ${CONCURRENCY} publishes in flight, one consumer\n`);
console.log('| backend | seconds | messages/s | spans/s |');
console.log('| --- | ---: | ---: | ---: |');
for (const { backend, seconds } of rows) {
  console.log(`| ${backend} | ${seconds.toFixed(2)} | ${Math.round(messages.length / seconds)} | ${Math.round(spans.length / seconds)} |`);
}
