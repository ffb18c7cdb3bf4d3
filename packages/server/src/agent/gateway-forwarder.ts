import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Logger } from 'pino';
import { Errors } from '../errors.js';
import type { Component } from '../model/component.js';
import type { Attributes, Span, SpanBatch } from '../model/span.js';
import type { SpansConsumer } from '../model/spans-consumer.js';
import { encodeOtlpProtobuf } from '../otlp/encode-otlp-protobuf.js';
import { ProtobufWriter } from '../otlp/protobuf-writer.js';
import type { DiskSpool } from './disk-spool.js';
import { addResourceAttributes } from './host-attributes.js';

const gzipAsync = promisify(gzip);

export interface GatewayForwarderOptions {
  /** Base URL of the gateway; batches go to `<url>/v1/traces`. */
  gatewayUrl: string;
  token: string;
  spool: DiskSpool;
  /** Added to every resource that lacks them. */
  resourceAttributes: Attributes;
  /** A batch is sent at this many spans, or `batchDelayMs` after its first span. */
  batchSpans: number;
  batchDelayMs: number;
  /** Per request. Default 10 s. */
  requestTimeoutMs?: number;
  /** Backoff between replay attempts, doubled up to `maxRetryDelayMs`. Defaults 100 ms and 5 s. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  log: Logger;
}

export interface ForwarderStats {
  forwardedSpans: number;
  spooledSpans: number;
  /** Spans refused because the spool was full (the sender was answered 503). */
  droppedSpoolFullSpans: number;
  /** Spans the gateway refused for good (401, 403, 400, 413), logged and dropped. */
  rejectedSpans: number;
  spoolBytes: number;
}

interface Pending {
  spans: Span[];
  waiters: Array<{ resolve: () => void; reject: (err: unknown) => void }>;
  timer: NodeJS.Timeout;
}

type SendResult = 'sent' | 'retry' | 'rejected';

/**
 * The agent's way to the gateway. Concurrent `consumeSpans` calls are gathered into one batch
 * (group commit), encoded as OTLP protobuf, gzipped and POSTed with the bearer token; each call
 * resolves once its batch was accepted by the gateway or fsync'd to the disk spool, so nothing
 * acknowledged is lost while the gateway is down. While the spool holds anything, new batches go
 * behind it so the gateway receives them in order; a replay loop drains it with backoff. When the
 * spool is full the call rejects with ARIADNE_PIPELINE_FULL and the spans are counted as dropped.
 */
export class GatewayForwarder implements SpansConsumer, Component {
  private readonly stats: ForwarderStats = { forwardedSpans: 0, spooledSpans: 0, droppedSpoolFullSpans: 0, rejectedSpans: 0, spoolBytes: 0 };
  private pending: Pending | undefined;
  private inFlight = new Set<Promise<void>>();
  // Spool calls must not overlap: every one goes through this chain.
  private spoolChain: Promise<unknown> = Promise.resolve();
  private spooled = 0;
  private replaying: Promise<void> | undefined;
  private closed = false;
  private readonly url: string;

  constructor(private readonly options: GatewayForwarderOptions) {
    this.url = `${options.gatewayUrl.replace(/\/+$/, '')}/v1/traces`;
  }

  async start(): Promise<void> {
    await this.options.spool.open();
    if (!this.options.spool.isEmpty) this.replay();
  }

  getStats(): ForwarderStats {
    return { ...this.stats, spoolBytes: this.options.spool.sizeBytes };
  }

  consumeSpans(batch: SpanBatch): Promise<void> {
    if (this.closed) return Promise.reject(Errors.shuttingDown());
    addResourceAttributes(batch, this.options.resourceAttributes);
    return new Promise<void>((resolve, reject) => {
      this.pending ??= { spans: [], waiters: [], timer: setTimeout(() => this.flush(), this.options.batchDelayMs) };
      for (const span of batch.spans) this.pending.spans.push(span);
      this.pending.waiters.push({ resolve, reject });
      if (this.pending.spans.length >= this.options.batchSpans) this.flush();
    });
  }

  /** Sends what is gathered, waits for the sends in flight, stops replaying (the spool keeps the rest). */
  async shutdown(): Promise<void> {
    this.closed = true;
    this.flush();
    await Promise.allSettled([...this.inFlight]);
    await this.replaying;
    await this.serial(() => this.options.spool.close());
  }

  private flush(): void {
    const batch = this.pending;
    if (!batch) return;
    this.pending = undefined;
    clearTimeout(batch.timer);
    const work = this.forward(batch.spans).then(
      () => batch.waiters.forEach((w) => w.resolve()),
      (err: unknown) => batch.waiters.forEach((w) => w.reject(err)),
    );
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async forward(spans: Span[]): Promise<void> {
    const writer = new ProtobufWriter(64 * 1024);
    encodeOtlpProtobuf(spans, writer);
    const body = await gzipAsync(writer.finish());
    if (this.spooled === 0 && !this.replaying) {
      const result = await this.send(body);
      if (result === 'sent') return void (this.stats.forwardedSpans += spans.length);
      if (result === 'rejected') return void (this.stats.rejectedSpans += spans.length);
    }
    const stored = await this.serial(() => this.options.spool.append(body));
    if (!stored) {
      this.stats.droppedSpoolFullSpans += spans.length;
      this.options.log.warn({ spans: spans.length }, 'agent spool full: dropping spans');
      throw Errors.pipelineFull(5);
    }
    this.spooled++;
    this.stats.spooledSpans += spans.length;
    this.replay();
  }

  private replay(): void {
    this.replaying ??= this.drainSpool().finally(() => {
      this.replaying = undefined;
      // A record appended while the loop was finding the spool empty.
      if (!this.closed && !this.options.spool.isEmpty) this.replay();
    });
  }

  private async drainSpool(): Promise<void> {
    const { spool, log } = this.options;
    let delay = this.options.retryDelayMs ?? 100;
    while (!this.closed) {
      const record = await this.serial(() => spool.peek());
      if (!record) {
        this.spooled = 0;
        return;
      }
      const result = await this.send(record);
      if (result === 'retry') {
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, this.options.maxRetryDelayMs ?? 5000);
        continue;
      }
      if (result === 'rejected') log.error('the gateway refused spooled spans; dropped');
      delay = this.options.retryDelayMs ?? 100;
      await this.serial(() => spool.ack());
    }
  }

  private async send(body: Uint8Array): Promise<SendResult> {
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip', authorization: `Bearer ${this.options.token}` },
        signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 10_000),
      });
      await res.arrayBuffer();
      if (res.ok) return 'sent';
      if (res.status === 429 || res.status >= 500) return 'retry';
      this.options.log.error({ status: res.status }, 'the gateway refused spans for good (check the agent token and limits)');
      return 'rejected';
    } catch (err) {
      this.options.log.debug({ err }, 'gateway unreachable');
      return 'retry';
    }
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.spoolChain.then(fn);
    this.spoolChain = next.catch(() => undefined);
    return next;
  }
}
