import { randomUUID } from 'node:crypto';
import type { AlertChannel, AlertNotification, AlertRule, AlertState } from './alert-model.js';
import { alertPayload, channelBody } from './alert-payload.js';
import type { AlertPayload } from './alert-payload.js';
import type { AlertStore } from './alert-store.js';
import type { WebhookSender } from './webhook-sender.js';

/** Records notifications in the history and sends them in the background; `idle` waits for the deliveries under way. */
export class AlertNotifier {
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly store: AlertStore,
    private readonly sender: WebhookSender,
    private readonly publicUrl: string,
  ) {}

  /** One notification per channel of the rule; silenced ones are recorded, not sent. Resolves once recorded. */
  async notify(rule: AlertRule, state: AlertState, kind: 'firing' | 'resolved', silenced: boolean, nowMs: number): Promise<AlertNotification[]> {
    const payload = alertPayload(rule, state, kind, this.publicUrl);
    const sent: AlertNotification[] = [];
    for (const id of rule.channelIds) {
      const channel = await this.store.channels.get(id);
      if (channel) sent.push(await this.record(channel, rule, payload, silenced, nowMs));
    }
    return sent;
  }

  /** Sends a made-up firing alert to the channel and resolves with its delivery. */
  async test(channel: AlertChannel, nowMs: number): Promise<AlertNotification> {
    const rule: AlertRule = {
      id: 'test',
      name: `Test of channel ${channel.name}`,
      signal: 'error_rate',
      scope: { type: 'service', service: 'example-service' },
      comparison: '>',
      threshold: 0.05,
      windowSeconds: 300,
      forSeconds: 0,
      renotifySeconds: 0,
      labels: { test: 'true' },
      summary: '{{rule}}: example-service error rate {{value}} > {{threshold}} (a test, nothing is wrong)',
      channelIds: [channel.id],
      enabled: true,
      createdAt: nowMs,
      updatedAt: nowMs,
    };
    const state: AlertState = { id: 'test', status: 'firing', value: 0.25, evaluatedAt: nowMs, activeSince: nowMs, firedAt: nowMs, resolvedAt: null, lastNotifiedAt: nowMs };
    const payload = alertPayload(rule, state, 'test', this.publicUrl);
    const recorded = await this.record(channel, rule, payload, false, nowMs);
    return this.sender.deliver(channel, recorded, channelBody(channel, payload, rule));
  }

  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  private async record(channel: AlertChannel, rule: AlertRule, payload: AlertPayload, silenced: boolean, nowMs: number): Promise<AlertNotification> {
    const body = channelBody(channel, payload, rule);
    const notification: AlertNotification = {
      id: randomUUID(),
      ruleId: rule.id,
      ruleName: rule.name,
      channelId: channel.id,
      state: payload.state,
      status: silenced ? 'silenced' : 'sending',
      summary: payload.summary,
      createdAt: nowMs,
      attempts: [],
      payload: JSON.parse(body),
    };
    await this.store.notifications.put(notification);
    if (!silenced && payload.state !== 'test') {
      const delivery = this.sender.deliver(channel, notification, body).finally(() => this.inFlight.delete(delivery));
      this.inFlight.add(delivery);
    }
    return notification;
  }
}
