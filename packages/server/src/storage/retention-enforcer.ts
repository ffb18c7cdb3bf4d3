import type { Logger } from 'pino';
import type { Component } from '../model/component.js';
import type { SpanStore } from './span-store.js';

const NANOS_PER_HOUR = 3_600_000_000_000n;

/** Deletes spans older than the retention window: once at start, then every `intervalMs`. */
export class RetentionEnforcer implements Component {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly store: SpanStore,
    private readonly retentionHours: number,
    private readonly log: Logger,
    private readonly intervalMs = 10 * 60_000,
  ) {}

  async start(): Promise<void> {
    await this.enforce();
    this.timer = setInterval(() => void this.enforce(), this.intervalMs);
    this.timer.unref();
  }

  /** Runs one purge; concurrent calls share it. */
  enforce(): Promise<void> {
    this.running ??= this.purge().finally(() => (this.running = undefined));
    return this.running;
  }

  async shutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async purge(): Promise<void> {
    const now = BigInt(Date.now()) * 1_000_000n;
    const cutoff = now - BigInt(Math.round(this.retentionHours * 3600)) * (NANOS_PER_HOUR / 3600n);
    try {
      const removed = await this.store.purgeBefore(cutoff);
      if (removed > 0) this.log.info({ removed, retentionHours: this.retentionHours }, 'retention removed old spans');
    } catch (err) {
      this.log.error({ err }, 'retention purge failed');
    }
  }
}
