import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { Component } from '../model/component.js';
import type { Message, MessageHandler, QueueConsumer, QueueProducer } from './queue.js';

/**
 * A backend under test, on a topic or stream of its own for each call of the factory. Consumers it
 * makes retry after a few milliseconds, give up on handlers 200 ms into shutdown, and hand a dead
 * consumer's message on within a few seconds (NATS ack wait, Kafka rebalance).
 */
export interface QueueFixture {
  producer(): QueueProducer;
  consumer(): QueueConsumer;
}

const TIMEOUT_MS = 60_000;

/**
 * The queue contract every backend must keep (Jaeger's storage integration suite is the model):
 * registers node:test tests named after `name`.
 */
export function runQueueConformance(name: string, fixture: () => QueueFixture): void {
  describe(`queue conformance: ${name}`, { timeout: 4 * TIMEOUT_MS }, () => {
    const started: Component[] = [];
    const start = async <T extends Component>(component: T): Promise<T> => {
      await component.start();
      started.push(component);
      return component;
    };
    afterEach(async () => {
      for (const component of started.splice(0).reverse()) await component.shutdown();
    });

    it('delivers a message whose publish resolved, even to a group that starts after the producer stopped', async () => {
      const queue = fixture();
      const producer = await start(queue.producer());
      await producer.publish('trace-1', bytes('hello'));
      await producer.shutdown();
      await assert.rejects(producer.publish('trace-1', bytes('late')), { code: 'ARIADNE_SHUTTING_DOWN' });
      const seen = new Recorder();
      await (await start(queue.consumer())).consume('g', seen.handler());
      await seen.waitFor(1);
      assert.equal(seen.messages[0].key, 'trace-1');
      assert.equal(text(seen.messages[0]), 'hello');
    });

    it('handles every published message at least once, in publish order per key', async () => {
      const queue = fixture();
      const producer = await start(queue.producer());
      const seen = new Recorder(async () => sleep(Math.random() * 3));
      await (await start(queue.consumer())).consume('g', seen.handler());
      const keys = Array.from({ length: 8 }, (_, k) => `key-${k}`);
      // Order holds for publishes of one key awaited one after another; keys go concurrently.
      await Promise.all(keys.map(async (key) => {
        for (let i = 0; i < 15; i++) await producer.publish(key, bytes(`${key}:${i}`));
      }));
      await seen.waitForAll(keys.flatMap((key) => Array.from({ length: 15 }, (_, i) => `${key}:${i}`)));
      for (const key of keys) {
        const order = seen.messages.filter((m) => m.key === key).map((m) => Number(text(m).split(':')[1]));
        assert.deepEqual(order, Array.from({ length: 15 }, (_, i) => i), `order of ${key}`);
      }
    });

    it('redelivers a message whose handler threw, before later messages of its key', async () => {
      const queue = fixture();
      const producer = await start(queue.producer());
      let failures = 0;
      const seen = new Recorder(async (m) => {
        if (text(m) === 'k:1' && failures++ < 2) throw new Error('storage down');
      });
      await (await start(queue.consumer())).consume('g', seen.handler());
      for (let i = 0; i < 4; i++) await producer.publish('k', bytes(`k:${i}`));
      await seen.waitForAll(['k:0', 'k:1', 'k:2', 'k:3']);
      assert.equal(failures, 3);
      const attempts = seen.attempts.filter((m) => text(m) === 'k:1');
      assert.deepEqual(attempts.map((m) => m.redelivered), [false, true, true]);
      assert.deepEqual(seen.messages.map(text), ['k:0', 'k:1', 'k:2', 'k:3']);
    });

    it('hands the message of a consumer that died mid-handle to another consumer of the group', async () => {
      const queue = fixture();
      const producer = await start(queue.producer());
      const first = new Recorder(() => new Promise(() => {}));
      const dying = await start(queue.consumer());
      await dying.consume('g', first.handler());
      await producer.publish('k', bytes('k:0'));
      await producer.publish('k', bytes('k:1'));
      await first.waitForAttempts(1);
      await dying.shutdown();
      const second = new Recorder();
      await (await start(queue.consumer())).consume('g', second.handler());
      await second.waitForAll(['k:0', 'k:1']);
      assert.deepEqual(second.messages.map(text), ['k:0', 'k:1']);
      assert.deepEqual(first.attempts.map(text), ['k:0']);
    });

    it('shares the partitions between the consumers of a group, each message going to one of them', async () => {
      const queue = fixture();
      const producer = await start(queue.producer());
      const a = new Recorder(async () => sleep(2));
      const b = new Recorder(async () => sleep(2));
      await (await start(queue.consumer())).consume('g', a.handler());
      await (await start(queue.consumer())).consume('g', b.handler());
      // Warm up until both have work: a group settles (Kafka rebalances) before the checked round.
      const deadline = Date.now() + TIMEOUT_MS;
      for (let round = 0; a.messages.length === 0 || b.messages.length === 0; round++) {
        assert.ok(Date.now() < deadline, 'both consumers of the group got work');
        await Promise.all(Array.from({ length: 16 }, (_, k) => producer.publish(`warm-${round}-${k}`, bytes('warm'))));
        await sleep(200);
      }
      const keys = Array.from({ length: 100 }, (_, k) => `key-${k}`);
      await Promise.all(keys.map((key) => producer.publish(key, bytes(key))));
      const all = () => [...a.messages, ...b.messages].filter((m) => text(m) !== 'warm');
      await waitUntil(() => new Set(all().map(text)).size === keys.length, 'all messages handled');
      const counted = [a, b].map((r) => r.messages.filter((m) => text(m) !== 'warm' && !m.redelivered).length);
      assert.ok(counted[0] > 0 && counted[1] > 0, `both consumers handled some: ${counted.join(' and ')}`);
      assert.equal(all().filter((m) => !m.redelivered).length, keys.length, 'no message handled twice');
    });
  });
}

/** Records what a handler saw: every attempt, and the messages it took (its handler resolved). */
class Recorder {
  readonly attempts: Message[] = [];
  readonly messages: Message[] = [];

  constructor(private readonly behaviour: MessageHandler = async () => {}) {}

  handler(): MessageHandler {
    return async (m) => {
      // The payload is only the handler's until it settles.
      const copy = { ...m, payload: m.payload.slice() };
      this.attempts.push(copy);
      await this.behaviour(copy);
      this.messages.push(copy);
    };
  }

  waitFor(n: number): Promise<void> {
    return waitUntil(() => this.messages.length >= n, `${n} messages handled`);
  }

  waitForAttempts(n: number): Promise<void> {
    return waitUntil(() => this.attempts.length >= n, `${n} messages handed out`);
  }

  waitForAll(payloads: string[]): Promise<void> {
    return waitUntil(() => {
      const seen = new Set(this.messages.map(text));
      return payloads.every((p) => seen.has(p));
    }, `${payloads.length} messages handled`);
  }
}

async function waitUntil(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + TIMEOUT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const bytes = (s: string) => new TextEncoder().encode(s);
const text = (m: Message) => new TextDecoder().decode(m.payload);
