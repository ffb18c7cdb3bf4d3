import { isSpanContextValid, trace } from '@opentelemetry/api';
import type { Context, SpanContext, TextMapGetter, TextMapPropagator, TextMapSetter, TraceState } from '@opentelemetry/api';
import { withSpan } from '../context/chain-context.js';
import { isTracingSuppressed } from '../context/suppress-tracing.js';
import { RecordingSpan } from '../trace/recording-span.js';
import { RemoteSpan } from '../trace/remote-span.js';
import { UnsampledSpan } from '../trace/unsampled-span.js';
import { W3CTraceState } from './trace-state.js';

export const TRACEPARENT_HEADER = 'traceparent';
export const TRACESTATE_HEADER = 'tracestate';

// Sampled and (Level 2) random; other flags are unknown and are not propagated.
const KNOWN_FLAGS = 0x03;
const DASH = 0x2d;
// version-traceid-parentid-flags: 2 + 1 + 32 + 1 + 16 + 1 + 2 characters.
const VERSION_00_LENGTH = 55;

function isOws(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

function trimOws(value: string): string {
  return isOws(value.charCodeAt(0)) || isOws(value.charCodeAt(value.length - 1)) ? value.replace(/^[ \t]+|[ \t]+$/g, '') : value;
}

// Set by hexAt when it met a character that is not a lowercase hex digit.
let sawNonHex = false;

/**
 * The int32 word of `digits` hex digits at `at`, validated as it is read (a regular expression
 * before it took as long again): anything but 0-9 and a-f sets sawNonHex.
 */
function hexAt(s: string, at: number, digits: number): number {
  let word = 0;
  for (let i = at; i < at + digits; i++) {
    const c = s.charCodeAt(i);
    let digit = 0;
    if (c >= 0x30 && c <= 0x39) digit = c - 0x30;
    else if (c >= 0x61 && c <= 0x66) digit = c - 0x57;
    else sawNonHex = true;
    word = (word << 4) | digit;
  }
  return word;
}

/**
 * The remote parent a traceparent header names, or undefined when it is invalid. Version ff is
 * invalid; version 00 has exactly four fields; a higher (future) version may carry more fields
 * after a dash, which are ignored. `tracestate`, the header's values, is parsed only for a valid
 * traceparent.
 */
export function parseRemoteParent(header: string, tracestate?: string | string[]): RemoteSpan | undefined {
  const value = trimOws(header);
  if (value.length < VERSION_00_LENGTH || value.charCodeAt(2) !== DASH || value.charCodeAt(35) !== DASH || value.charCodeAt(52) !== DASH) {
    return undefined;
  }
  if (value.length > VERSION_00_LENGTH && value.charCodeAt(VERSION_00_LENGTH) !== DASH) return undefined;
  sawNonHex = false;
  const version = hexAt(value, 0, 2);
  const words = [hexAt(value, 3, 8), hexAt(value, 11, 8), hexAt(value, 19, 8), hexAt(value, 27, 8), hexAt(value, 36, 8), hexAt(value, 44, 8)] as const;
  const flags = hexAt(value, 53, 2);
  if (sawNonHex || version === 0xff || (version === 0 && value.length !== VERSION_00_LENGTH)) return undefined;
  if ((words[0] | words[1] | words[2] | words[3]) === 0 || (words[4] | words[5]) === 0) return undefined;
  const traceState = tracestate === undefined ? undefined : W3CTraceState.parse(Array.isArray(tracestate) ? tracestate.join(',') : tracestate);
  return new RemoteSpan(words, value.slice(3, 35), value.slice(36, 52), flags, traceState);
}

const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
// A version 00 traceparent, rewritten in place for each span: one string made, not three.
const traceparent = Buffer.from('00-00000000000000000000000000000000-0000000000000000-00', 'latin1');

function putHexWord(buf: Buffer, at: number, word: number): void {
  for (let i = at + 7; i >= at; i--) {
    buf[i] = HEX_DIGITS[word & 15];
    word >>>= 4;
  }
}

/** The W3C traceparent header (version 00) of a span's id words and flags. */
function traceparentOf(t0: number, t1: number, t2: number, t3: number, s0: number, s1: number, flags: number): string {
  putHexWord(traceparent, 3, t0);
  putHexWord(traceparent, 11, t1);
  putHexWord(traceparent, 19, t2);
  putHexWord(traceparent, 27, t3);
  putHexWord(traceparent, 36, s0);
  putHexWord(traceparent, 44, s1);
  traceparent[53] = HEX_DIGITS[(flags >>> 4) & 15];
  traceparent[54] = HEX_DIGITS[flags & 15];
  return traceparent.toString('latin1');
}

/** The span context of a traceparent header, or undefined when it is invalid (see parseRemoteParent). */
export function parseTraceParent(header: string): SpanContext | undefined {
  return parseRemoteParent(header)?.spanContext();
}

function single(value: string | string[] | undefined): string | undefined {
  if (Array.isArray(value)) return value.length === 1 ? value[0] : undefined;
  return value;
}

/** W3C Trace Context Level 2: traceparent and tracestate headers. */
export class W3CTraceContextPropagator implements TextMapPropagator {
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const span = trace.getSpan(context);
    if (span === undefined || isTracingSuppressed(context)) return;
    let traceState: TraceState | undefined;
    if (span instanceof RecordingSpan || span instanceof UnsampledSpan) {
      // The SDK's own spans have valid ids by construction, and are written from their words.
      setter.set(carrier, TRACEPARENT_HEADER, traceparentOf(span.t0, span.t1, span.t2, span.t3, span.s0, span.s1, span.traceFlags & KNOWN_FLAGS));
      traceState = span.traceState;
    } else {
      const spanContext = span.spanContext();
      if (spanContext === undefined || !isSpanContextValid(spanContext)) return;
      const flags = (spanContext.traceFlags & KNOWN_FLAGS).toString(16).padStart(2, '0');
      setter.set(carrier, TRACEPARENT_HEADER, `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`);
      traceState = spanContext.traceState;
    }
    const state = traceState?.serialize();
    if (state) setter.set(carrier, TRACESTATE_HEADER, state);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    // Two traceparent headers are ambiguous: both are rejected (an array of two, or, as Node
    // joins repeated headers, one value with a comma, which the grammar rejects).
    const header = single(getter.get(carrier, TRACEPARENT_HEADER));
    if (header === undefined) return context;
    const parent = parseRemoteParent(header, getter.get(carrier, TRACESTATE_HEADER));
    return parent === undefined ? context : withSpan(context, parent);
  }

  fields(): string[] {
    return [TRACEPARENT_HEADER, TRACESTATE_HEADER];
  }
}
