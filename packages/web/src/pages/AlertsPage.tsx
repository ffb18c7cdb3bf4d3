import { useState, type FormEvent, type ReactNode } from 'react';
import type { AlertChannel, AlertNotification, AlertRule, AlertSilence, AlertStateRow } from '../api/alert-types';
import { sendJson } from '../api/send-json';
import { ErrorState, Loading } from '../components/States';
import { formatClock } from '../lib/format';
import { Link } from '../lib/router';
import { useFetch } from '../lib/use-fetch';

const SIGNALS: { value: AlertRule['signal']; label: string }[] = [
  { value: 'error_rate', label: 'Error rate (0-1)' },
  { value: 'latency', label: 'Latency percentile (ms)' },
  { value: 'request_rate', label: 'Request rate (per s)' },
  { value: 'absence', label: 'Absence of traffic' },
  { value: 'new_error_groups', label: 'New error groups' },
];

type Draft = Record<string, string | boolean | string[]>;

const EMPTY_DRAFT: Draft = {
  name: '', signal: 'error_rate', percentile: '95', scopeType: 'service', service: '', operation: '', parent: '', child: '',
  comparison: '>', threshold: '0.05', windowSeconds: '300', forSeconds: '0', renotifySeconds: '0', labels: '', summary: '', channelIds: [], enabled: true,
};

function draftOf(rule: AlertRule): Draft {
  const s = rule.scope;
  return {
    ...EMPTY_DRAFT,
    name: rule.name, signal: rule.signal, percentile: String(rule.percentile ?? 95), scopeType: s.type,
    service: s.type === 'service' ? s.service : '', operation: s.type === 'service' ? (s.operation ?? '') : '',
    parent: s.type === 'edge' ? s.parent : '', child: s.type === 'edge' ? s.child : '',
    comparison: rule.comparison, threshold: String(rule.threshold), windowSeconds: String(rule.windowSeconds), forSeconds: String(rule.forSeconds),
    renotifySeconds: String(rule.renotifySeconds), labels: Object.entries(rule.labels).map(([k, v]) => `${k}=${v}`).join(', '),
    summary: rule.summary, channelIds: rule.channelIds, enabled: rule.enabled,
  };
}

/** The request body for a draft; numbers stay strings when they do not parse, so the server names the field. */
function bodyOf(d: Draft) {
  const num = (v: string | boolean | string[]) => (String(v).trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v);
  const labels = Object.fromEntries(
    String(d.labels).split(',').map((pair) => pair.trim()).filter(Boolean).map((pair) => [pair.split('=')[0].trim(), pair.slice(pair.indexOf('=') + 1).trim()]),
  );
  return {
    name: d.name,
    signal: d.signal,
    ...(d.signal === 'latency' ? { percentile: num(d.percentile) } : {}),
    scope: d.scopeType === 'edge' ? { type: 'edge', parent: d.parent, child: d.child } : { type: 'service', service: d.service, ...(d.operation ? { operation: d.operation } : {}) },
    comparison: d.comparison,
    threshold: num(d.threshold),
    windowSeconds: num(d.windowSeconds),
    forSeconds: num(d.forSeconds),
    renotifySeconds: num(d.renotifySeconds),
    labels,
    ...(d.summary ? { summary: d.summary } : {}),
    channelIds: d.channelIds,
    enabled: d.enabled,
  };
}

/** Splits `rules.scope.service: must be …` into the field it names and the message. */
function fieldError(message: string): { field: string; text: string } {
  const m = /^(?:rules|channels|silences)\.([\w.]+)(?:\[\d+\])?(?:\.[\w.]+)?: (.*)$/.exec(message);
  if (!m) return { field: '', text: message };
  const field = m[1].replace(/^scope\./, '');
  return { field: field === 'type' ? 'scopeType' : field, text: m[2] };
}

function Field({ label, error, children }: { label: string; error?: string; children: ReactNode }) {
  return (
    <label>
      {label}
      {children}
      {error && <span className="error-text" role="alert">{error}</span>}
    </label>
  );
}

