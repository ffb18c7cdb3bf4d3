import { useMemo } from 'react';
import type { TraceOutline } from '../api/types';
import { Empty, ErrorState, Loading } from '../components/States';
import { compareTraces } from '../lib/compare-traces';
import { formatDuration } from '../lib/format';
import { Link, useLocation } from '../lib/router';
import { buildTraceModel, type TraceModel } from '../lib/trace-model';
import { useFetch } from '../lib/use-fetch';

function useTrace(id: string | null) {
  const fetched = useFetch<TraceOutline>(id ? `/api/v1/traces/${encodeURIComponent(id)}/outline` : null);
  const model = useMemo(() => (fetched.data ? buildTraceModel(fetched.data) : undefined), [fetched.data]);
  return { ...fetched, model };
}

function Summary({ label, trace }: { label: string; trace: TraceModel }) {
  const root = trace.spans[0];
  return (
    <div className="panel compare-summary">
      <strong>{label}</strong>{' '}
      <Link to={`/trace/${trace.traceId}`}>
        {root.service}: {root.name}
      </Link>{' '}
      <span className="mono muted">{trace.traceId.slice(0, 12)}</span> · {formatDuration(trace.durationMs)} · {trace.spans.length} spans
      {trace.errorCount > 0 && <span className="badge error">{trace.errorCount} errors</span>}
    </div>
  );
}

/** Two traces side by side: spans matched by their service+operation path from the root, with counts and duration differences. */
export function ComparePage() {
  const { params } = useLocation();
  const a = useTrace(params.get('a'));
  const b = useTrace(params.get('b'));
  const rows = useMemo(() => (a.model && b.model ? compareTraces(a.model, b.model) : []), [a.model, b.model]);
  if (!params.get('a') || !params.get('b'))
    return (
      <Empty title="Pick two traces to compare.">
        Tick two traces in the <Link to="/search">search results</Link>, or enter another trace id on a trace page.
      </Empty>
    );
  if (a.loading || b.loading) return <Loading what="traces" />;
  if (a.error || b.error) return <ErrorState error={(a.error ?? b.error)!} retry={a.error ? a.reload : b.reload} />;
  if (!a.model || !b.model) return null;
  const max = Math.max(...rows.map((r) => Math.max(r.a.totalMs, r.b.totalMs)), 1e-9);
  return (
    <div className="page">
      <h1>Compare traces</h1>
      <div className="two-col">
        <Summary label="A" trace={a.model} />
        <Summary label="B" trace={b.model} />
      </div>
      <table className="grid panel compare" aria-label="Span paths compared">
        <thead>
          <tr>
            <th>Service: operation (path from the root)</th>
            <th>Spans A</th>
            <th>Spans B</th>
            <th>Time A</th>
            <th>Time B</th>
            <th>B − A</th>
            <th className="bars-col" />
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const diff = r.b.totalMs - r.a.totalMs;
            const state = r.a.count === 0 ? 'only-b' : r.b.count === 0 ? 'only-a' : diff > 0 ? 'slower' : diff < 0 ? 'faster' : '';
            return (
              <tr key={r.path} className={state} data-path={r.path} title={r.path}>
                <td style={{ paddingLeft: 8 + r.depth * 14 }}>
                  {r.label}
                  {state === 'only-a' && <span className="badge">only in A</span>}
                  {state === 'only-b' && <span className="badge">only in B</span>}
                </td>
                <td>{r.a.count || '–'}</td>
                <td>{r.b.count || '–'}</td>
                <td>{r.a.count ? formatDuration(r.a.totalMs) : '–'}</td>
                <td>{r.b.count ? formatDuration(r.b.totalMs) : '–'}</td>
                <td className="diff">
                  {r.a.count && r.b.count ? `${diff > 0 ? '+' : ''}${formatDuration(diff)}${r.a.totalMs > 0 ? ` (${diff > 0 ? '+' : ''}${Math.round((diff / r.a.totalMs) * 100)}%)` : ''}` : '–'}
                </td>
                <td className="bars-col">
                  <div className="cmp-bar a" style={{ width: `${(r.a.totalMs / max) * 100}%` }} />
                  <div className="cmp-bar b" style={{ width: `${(r.b.totalMs / max) * 100}%` }} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
