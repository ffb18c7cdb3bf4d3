import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { runQueueConformance } from '../queue-conformance.js';
import { startNats, type RunningNats } from '../testing/start-nats.js';
import { NatsJetStreamConsumer, NatsJetStreamProducer, type NatsJetStreamOptions } from './nats-jetstream-queue.js';

const log = pino({ level: 'silent' });
let nats: RunningNats;
let streams = 0;

before(async () => {
  nats = await startNats();
});
after(async () => {
  await nats?.stop();
});

runQueueConformance('NATS JetStream', () => {
  const options: NatsJetStreamOptions = { servers: nats.url, stream: `S${++streams}`, subjectPrefix: `s${streams}`, partitions: 4 };
  return {
    producer: () => new NatsJetStreamProducer(options),
    consumer: () => new NatsJetStreamConsumer({ ...options, ackWaitMs: 1_500, retryDelayMs: 5, shutdownGraceMs: 200 }, log),
  };
});

describe('NatsJetStreamProducer', () => {
  it('fails at start when the stream was made with another partition count', async () => {
    const stream = { servers: nats.url, stream: 'PARTITIONED', subjectPrefix: 'partitioned' };
    const first = new NatsJetStreamProducer({ ...stream, partitions: 4 });
    await first.start();
    await first.shutdown();
    const second = new NatsJetStreamProducer({ ...stream, partitions: 8 });
    await assert.rejects(second.start(), { code: 'ARIADNE_INVALID_CONFIG' });
    await second.shutdown();
  });
});
