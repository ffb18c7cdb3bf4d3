import type { AlertChannel, AlertRule, AlertState } from './alert-model.js';
import { windowMs } from './measure-signal.js';
import { jsonEscape, renderTemplate } from './render-template.js';

/** The generic webhook payload: what a receiver needs to route, show and link an alert. */
export interface AlertPayload {
  version: 1;
  rule: { id: string; name: string; signal: AlertRule['signal']; percentile?: number; scope: AlertRule['scope'] };
  state: 'firing' | 'resolved' | 'test';
  value: number | null;
  comparison: AlertRule['comparison'];
  threshold: number;
  labels: Record<string, string>;
  summary: string;
  startsAt: string | null;
  endsAt: string | null;
  /** The traces and errors of the rule's scope during the firing window, in the web UI. */
  links: { traces: string; errors: string };
}

/** The labels an alert is matched on (silences) and sent with: the rule's, plus its identity and scope. */
export function alertLabels(rule: AlertRule): Record<string, string> {
  const s = rule.scope;
  const scope: Record<string, string> = s.type === 'edge' ? { parent: s.parent, child: s.child } : { service: s.service, ...(s.operation === undefined ? {} : { operation: s.operation }) };
  return { ...rule.labels, ...scope, rule: rule.name, rule_id: rule.id };
}

export const formatValue = (value: number | null): string => (value === null ? 'no data' : String(Number(value.toPrecision(4))));

/** The summary's variables for one alert state. */
export function summaryVariables(rule: AlertRule, state: AlertPayload['state'], value: number | null): Record<string, string> {
  const vars: Record<string, string> = {
    rule: rule.name,
    signal: rule.signal,
    value: formatValue(value),
    threshold: formatValue(rule.threshold),
    comparison: rule.comparison,
    state,
    service: rule.scope.type === 'service' ? rule.scope.service : rule.scope.parent,
    operation: rule.scope.type === 'service' ? (rule.scope.operation ?? '') : '',
    parent: rule.scope.type === 'edge' ? rule.scope.parent : '',
    child: rule.scope.type === 'edge' ? rule.scope.child : '',
  };
  for (const [name, v] of Object.entries(rule.labels)) vars[`labels.${name}`] = v;
  return vars;
}

/** UI links for the scope over [startMs, endMs]; an edge links to its caller's traces and the callee's errors. */
export function alertLinks(rule: AlertRule, publicUrl: string, startMs: number, endMs: number): AlertPayload['links'] {
  const s = rule.scope;
  const window = { range: 'custom', start: String(startMs), end: String(endMs) };
  const traces = new URLSearchParams(s.type === 'edge' ? { service: s.parent } : { service: s.service, ...(s.operation === undefined ? {} : { operation: s.operation }) });
  const errors = new URLSearchParams({ service: s.type === 'edge' ? s.child : s.service });
  for (const [k, v] of Object.entries(window)) {
    traces.set(k, v);
    errors.set(k, v);
  }
  const base = publicUrl.replace(/\/+$/, '');
  return { traces: `${base}/search?${traces}`, errors: `${base}/errors?${errors}` };
}

/** The payload of one notification about `state`. */
export function alertPayload(rule: AlertRule, state: AlertState, kind: AlertPayload['state'], publicUrl: string): AlertPayload {
  const since = state.activeSince ?? state.evaluatedAt;
  const endsAt = kind === 'resolved' ? state.resolvedAt : null;
  return {
    version: 1,
    rule: { id: rule.id, name: rule.name, signal: rule.signal, ...(rule.percentile === undefined ? {} : { percentile: rule.percentile }), scope: rule.scope },
    state: kind,
    value: state.value,
    comparison: rule.comparison,
    threshold: rule.threshold,
    labels: alertLabels(rule),
    summary: renderTemplate(rule.summary, summaryVariables(rule, kind, state.value)),
    startsAt: state.firedAt === null ? null : new Date(state.firedAt).toISOString(),
    endsAt: endsAt === null ? null : new Date(endsAt).toISOString(),
    links: alertLinks(rule, publicUrl, since - windowMs(rule), endsAt ?? state.evaluatedAt),
  };
}

const EMOJI = { firing: ':red_circle:', resolved: ':large_green_circle:', test: ':white_circle:' };

/** Slack's incoming-webhook shape: `text` for notifications, `blocks` for the message. */
export function slackPayload(p: AlertPayload) {
  const text = `[${p.state.toUpperCase()}] ${p.summary}`;
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `${EMOJI[p.state]} *${text}*` } },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `value ${formatValue(p.value)} ${p.comparison} ${formatValue(p.threshold)} · <${p.links.traces}|traces> · <${p.links.errors}|errors>` }],
      },
    ],
  };
}

/** The request body a channel gets for a payload. */
export function channelBody(channel: AlertChannel, p: AlertPayload, rule: AlertRule): string {
  if (channel.type === 'slack') return JSON.stringify(slackPayload(p));
  if (channel.bodyTemplate === undefined) return JSON.stringify(p);
  const vars = { ...summaryVariables(rule, p.state, p.value), summary: p.summary, status: p.state, traces: p.links.traces, errors: p.links.errors };
  return renderTemplate(channel.bodyTemplate, vars, jsonEscape);
}
