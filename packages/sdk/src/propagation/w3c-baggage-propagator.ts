import { baggageEntryMetadataFromString, propagation } from '@opentelemetry/api';
import type { BaggageEntry, Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { isTracingSuppressed } from '../context/suppress-tracing.js';

export const BAGGAGE_HEADER = 'baggage';
/** W3C Baggage asks for at least 64 members and 8192 bytes; these are OpenTelemetry's limits. */
export const MAX_BAGGAGE_MEMBERS = 180;
export const MAX_BAGGAGE_MEMBER_BYTES = 4096;
export const MAX_BAGGAGE_BYTES = 8192;

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** W3C Baggage: the `baggage` header, values percent-encoded, properties kept as metadata. */
export class W3CBaggagePropagator implements TextMapPropagator {
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const baggage = propagation.getBaggage(context);
    if (baggage === undefined || isTracingSuppressed(context)) return;
    const members: string[] = [];
    let bytes = 0;
    for (const [key, entry] of baggage.getAllEntries()) {
      if (!TOKEN.test(key)) continue;
      let member = `${key}=${encodeURIComponent(entry.value)}`;
      const metadata = entry.metadata?.toString();
      if (metadata) member += `;${metadata}`;
      if (member.length > MAX_BAGGAGE_MEMBER_BYTES) continue;
      const added = member.length + (members.length > 0 ? 1 : 0);
      if (bytes + added > MAX_BAGGAGE_BYTES || members.length >= MAX_BAGGAGE_MEMBERS) break;
      members.push(member);
      bytes += added;
    }
    if (members.length > 0) setter.set(carrier, BAGGAGE_HEADER, members.join(','));
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const raw = getter.get(carrier, BAGGAGE_HEADER);
    const header = Array.isArray(raw) ? raw.join(',') : raw;
    if (!header) return context;
    const entries: Record<string, BaggageEntry> = {};
    let count = 0;
    for (const member of header.split(',')) {
      if (count >= MAX_BAGGAGE_MEMBERS) break;
      const trimmed = member.trim();
      if (trimmed === '' || trimmed.length > MAX_BAGGAGE_MEMBER_BYTES) continue;
      const semi = trimmed.indexOf(';');
      const pair = semi === -1 ? trimmed : trimmed.slice(0, semi);
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const key = pair.slice(0, eq).trim();
      if (!TOKEN.test(key)) continue;
      let value: string;
      try {
        value = decodeURIComponent(pair.slice(eq + 1).trim());
      } catch {
        continue;
      }
      const entry: BaggageEntry = { value };
      if (semi !== -1) entry.metadata = baggageEntryMetadataFromString(trimmed.slice(semi + 1));
      entries[key] = entry;
      count++;
    }
    if (count === 0) return context;
    return propagation.setBaggage(context, propagation.createBaggage(entries));
  }

  fields(): string[] {
    return [BAGGAGE_HEADER];
  }
}
