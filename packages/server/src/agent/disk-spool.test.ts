import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DiskSpool } from './disk-spool.js';

const rec = (i: number, size = 10) => Buffer.alloc(size, i);

async function drain(spool: DiskSpool): Promise<number[]> {
  const out: number[] = [];
  for (let r = await spool.peek(); r; r = await spool.peek()) {
    out.push(r[0]);
    await spool.ack();
  }
  return out;
}

describe('DiskSpool', () => {
  it('hands records out in order across segments and deletes each segment once acked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ariadne-spool-'));
    const spool = new DiskSpool({ dir, maxBytes: 10_000, segmentBytes: 50 });
    await spool.open();
    for (let i = 0; i < 12; i++) assert.ok(await spool.append(rec(i)));
    assert.ok(readdirSync(dir).length > 1);
    assert.deepEqual(await drain(spool), [...Array(12).keys()]);
    assert.ok(spool.isEmpty);
    assert.equal(spool.sizeBytes, 0);
    assert.deepEqual(readdirSync(dir), []);
    assert.ok(await spool.append(rec(42)));
    assert.deepEqual(await drain(spool), [42]);
    await spool.close();
  });

  it('refuses records beyond maxBytes and takes them again once acked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ariadne-spool-'));
    const spool = new DiskSpool({ dir, maxBytes: 30, segmentBytes: 14 });
    await spool.open();
    assert.ok(await spool.append(rec(1)));
    assert.ok(await spool.append(rec(2)));
    assert.equal(await spool.append(rec(3)), false);
    await spool.peek();
    await spool.ack();
    assert.ok(await spool.append(rec(3)));
    assert.deepEqual(await drain(spool), [2, 3]);
    await spool.close();
  });

  it('replays what was not acked after a restart, ignoring a torn last record', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ariadne-spool-'));
    const first = new DiskSpool({ dir, maxBytes: 10_000, segmentBytes: 1000 });
    await first.open();
    for (let i = 0; i < 3; i++) await first.append(rec(i));
    await first.peek();
    await first.ack();
    await first.close();
    const [segment] = readdirSync(dir);
    appendFileSync(join(dir, segment), Buffer.from([0, 0, 0, 50, 1, 2])); // a crash mid-append
    const second = new DiskSpool({ dir, maxBytes: 10_000, segmentBytes: 1000 });
    await second.open();
    assert.ok(await second.append(rec(7)));
    assert.deepEqual(await drain(second), [0, 1, 2, 7], 'at least once: the acked record comes again');
    await second.close();
  });
});
