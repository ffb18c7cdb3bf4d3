import { readFileSync } from 'node:fs';
import { hostname, type } from 'node:os';
import type { Attributes, SpanBatch } from '../model/span.js';

/** host.name, os.type (OpenTelemetry's lowercase names) and host.id when /etc/machine-id has one. */
export function hostAttributes(): Attributes {
  const attributes: Attributes = { 'host.name': hostname(), 'os.type': type().toLowerCase() };
  try {
    const id = readFileSync('/etc/machine-id', 'utf8').trim();
    if (id) attributes['host.id'] = id;
  } catch {
    // No machine id on this OS: host.id is optional.
  }
  return attributes;
}

/** Adds the attributes to each resource of the batch that lacks them (the app's own values win). */
export function addResourceAttributes(batch: SpanBatch, attributes: Attributes): void {
  const seen = new Set<object>();
  for (const span of batch.spans) {
    if (seen.has(span.resource)) continue;
    seen.add(span.resource);
    for (const [key, value] of Object.entries(attributes)) span.resource.attributes[key] ??= value;
  }
}
