import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import { after, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startHarness } from '../../testdata/framework-harness.js';
import { withSpan } from '../with-span.js';
import { instrumentWinston } from './instrument-winston.js';

const { handle } = startHarness();
instrumentWinston();
const winston = createRequire(import.meta.url)('winston');

describe('winston log correlation', () => {
  const records: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      records.push(JSON.parse(chunk.toString()));
      callback();
    },
  });
  const tag = winston.format((info: Record<string, unknown>) => {
    info.tagged = typeof info.trace_id === 'string' ? 'traced' : 'plain';
    return info;
  });
  const logger = winston.createLogger({
    format: winston.format.combine(tag(), winston.format.json()),
    transports: [new winston.transports.Stream({ stream })],
  });
  after(() => handle.shutdown());
  beforeEach(() => (records.length = 0));

  const flush = () => new Promise((resolve) => setImmediate(resolve));

  it('adds trace_id, span_id and trace_flags inside a span before the formats run, nothing outside', async () => {
    logger.info('before');
    const ids = await withSpan('work', async (span) => {
      await sleep(1);
      logger.info('inside', { order: 7 });
      logger.child({ component: 'db' }).warn('child');
      logger.log({ level: 'error', message: 'direct' });
      return span.spanContext();
    });
    logger.info('after');
    await flush();

    assert.equal(records.length, 5);
    const [before, inside, child, direct, afterRecord] = records;
    for (const outside of [before, afterRecord]) {
      assert.equal(outside.trace_id, undefined);
      assert.equal(outside.tagged, 'plain');
    }
    for (const record of [inside, child, direct]) {
      assert.equal(record.trace_id, ids.traceId);
      assert.equal(record.span_id, ids.spanId);
      assert.equal(record.trace_flags, ids.traceFlags.toString(16).padStart(2, '0'));
      assert.equal(Number.parseInt(record.trace_flags as string, 16) & 1, 1, 'sampled');
      assert.equal(record.tagged, 'traced');
    }
    assert.equal(inside.order, 7);
    assert.equal(child.component, 'db');
    assert.equal(direct.message, 'direct');
  });

  it('gives a record object the app logs again the ids of the span it is logged in, none outside', async () => {
    const record = { message: 'reused' };
    const first = await withSpan('first', async (span) => {
      logger.info(record);
      return span.spanContext();
    });
    const second = await withSpan('second', async (span) => {
      logger.info(record);
      return span.spanContext();
    });
    logger.info(record);
    await flush();
    assert.deepEqual(
      records.map((r) => [r.span_id, r.tagged]),
      [[first.spanId, 'traced'], [second.spanId, 'traced'], [undefined, 'plain']],
    );
    assert.equal('trace_id' in record, false);
  });

  it('keeps a trace_id the record already has', async () => {
    await withSpan('work', async () => logger.info('x', { trace_id: 'mine' }));
    await flush();
    assert.equal(records[0].trace_id, 'mine');
    assert.equal(typeof records[0].span_id, 'string');
  });
});
