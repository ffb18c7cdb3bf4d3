import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { baggageEntryMetadataFromString, defaultTextMapGetter, defaultTextMapSetter, propagation, ROOT_CONTEXT } from '@opentelemetry/api';
import { MAX_BAGGAGE_BYTES, MAX_BAGGAGE_MEMBERS, W3CBaggagePropagator } from './w3c-baggage-propagator.js';

const propagator = new W3CBaggagePropagator();
const extract = (baggage: string | string[]) =>
  propagation.getBaggage(propagator.extract(ROOT_CONTEXT, { baggage }, defaultTextMapGetter));
const inject = (entries: Record<string, { value: string; metadata?: ReturnType<typeof baggageEntryMetadataFromString> }>) => {
  const carrier: Record<string, string> = {};
  propagator.inject(propagation.setBaggage(ROOT_CONTEXT, propagation.createBaggage(entries)), carrier, defaultTextMapSetter);
  return carrier.baggage;
};

describe('W3C baggage', () => {
  it('percent-encodes values and keeps properties', () => {
    const header = inject({
      user: { value: 'Ada Lovelace, 1815=ok;%' },
      'tenant.id': { value: 'é', metadata: baggageEntryMetadataFromString('ttl=60') },
    });
    assert.equal(header, 'user=Ada%20Lovelace%2C%201815%3Dok%3B%25,tenant.id=%C3%A9;ttl=60');
  });

  it('decodes values, trims whitespace, combines headers and keeps metadata', () => {
    const baggage = extract(['user = Ada%20Lovelace , tenant.id=%C3%A9;ttl=60', 'k=v'])!;
    assert.equal(baggage.getEntry('user')?.value, 'Ada Lovelace');
    assert.equal(baggage.getEntry('tenant.id')?.value, 'é');
    assert.equal(baggage.getEntry('tenant.id')?.metadata?.toString(), 'ttl=60');
    assert.equal(baggage.getEntry('k')?.value, 'v');
  });

  it('skips invalid members and keeps the rest', () => {
    const baggage = extract('good=1,no-equals,=novalue,bad key=2,bad%=%zz,also=2')!;
    assert.deepEqual(baggage.getAllEntries().map(([k, e]) => [k, e.value]), [['good', '1'], ['also', '2']]);
    assert.equal(extract(''), undefined);
  });

  it('limits the number of members and the header size', () => {
    const many = Array.from({ length: MAX_BAGGAGE_MEMBERS + 20 }, (_, i) => `k${i}=v`).join(',');
    assert.equal(extract(many)!.getAllEntries().length, MAX_BAGGAGE_MEMBERS);
    const big: Record<string, { value: string }> = {};
    for (let i = 0; i < 10; i++) big[`k${i}`] = { value: 'x'.repeat(1000) };
    const header = inject(big);
    assert.ok(header.length <= MAX_BAGGAGE_BYTES);
    assert.equal(header.split(',').length, 8);
  });
});