function RuleForm({ rule, channels, onDone }: { rule?: AlertRule; channels: AlertChannel[]; onDone: () => void }) {
  const [draft, setDraft] = useState<Draft>(rule ? draftOf(rule) : EMPTY_DRAFT);
  const [error, setError] = useState<{ field: string; text: string }>();
  const set = (key: string) => (e: { target: { value: string } }) => setDraft({ ...draft, [key]: e.target.value });
  const err = (field: string) => (error?.field === field ? error.text : undefined);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await sendJson(rule ? 'PUT' : 'POST', rule ? `/api/v1/alerts/rules/${rule.id}` : '/api/v1/alerts/rules', bodyOf(draft));
      onDone();
    } catch (failure) {
      setError(fieldError((failure as Error).message));
    }
  };
  const text = (key: string, label: string, placeholder = '') => (
    <Field label={label} error={err(key)}>
      <input value={String(draft[key])} onChange={set(key)} placeholder={placeholder} aria-invalid={err(key) ? true : undefined} />
    </Field>
  );
  return (
    <form className="panel alert-form" onSubmit={submit} aria-label={rule ? 'Edit rule' : 'New rule'}>
      <h2>{rule ? `Edit ${rule.name}` : 'New rule'}</h2>
      {text('name', 'Name')}
      <Field label="Signal" error={err('signal')}>
        <select value={String(draft.signal)} onChange={set('signal')}>
          {SIGNALS.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
        </select>
      </Field>
      {draft.signal === 'latency' && text('percentile', 'Percentile')}
      <Field label="Scope" error={err('scopeType')}>
        <select value={String(draft.scopeType)} onChange={set('scopeType')}>
          <option value="service">Service or operation</option>
          <option value="edge">Edge of the service graph</option>
        </select>
      </Field>
      {draft.scopeType === 'service' ? (<>{text('service', 'Service')}{text('operation', 'Operation (optional)')}</>) : (<>{text('parent', 'Caller')}{text('child', 'Callee')}</>)}
      <Field label="Comparison" error={err('comparison')}>
        <select value={String(draft.comparison)} onChange={set('comparison')}>
          {['>', '>=', '<', '<='].map((c) => <option key={c}>{c}</option>)}
        </select>
      </Field>
      {text('threshold', 'Threshold')}
      {text('windowSeconds', 'Window (s)')}
      {text('forSeconds', 'For (s) before firing')}
      {text('renotifySeconds', 'Re-notify every (s, 0: never)')}
      {text('labels', 'Labels', 'severity=page, team=core')}
      {text('summary', 'Summary', '{{service}} error rate {{value}} > {{threshold}}')}
      <fieldset>
        <legend className="small muted">Channels</legend>
        {channels.map((c) => (
          <label key={c.id} className="checkbox">
            <input type="checkbox" checked={(draft.channelIds as string[]).includes(c.id)}
              onChange={(e) => setDraft({ ...draft, channelIds: e.target.checked ? [...(draft.channelIds as string[]), c.id] : (draft.channelIds as string[]).filter((id) => id !== c.id) })} />
            {c.name}
          </label>
        ))}
        {err('channelIds') && <span className="error-text" role="alert">{err('channelIds')}</span>}
      </fieldset>
      <label className="checkbox">
        <input type="checkbox" checked={Boolean(draft.enabled)} onChange={(e) => setDraft({ ...draft, enabled: e.target.checked })} /> Enabled
      </label>
      {error && error.field === '' && <span className="error-text" role="alert">{error.text}</span>}
      {error && error.field !== '' && !(error.field in draft) && <span className="error-text" role="alert">{error.field}: {error.text}</span>}
      <div className="alert-actions">
        <button type="submit" className="primary">{rule ? 'Save' : 'Create rule'}</button>
        <button type="button" onClick={onDone}>Cancel</button>
      </div>
    </form>
  );
}

function ChannelForm({ onDone }: { onDone: () => void }) {
  const [draft, setDraft] = useState({ name: '', type: 'webhook', url: '' });
  const [error, setError] = useState<{ field: string; text: string }>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await sendJson('POST', '/api/v1/alerts/channels', draft);
      setDraft({ name: '', type: 'webhook', url: '' });
      setError(undefined);
      onDone();
    } catch (failure) {
      setError(fieldError((failure as Error).message));
    }
  };
  const err = (field: string) => (error?.field === field ? error.text : undefined);
  return (
    <form className="alert-inline-form" onSubmit={submit} aria-label="New channel">
      <Field label="Name" error={err('name')}><input value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} /></Field>
      <Field label="Type" error={err('type')}>
        <select value={draft.type} onChange={(e) => setDraft({ ...draft, type: e.target.value })}>
          <option value="webhook">Webhook (JSON)</option>
          <option value="slack">Slack</option>
        </select>
      </Field>
      <Field label="URL" error={err('url')}><input value={draft.url} onChange={(e) => setDraft({ ...draft, url: e.target.value })} placeholder="https://…" /></Field>
      <button type="submit">Add channel</button>
      {error && !['name', 'type', 'url'].includes(error.field) && <span className="error-text" role="alert">{error.text}</span>}
    </form>
  );
}

const valueText = (v: number | null) => (v === null ? '—' : String(Number(v.toPrecision(4))));

