import type { AlertChannel, AlertNotification, DeliveryAttempt } from './alert-model.js';
import type { AlertCollection } from './alert-store.js';

export interface WebhookSenderOptions {
  /** Tries per notification, the first included. */
  attempts: number;
  timeoutMs: number;
  /** Wait before the second try; doubles after each. */
  backoffMs: number;
}

// A 4xx other than these says the request itself is wrong: sending it again would not help.
const RETRIABLE_4XX = new Set([408, 425, 429]);

/** POSTs notifications to their channel, retrying with exponential backoff, and records every attempt in the history. */
export class WebhookSender {
  constructor(
    private readonly history: AlertCollection<AlertNotification>,
    private readonly options: WebhookSenderOptions,
  ) {}

  /** Resolves with the notification as delivered or failed, after its last attempt; never rejects for a delivery failure. */
  async deliver(channel: AlertChannel, notification: AlertNotification, body: string): Promise<AlertNotification> {
    const n: AlertNotification = { ...notification, status: 'sending', attempts: [...notification.attempts] };
    for (let i = 0; i < this.options.attempts; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, this.options.backoffMs * 2 ** (i - 1)));
      const attempt = await this.attempt(channel, body);
      n.attempts.push(attempt);
      const retriable = attempt.status === undefined || attempt.status >= 500 || RETRIABLE_4XX.has(attempt.status);
      const ok = attempt.status !== undefined && attempt.status < 300;
      if (ok) n.status = 'delivered';
      else if (!retriable || i === this.options.attempts - 1) n.status = 'failed';
      await this.history.put(n);
      if (n.status !== 'sending') break;
    }
    return n;
  }

  private async attempt(channel: AlertChannel, body: string): Promise<DeliveryAttempt> {
    const at = Date.now();
    try {
      const res = await fetch(channel.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'ariadne-alerting', ...channel.headers },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      await res.arrayBuffer();
      return { at, status: res.status, durationMs: Date.now() - at };
    } catch (err) {
      const error = (err as Error).name === 'TimeoutError' ? `timed out after ${this.options.timeoutMs} ms` : describe(err);
      return { at, error, durationMs: Date.now() - at };
    }
  }
}

// fetch's 'fetch failed' hides the reason (connection refused, DNS) in `cause`.
function describe(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  return e.cause ? `${e.message}: ${e.cause.code ?? e.cause.message}` : e.message;
}
