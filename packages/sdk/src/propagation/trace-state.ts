import type { TraceState } from '@opentelemetry/api';

/** W3C Trace Context Level 2 list-member limits and grammar. */
export const MAX_TRACE_STATE_MEMBERS = 32;
const KEY = /^[a-z0-9][_0-9a-z\-*/@]{0,255}$/;
const VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;
const MEMBER_SEPARATOR = /[ \t]*,[ \t]*/;

/** An immutable tracestate; `set` moves the key to the front, as the specification requires. */
export class W3CTraceState implements TraceState {
  private constructor(private readonly members: ReadonlyArray<readonly [string, string]>) {}

  static empty(): W3CTraceState {
    return new W3CTraceState([]);
  }

  /**
   * Parses one or more combined tracestate headers. Empty members are skipped and a duplicate
   * key keeps its first value; any invalid member, or more than 32 members, discards the whole
   * header (undefined), as the W3C test suite expects.
   */
  static parse(header: string): W3CTraceState | undefined {
    const members: Array<readonly [string, string]> = [];
    const seen = new Set<string>();
    for (const raw of header.trim().split(MEMBER_SEPARATOR)) {
      const member = raw.replace(/^[ \t]+|[ \t]+$/g, '');
      if (member === '') continue;
      const eq = member.indexOf('=');
      if (eq <= 0) return undefined;
      const key = member.slice(0, eq);
      const value = member.slice(eq + 1);
      if (!KEY.test(key) || !VALUE.test(value)) return undefined;
      if (seen.has(key)) continue;
      seen.add(key);
      members.push([key, value]);
      if (members.length > MAX_TRACE_STATE_MEMBERS) return undefined;
    }
    return new W3CTraceState(members);
  }

  get size(): number {
    return this.members.length;
  }

  get(key: string): string | undefined {
    for (const [k, v] of this.members) if (k === key) return v;
    return undefined;
  }

  /** Invalid keys or values leave the state unchanged; beyond 32 members the last is dropped. */
  set(key: string, value: string): W3CTraceState {
    if (!KEY.test(key) || !VALUE.test(value)) return this;
    const rest = this.members.filter(([k]) => k !== key);
    return new W3CTraceState([[key, value] as const, ...rest].slice(0, MAX_TRACE_STATE_MEMBERS));
  }

  unset(key: string): W3CTraceState {
    return new W3CTraceState(this.members.filter(([k]) => k !== key));
  }

  serialize(): string {
    return this.members.map(([k, v]) => `${k}=${v}`).join(',');
  }
}
