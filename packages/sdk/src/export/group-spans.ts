import type { Resource } from '../resource/resource.js';
import type { RecordingSpan } from '../trace/recording-span.js';
import type { SpanOwner } from '../trace/span-owner.js';

export interface ResourceGroup {
  resource: Resource;
  scopes: Map<SpanOwner, RecordingSpan[]>;
}

/** Spans grouped by resource, then by tracer (instrumentation scope), as OTLP nests them. */
export function groupSpans(spans: readonly RecordingSpan[]): ResourceGroup[] {
  const groups: ResourceGroup[] = [];
  let last: SpanOwner | undefined;
  let lastList: RecordingSpan[] | undefined;
  for (const span of spans) {
    const owner = span.owner;
    if (owner !== last) {
      let group = groups.find((g) => g.resource === owner.resource);
      if (group === undefined) {
        group = { resource: owner.resource, scopes: new Map() };
        groups.push(group);
      }
      lastList = group.scopes.get(owner);
      if (lastList === undefined) {
        lastList = [];
        group.scopes.set(owner, lastList);
      }
      last = owner;
    }
    lastList!.push(span);
  }
  return groups;
}
