import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProtobufWriter } from './protobuf-writer.js';

describe('ProtobufWriter', () => {
  it('writes ids from words and grows its buffer for them', () => {
    const w = new ProtobufWriter(4);
    w.id128(1, 0x0af76519, 0x16cd43dd, 0x8448eb21 | 0, 0x1c80319c);
    w.id64(2, 0xb7ad6b71 | 0, 0x69203331);
    assert.equal(
      Buffer.from(w.finish()).toString('hex'),
      '0a10' + '0af7651916cd43dd8448eb211c80319c' + '1208' + 'b7ad6b7169203331',
    );
  });

  it('repeats earlier bytes, short and long', () => {
    const w = new ProtobufWriter(4);
    w.string(1, 'abc');
    w.string(2, 'x'.repeat(40));
    const end = w.pos;
    w.repeat(0, 5);
    w.repeat(5, end);
    const bytes = Buffer.from(w.finish());
    assert.deepEqual(bytes.subarray(end), bytes.subarray(0, end));
  });
});
