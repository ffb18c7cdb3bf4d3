import type { RedAnswer, RedPoint } from '../api/types';
import { LineChart, type ChartSeries } from '../components/LineChart';
import { RangeBar, rangeParams } from '../components/RangeBar';
import { Empty, ErrorState, Loading } from '../components/States';
import { formatCount, formatDuration, formatPercent } from '../lib/format';
import { NO_METRICS_HINT } from '../lib/no-metrics-hint';
import { redUrl } from '../lib/red-url';
import { href, Link, navigate, useLocation } from '../lib/router';
import { resolveRange, stepFor } from '../lib/time-range';
import { useFetch } from '../lib/use-fetch';
import { useNow } from '../lib/use-now';

/** Points at every step of the window, null where there was no traffic, so lines break at gaps. */
function charts(points: RedPoint[], start: number, end: number, step: number) {
  const at = new Map(points.map((p) => [p.timestamp, p]));
  const ts: number[] = [];
  for (let t = start; t < end; t += step) ts.push(t);
  const line = (name: string, color: string, value: (p: RedPoint) => number | null): ChartSeries => ({
    name,
    color,
    points: ts.map((t) => {
      const p = at.get(t);
      return { t, v: p ? value(p) : null };
    }),
  });
  const perMinute = step / 60_000;
  return {
    rate: [line('requests/min', 'hsl(210 65% 52%)', (p) => p.requests / perMinute)],
    errors: [line('error rate', 'hsl(2 70% 52%)', (p) => p.errorRate * 100)],
    latency: [line('p50', 'hsl(140 55% 42%)', (p) => p.p50), line('p95', 'hsl(35 85% 50%)', (p) => p.p95), line('p99', 'hsl(2 70% 52%)', (p) => p.p99)],
  };
}

function Charts({ url, start, end, step, what }: { url: string; start: number; end: number; step: number; what: string }) {
  const red = useFetch<RedAnswer>(url);
  if (red.loading) return <Loading what={`${what} metrics`} />;
  if (red.error) return <ErrorState error={red.error} retry={red.reload} />;
  const c = charts(red.data?.series[0]?.points ?? [], start, end, step);
  return (
    <div className="charts">
      <LineChart title={`${what}: requests per minute`} series={c.rate} start={start} end={end} format={(v) => v.toFixed(v < 10 ? 1 : 0)} />
      <LineChart title={`${what}: error rate`} series={c.errors} start={start} end={end} format={(v) => `${v.toFixed(v < 10 ? 1 : 0)}%`} />
      <LineChart title={`${what}: latency`} series={c.latency} start={start} end={end} format={formatDuration} />
    </div>
  );
}

/** One service's health: rate, error rate and latency percentiles over time, per operation too, and its slowest and most failing operations. */
export function ServicePage({ service }: { service: string }) {
  const { path, params } = useLocation();
  const now = useNow(params.toString());
  const { start, end } = resolveRange(params, now);
  const step = stepFor(start, end);
  const allKinds = params.get('kinds') === 'all';
  const operation = params.get('operation') ?? undefined;
  const ops = useFetch<RedAnswer>(redUrl({ start, end, step: end - start, service, byOperation: true, allKinds }));
  const rows = (ops.data?.series ?? []).map((s) => ({ operation: s.operation ?? '', ...s.points[0] }));
  const slow = [...rows].filter((r) => r.p95 !== null).sort((a, b) => (b.p95 ?? 0) - (a.p95 ?? 0)).slice(0, 5);
  const failing = rows.filter((r) => r.errors > 0).sort((a, b) => b.errors - a.errors).slice(0, 5);
  const traces = (op?: string, errors?: boolean) => href('/search', { service, operation: op, errors: errors ? 'true' : undefined, ...rangeParams(params) });
  const here = (patch: Record<string, string | undefined>) => href(path, { ...Object.fromEntries(params), ...patch });
  return (
    <div className="page">
      <RangeBar title={<>Service: {service}</>}>
        <label>
          Spans
          <select value={allKinds ? 'all' : 'entry'} onChange={(e) => navigate(here({ kinds: e.target.value === 'all' ? 'all' : undefined }))}>
            <option value="entry">Server and consumer spans</option>
            <option value="all">All span kinds</option>
          </select>
        </label>
        <Link to={traces()}>Find traces</Link>
      </RangeBar>
      <Charts url={redUrl({ start, end, step, service, allKinds })} start={start} end={end} step={step} what={service} />
      {ops.loading && <Loading what="operations" />}
      {ops.error && <ErrorState error={ops.error} retry={ops.reload} />}
      {ops.data && rows.length === 0 && <Empty title={`No metrics for ${service} in this range.`}>{NO_METRICS_HINT}</Empty>}
      {rows.length > 0 && (
        <>
          <div className="two-col">
            <section className="panel">
              <h2>Slowest operations (p95)</h2>
              <ol className="top-list" aria-label="Slowest operations">
                {slow.map((r) => (
                  <li key={r.operation}>
                    <Link to={here({ operation: r.operation })}>{r.operation}</Link> <strong>{formatDuration(r.p95 ?? 0)}</strong> <Link to={traces(r.operation)}>traces</Link>
                  </li>
                ))}
              </ol>
            </section>
            <section className="panel">
              <h2>Most failing operations</h2>
              {failing.length === 0 ? (
                <p className="muted">No errors in this range.</p>
              ) : (
                <ol className="top-list" aria-label="Most failing operations">
                  {failing.map((r) => (
                    <li key={r.operation}>
                      <Link to={here({ operation: r.operation })}>{r.operation}</Link> <strong className="error-text">{r.errors} errors ({formatPercent(r.errorRate)})</strong>{' '}
                      <Link to={traces(r.operation, true)}>traces</Link>
                    </li>
                  ))}
                </ol>
              )}
            </section>
          </div>
          <table className="grid panel" aria-label="Operations">
            <thead>
              <tr>
                <th>Operation</th>
                <th>Requests</th>
                <th>Error rate</th>
                <th>p50</th>
                <th>p95</th>
                <th>p99</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.operation} className={r.operation === operation ? 'selected' : undefined}>
                  <td>
                    <Link to={here({ operation: r.operation })}>{r.operation}</Link>
                  </td>
                  <td>{formatCount(r.requests)}</td>
                  <td className={r.errors > 0 ? 'error-text' : undefined}>{formatPercent(r.errorRate)}</td>
                  <td>{r.p50 !== null ? formatDuration(r.p50) : '–'}</td>
                  <td>{r.p95 !== null ? formatDuration(r.p95) : '–'}</td>
                  <td>{r.p99 !== null ? formatDuration(r.p99) : '–'}</td>
                  <td>
                    <Link to={traces(r.operation)}>Traces</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {operation && (
        <section>
          <h2>
            Operation: {operation} <Link to={here({ operation: undefined })}>(close)</Link>
          </h2>
          <Charts url={redUrl({ start, end, step, service, operation, allKinds })} start={start} end={end} step={step} what={operation} />
        </section>
      )}
    </div>
  );
}
