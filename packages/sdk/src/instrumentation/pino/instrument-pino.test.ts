import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startHarness } from '../../testdata/framework-harness.js';
import { withSpan } from '../with-span.js';
import { instrumentPino } from './instrument-pino.js';

const { handle } = startHarness();
instrumentPino();
const pino = createRequire(import.meta.url)('pino');

describe('pino log correlation', () => {
  const records: Record<string, unknown>[] = [];
  const lines: string[] = [];
  const stream = { write: (line: string) => void (lines.push(line), records.push(JSON.parse(line))) };
  after(() => handle.shutdown());
  beforeEach(() => {
    records.length = 0;
    lines.length = 0;
  });

  it('adds trace_id, span_id and trace_flags inside a span, nothing outside, and keeps the mixin', async () => {
    const logger = pino({ mixin: () => ({ tenant: 'acme' }) }, stream);
    logger.info('before');
    const ids = await withSpan('work', async (span) => {
      await sleep(1);
      logger.info({ order: 7 }, 'inside');
      logger.child({ component: 'db' }).warn('child');
      logger.error(new Error('failed'));
      return span.spanContext();
    });
    logger.info('after');

    assert.equal(records.length, 5);
    const [before, inside, child, error, afterRecord] = records;
    for (const outside of [before, afterRecord]) {
      assert.equal(outside.trace_id, undefined);
      assert.equal(outside.span_id, undefined);
      assert.equal(outside.tenant, 'acme');
    }
    for (const record of [inside, child, error]) {
      assert.equal(record.trace_id, ids.traceId);
      assert.equal(record.span_id, ids.spanId);
      assert.equal(record.trace_flags, ids.traceFlags.toString(16).padStart(2, '0'));
      assert.equal(Number.parseInt(record.trace_flags as string, 16) & 1, 1, 'sampled');
      assert.equal(record.tenant, 'acme');
    }
    assert.equal(inside.order, 7);
    assert.equal(inside.msg, 'inside');
    assert.equal(child.component, 'db');
    assert.equal((error.err as { message: string }).message, 'failed');
  });

  it("hands the app's log formatter the logged object itself", async () => {
    class Event {
      constructor(readonly order: number) {}
    }
    const seen: unknown[] = [];
    const logger = pino({ formatters: { log: (o: object) => (seen.push(o), o) } }, stream);
    const event = new Event(9);
    await withSpan('work', async () => logger.info(event, 'x'));
    assert.equal(seen[0], event);
    assert.equal(records[0].order, 9);
    assert.equal(typeof records[0].trace_id, 'string');
  });

  it('lets a record keep its own trace_id', async () => {
    const logger = pino({}, stream);
    await withSpan('work', async () => logger.info({ trace_id: 'mine' }, 'x'));
    assert.equal(records[0].trace_id, 'mine');
    assert.equal(lines[0].split('"trace_id"').length, 2, 'one trace_id in the line');
    assert.equal(typeof records[0].span_id, 'string');
  });
});
