import type { Span } from '../../model/span.js';
import { SpanKind, StatusCode } from '../../model/span.js';
import { MINUTE_NANO } from '../../storage/metrics-store.js';
import type { EdgePartial } from '../../storage/metrics-store.js';
import { LogHistogram } from '../sketch/log-histogram.js';
import { peerName } from './peer-name.js';

interface PendingCall {
  tenant: string;
  service: string;
  peer: string;
  minute: bigint;
  durationNano: number;
  error: boolean;
  weight: number;
  expiresAt: number;
}

interface PendingAnswer {
  service: string;
  error: boolean;
  expiresAt: number;
}

export interface ServiceGraphStats {
  pendingCalls: number;
  pendingAnswers: number;
  /** Outgoing spans that expired with neither an instrumented answer nor a peer name. */
  unnamedPeers: number;
}

/**
 * Pairs outgoing spans (CLIENT, PRODUCER) with the spans that answered them (SERVER, CONSUMER
 * children in another process) into per-minute edges. An outgoing span still unanswered after the
 * trace window is a call to an uninstrumented peer (database, cache, external host), named by
 * `peerName`. At most `maxPending` spans wait; beyond it the oldest expire early.
 */
export class ServiceGraphBuilder {
  private readonly calls = new Map<string, PendingCall>();
  private readonly answers = new Map<string, PendingAnswer>();
  private edges = new Map<string, EdgePartial>();
  private unnamedPeers = 0;

  constructor(
    private readonly windowMs: number,
    private readonly maxPending = 100_000,
  ) {}

  add(tenant: string, span: Span, weight: number, now: number): void {
    if (span.kind === SpanKind.CLIENT || span.kind === SpanKind.PRODUCER) {
      const key = `${tenant}\0${span.traceId}${span.spanId}`;
      const call: PendingCall = {
        tenant,
        service: span.resource.serviceName,
        peer: '',
        minute: span.startTimeUnixNano - (span.startTimeUnixNano % MINUTE_NANO),
        durationNano: Number(span.endTimeUnixNano - span.startTimeUnixNano),
        error: span.status.code === StatusCode.ERROR,
        weight,
        expiresAt: now + this.windowMs,
      };
      const answer = this.answers.get(key);
      if (answer) {
        this.answers.delete(key);
        this.record(call, answer.service, answer.error);
        return;
      }
      call.peer = peerName(span.attributes);
      this.calls.set(key, call);
      if (this.calls.size > this.maxPending) this.expireOldest(this.calls, (c) => this.expireCall(c));
    } else if ((span.kind === SpanKind.SERVER || span.kind === SpanKind.CONSUMER) && span.parentSpanId !== '') {
      const key = `${tenant}\0${span.traceId}${span.parentSpanId}`;
      const error = span.status.code === StatusCode.ERROR;
      const call = this.calls.get(key);
      if (call) {
        this.calls.delete(key);
        this.record(call, span.resource.serviceName, error);
        return;
      }
      this.answers.set(key, { service: span.resource.serviceName, error, expiresAt: now + this.windowMs });
      if (this.answers.size > this.maxPending) this.expireOldest(this.answers, () => undefined);
    }
  }

  /** Settles what waited longer than the window: unanswered calls become edges to their peers. */
  expire(now: number): void {
    // Maps iterate in insertion order and every entry gets the same window, so stop at the first live one.
    for (const [key, call] of this.calls) {
      if (call.expiresAt > now) break;
      this.calls.delete(key);
      this.expireCall(call);
    }
    for (const [key, answer] of this.answers) {
      if (answer.expiresAt > now) break;
      this.answers.delete(key);
    }
  }

  /** Edges summed since the last drain. */
  drain(): EdgePartial[] {
    const out = [...this.edges.values()];
    this.edges = new Map();
    return out;
  }

  getStats(): ServiceGraphStats {
    return { pendingCalls: this.calls.size, pendingAnswers: this.answers.size, unnamedPeers: this.unnamedPeers };
  }

  private expireOldest<T>(map: Map<string, T>, settle: (value: T) => void): void {
    const [key, value] = map.entries().next().value as [string, T];
    map.delete(key);
    settle(value);
  }

  private expireCall(call: PendingCall): void {
    if (call.peer === '') this.unnamedPeers++;
    else this.record(call, call.peer, false);
  }

  private record(call: PendingCall, child: string, childError: boolean): void {
    const key = `${call.tenant}\0${call.minute}\0${call.service}\0${child}`;
    let edge = this.edges.get(key);
    if (!edge) {
      edge = { tenant: call.tenant, minuteUnixNano: call.minute, parent: call.service, child, calls: 0, errors: 0, latency: new LogHistogram() };
      this.edges.set(key, edge);
    }
    edge.calls += call.weight;
    if (call.error || childError) edge.errors += call.weight;
    edge.latency.add(call.durationNano, call.weight);
  }
}
