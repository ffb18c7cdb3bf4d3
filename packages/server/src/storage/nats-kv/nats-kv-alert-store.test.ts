import { after, before, describe } from 'node:test';
import { alertStoreConformance } from '../../alerting/alert-store-conformance.js';
import { startNats, type RunningNats } from '../../queue/testing/start-nats.js';
import { NatsKvAlertStore } from './nats-kv-alert-store.js';

describe('NATS JetStream KV alert store (real nats-server)', () => {
  let nats: RunningNats;
  let buckets = 0;
  before(async () => {
    nats = await startNats();
  });
  after(() => nats.stop());

  alertStoreConformance(async () => {
    const bucket = `ALERTS_${++buckets}`;
    let store = await NatsKvAlertStore.open({ servers: nats.url, bucket });
    return {
      store,
      async reopen() {
        await store.shutdown();
        store = await NatsKvAlertStore.open({ servers: nats.url, bucket });
        return store;
      },
      close: () => store.shutdown(),
    };
  });
});
