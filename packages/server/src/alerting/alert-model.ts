/*
 * Alerting's documents. Times are ms since the Unix epoch; ids are opaque strings the API assigns.
 */

export const ALERT_SIGNALS = ['error_rate', 'latency', 'request_rate', 'absence', 'new_error_groups'] as const;
/**
 * What a rule measures over its window: errors/requests (0-1), a latency percentile (ms),
 * requests per second, the request count (absence fires when it is at or below the threshold,
 * default 0), or the count of error groups seen in the window but not in the baseline before it.
 */
export type AlertSignal = (typeof ALERT_SIGNALS)[number];

export const COMPARISONS = ['>', '>=', '<', '<='] as const;
export type Comparison = (typeof COMPARISONS)[number];

/** A service (or one of its operations), or one edge of the service graph. */
export type AlertScope = { type: 'service'; service: string; operation?: string } | { type: 'edge'; parent: string; child: string };

export interface AlertRule {
  id: string;
  name: string;
  signal: AlertSignal;
  /** Latency only: 50, 75, 90, 95, 99 or 99.9. */
  percentile?: number;
  scope: AlertScope;
  comparison: Comparison;
  threshold: number;
  windowSeconds: number;
  /** How long the condition must hold before the alert fires; 0 fires at once. */
  forSeconds: number;
  /** new_error_groups only: how far before the window a group must be absent to count as new. */
  baselineSeconds?: number;
  /** While firing, notify again this often; 0 never. */
  renotifySeconds: number;
  labels: Record<string, string>;
  /** Mustache-like: {{rule}}, {{service}}, {{operation}}, {{parent}}, {{child}}, {{value}}, {{threshold}}, {{comparison}}, {{state}}, {{labels.NAME}}. */
  summary: string;
  channelIds: string[];
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
}

export const CHANNEL_TYPES = ['webhook', 'slack'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

export interface AlertChannel {
  id: string;
  name: string;
  /** webhook: the generic JSON payload; slack: `{text, blocks}` for an incoming webhook. */
  type: ChannelType;
  url: string;
  headers: Record<string, string>;
  /** webhook only: a JSON text whose `{{placeholders}}` (the summary's, plus summary and status) are filled in JSON-escaped, sent instead of the generic payload. */
  bodyTemplate?: string;
  createdAt: number;
  updatedAt: number;
}

/** A label matcher; `rule_id` and `rule` match the rule's id and name. */
export interface SilenceMatcher {
  label: string;
  value: string;
}

export interface AlertSilence {
  id: string;
  /** All must match the alert's labels. */
  matchers: SilenceMatcher[];
  startsAt: number;
  endsAt: number;
  comment: string;
  createdAt: number;
  updatedAt: number;
}

export type AlertStatus = 'inactive' | 'pending' | 'firing' | 'resolved';

/** The evaluator's memory of one rule, durable so another evaluator can take over. */
export interface AlertState {
  /** The rule's id. */
  id: string;
  status: AlertStatus;
  /** Latest value; null when the window had no data. */
  value: number | null;
  evaluatedAt: number;
  /** When the condition started to hold (pending/firing), or held last (resolved). */
  activeSince: number | null;
  firedAt: number | null;
  resolvedAt: number | null;
  lastNotifiedAt: number | null;
}

export interface DeliveryAttempt {
  at: number;
  /** HTTP status, absent when no answer came. */
  status?: number;
  error?: string;
  durationMs: number;
}

/** One message to one channel and its delivery attempts; 'silenced' ones were never sent. */
export interface AlertNotification {
  id: string;
  ruleId: string;
  ruleName: string;
  channelId: string;
  /** 'test' for a channel's test message. */
  state: 'firing' | 'resolved' | 'test';
  status: 'sending' | 'delivered' | 'failed' | 'silenced';
  summary: string;
  createdAt: number;
  attempts: DeliveryAttempt[];
  payload: unknown;
}