/** Alert rules with their current state, channels with a test button, silences and the notification history. */
export function AlertsPage() {
  const states = useFetch<{ alerts: AlertStateRow[] }>('/api/v1/alerts/state');
  const rules = useFetch<{ rules: AlertRule[] }>('/api/v1/alerts/rules');
  const channels = useFetch<{ channels: AlertChannel[] }>('/api/v1/alerts/channels');
  const silences = useFetch<{ silences: AlertSilence[] }>('/api/v1/alerts/silences');
  const history = useFetch<{ notifications: AlertNotification[] }>('/api/v1/alerts/notifications?limit=50');
  const [editing, setEditing] = useState<AlertRule | 'new'>();
  const [message, setMessage] = useState('');
  const reload = () => [states, rules, channels, silences, history].forEach((f) => f.reload());
  const act = async (what: () => Promise<unknown>) => {
    try {
      await what();
      setMessage('');
    } catch (failure) {
      setMessage((failure as Error).message);
    }
    reload();
  };
  const ruleById = new Map(rules.data?.rules.map((r) => [r.id, r]));
  const channelName = new Map(channels.data?.channels.map((c) => [c.id, c.name]));
  const scopeText = (s: AlertStateRow['rule']['scope']) => (s.type === 'edge' ? `${s.parent} → ${s.child}` : s.operation ? `${s.service} · ${s.operation}` : s.service);
  return (
    <div className="page alerts-page">
      <div className="range-bar">
        <h1>Alerts</h1>
        <span className="spacer" />
        <button type="button" className="primary" onClick={() => setEditing('new')}>New rule</button>
      </div>
      {message && <div className="state state-error" role="alert">{message}</div>}
      {editing && <RuleForm key={editing === 'new' ? 'new' : editing.id} rule={editing === 'new' ? undefined : editing} channels={channels.data?.channels ?? []} onDone={() => { setEditing(undefined); reload(); }} />}
      <section className="panel">
        <h2>Rules</h2>
        {states.loading && <Loading what="alert rules" />}
        {states.error && <ErrorState error={states.error} retry={states.reload} />}
        {states.data && (states.data.alerts.length === 0 ? <p className="muted">No rules yet.</p> : (
          <table className="grid">
            <thead><tr><th>State</th><th>Rule</th><th>Scope</th><th>Value</th><th>Links</th><th /></tr></thead>
            <tbody>
              {states.data.alerts.map((a) => (
                <tr key={a.rule.id}>
                  <td><span className={`badge alert-${a.status}`}>{a.status}</span></td>
                  <td>{a.rule.name}<div className="small muted">{a.rule.signal}</div></td>
                  <td>{scopeText(a.rule.scope)}</td>
                  <td className="mono">{valueText(a.value)} {a.comparison} {a.threshold}</td>
                  <td><Link to={a.links.traces}>traces</Link> · <Link to={a.links.errors}>errors</Link></td>
                  <td className="alert-actions">
                    <button type="button" onClick={() => { const r = ruleById.get(a.rule.id); if (r) setEditing(r); }}>Edit</button>
                    <button type="button" onClick={() => { if (confirm(`Delete rule ${a.rule.name}?`)) void act(() => sendJson('DELETE', `/api/v1/alerts/rules/${a.rule.id}`)); }}>Delete</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      </section>
      <section className="panel">
        <h2>Channels</h2>
        {channels.data && (
          <table className="grid">
            <thead><tr><th>Name</th><th>Type</th><th>URL</th><th /></tr></thead>
            <tbody>
              {channels.data.channels.map((c) => (
                <tr key={c.id}>
                  <td>{c.name}</td>
                  <td>{c.type}</td>
                  <td className="mono">{c.url}</td>
                  <td className="alert-actions">
                    <button type="button" onClick={() => void act(async () => {
                      const n = await sendJson<AlertNotification>('POST', `/api/v1/alerts/channels/${c.id}/test`);
                      if (n?.status !== 'delivered') throw new Error(`Test to ${c.name} failed: ${n?.attempts.map((t) => t.status ?? t.error).join(', ')}`);
                    })}>Test</button>
                    <button type="button" onClick={() => void act(() => sendJson('DELETE', `/api/v1/alerts/channels/${c.id}`))}>Delete</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <ChannelForm onDone={reload} />
      </section>
      <section className="panel">
        <h2>Silences</h2>
        {silences.data && silences.data.silences.length === 0 && <p className="muted">No silences.</p>}
        {silences.data && silences.data.silences.length > 0 && (
          <table className="grid">
            <thead><tr><th>Matchers</th><th>Until</th><th>Comment</th><th /></tr></thead>
            <tbody>
              {silences.data.silences.map((s) => (
                <tr key={s.id}>
                  <td className="mono">{s.matchers.map((m) => `${m.label}=${m.value}`).join(', ')}</td>
                  <td>{formatClock(s.endsAt)}{s.endsAt < Date.now() && <span className="badge">expired</span>}</td>
                  <td>{s.comment}</td>
                  <td><button type="button" onClick={() => void act(() => sendJson('DELETE', `/api/v1/alerts/silences/${s.id}`))}>Delete</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="panel">
        <h2>Notification history</h2>
        {history.data && (history.data.notifications.length === 0 ? <p className="muted">Nothing sent yet.</p> : (
          <table className="grid">
            <thead><tr><th>Time</th><th>Rule</th><th>State</th><th>Channel</th><th>Delivery</th><th>Attempts</th></tr></thead>
            <tbody>
              {history.data.notifications.map((n) => (
                <tr key={n.id}>
                  <td>{formatClock(n.createdAt)}</td>
                  <td>{n.ruleName}<div className="small muted">{n.summary}</div></td>
                  <td>{n.state}</td>
                  <td>{channelName.get(n.channelId) ?? n.channelId}</td>
                  <td><span className={`badge delivery-${n.status}`}>{n.status}</span></td>
                  <td className="mono small">{n.attempts.map((a) => a.status ?? a.error).join(' → ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      </section>
    </div>
  );
}
