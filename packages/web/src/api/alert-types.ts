/* The alerting API's shapes (/api/v1/alerts/*), as the UI reads them. */

export type AlertScope = { type: 'service'; service: string; operation?: string } | { type: 'edge'; parent: string; child: string };

export interface AlertRule {
  id: string;
  name: string;
  signal: 'error_rate' | 'latency' | 'request_rate' | 'absence' | 'new_error_groups';
  percentile?: number;
  scope: AlertScope;
  comparison: '>' | '>=' | '<' | '<=';
  threshold: number;
  windowSeconds: number;
  forSeconds: number;
  renotifySeconds: number;
  labels: Record<string, string>;
  summary: string;
  channelIds: string[];
  enabled: boolean;
}

export interface AlertStateRow {
  rule: { id: string; name: string; signal: AlertRule['signal']; scope: AlertScope };
  status: 'inactive' | 'pending' | 'firing' | 'resolved' | 'disabled';
  value: number | null;
  threshold: number;
  comparison: string;
  activeSince: number | null;
  links: { traces: string; errors: string };
}

export interface AlertChannel {
  id: string;
  name: string;
  type: 'webhook' | 'slack';
  url: string;
}

export interface AlertSilence {
  id: string;
  matchers: { label: string; value: string }[];
  startsAt: number;
  endsAt: number;
  comment: string;
}

export interface AlertNotification {
  id: string;
  ruleName: string;
  channelId: string;
  state: 'firing' | 'resolved' | 'test';
  status: 'sending' | 'delivered' | 'failed' | 'silenced';
  summary: string;
  createdAt: number;
  attempts: { at: number; status?: number; error?: string; durationMs: number }[];
}
