import type { SpanEvent, SpanLink } from '../../model/span.js';
import { decodeAttributes, encodeAttributes, escapeText, unescapeText } from './attribute-codec.js';

/*
 * Events and links as text: `\x1c` before each item, `\x1b` between its fields, attributes last
 * in the attribute encoding. Event attributes stay searchable like span attributes (Jaeger
 * matches tags against log fields too).
 */

export function encodeEvents(events: SpanEvent[]): string {
  let out = '';
  for (const e of events) {
    out += `\x1c${e.timeUnixNano}\x1b${escapeText(e.name)}\x1b${e.droppedAttributesCount}\x1b${encodeAttributes(e.attributes)}`;
  }
  return out;
}

export function decodeEvents(encoded: string): SpanEvent[] {
  if (encoded === '') return [];
  return encoded
    .split('\x1c')
    .slice(1)
    .map((item) => {
      const [time, name, dropped, attributes] = item.split('\x1b');
      return {
        timeUnixNano: BigInt(time),
        name: unescapeText(name),
        attributes: decodeAttributes(attributes),
        droppedAttributesCount: Number(dropped),
      };
    });
}

export function encodeLinks(links: SpanLink[]): string {
  let out = '';
  for (const l of links) {
    out += `\x1c${escapeText(l.traceId)}\x1b${escapeText(l.spanId)}\x1b${escapeText(l.traceState)}\x1b${l.flags}\x1b${l.droppedAttributesCount}\x1b${encodeAttributes(l.attributes)}`;
  }
  return out;
}

export function decodeLinks(encoded: string): SpanLink[] {
  if (encoded === '') return [];
  return encoded
    .split('\x1c')
    .slice(1)
    .map((item) => {
      const [traceId, spanId, traceState, flags, dropped, attributes] = item.split('\x1b');
      return {
        traceId: unescapeText(traceId),
        spanId: unescapeText(spanId),
        traceState: unescapeText(traceState),
        attributes: decodeAttributes(attributes),
        droppedAttributesCount: Number(dropped),
        flags: Number(flags),
      };
    });
}
