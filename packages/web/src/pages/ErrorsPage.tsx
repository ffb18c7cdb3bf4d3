import type { ErrorsAnswer, JaegerEnvelope } from '../api/types';
import { RangeBar, rangeParams } from '../components/RangeBar';
import { Empty, ErrorState, Loading } from '../components/States';
import { formatClock } from '../lib/format';
import { NO_METRICS_HINT } from '../lib/no-metrics-hint';
import { href, Link, navigate, useLocation } from '../lib/router';
import { serviceColor } from '../lib/service-color';
import { resolveRange, stepFor } from '../lib/time-range';
import { useFetch } from '../lib/use-fetch';
import { useNow } from '../lib/use-now';

/** Counts per step as bars across the whole window. */
function Sparkbars({ points, start, end, step }: { points: { timestamp: number; count: number }[]; start: number; end: number; step: number }) {
  const n = Math.max(1, Math.ceil((end - start) / step));
  const max = Math.max(...points.map((p) => p.count), 1);
  const w = 240;
  const h = 36;
  return (
    <svg width={w} height={h} className="sparkbars" role="img" aria-label="Occurrences over time">
      {points.map((p) => {
        const i = Math.round((p.timestamp - start) / step);
        const bh = Math.max(2, (p.count / max) * (h - 2));
        return (
          <rect key={p.timestamp} x={(i / n) * w} y={h - bh} width={Math.max(2, w / n - 1)} height={bh}>
            <title>{`${formatClock(p.timestamp)}: ${p.count}`}</title>
          </rect>
        );
      })}
      <line x1={0} x2={w} y1={h - 0.5} y2={h - 0.5} className="baseline" />
    </svg>
  );
}

/** Errors grouped by service, type, message (variable parts masked) and top stack frame, with counts over time and example traces. */
export function ErrorsPage() {
  const { path, params } = useLocation();
  const now = useNow(params.toString());
  const { start, end } = resolveRange(params, now);
  const step = stepFor(start, end);
  const service = params.get('service') ?? '';
  const services = useFetch<JaegerEnvelope<string[]>>('/api/services');
  const errors = useFetch<ErrorsAnswer>(href('/api/v1/errors', { start: String(start), end: String(end), step: String(step), service, limit: '100' }));
  return (
    <div className="page">
      <RangeBar title="Errors">
        <label>
          Service
          <select value={service} onChange={(e) => navigate(href(path, { ...Object.fromEntries(params), service: e.target.value }))}>
            <option value="">All services</option>
            {services.data?.data.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </RangeBar>
      {errors.loading && <Loading what="errors" />}
      {errors.error && <ErrorState error={errors.error} retry={errors.reload} />}
      {errors.data && errors.data.groups.length === 0 && <Empty title="No errors in this range.">{NO_METRICS_HINT}</Empty>}
      {errors.data && errors.data.groups.length > 0 && (
        <ol className="error-groups">
          {errors.data.groups.map((g) => (
            <li key={`${g.service}|${g.errorType}|${g.message}|${g.frame}`} className="error-group panel">
              <div className="error-group-head">
                <span className="svc-chip" style={{ background: serviceColor(g.service) }} />
                <Link to={href(`/services/${encodeURIComponent(g.service)}`, rangeParams(params))}>{g.service}</Link>
                <strong className="error-text">{g.errorType}</strong>
                <span className="spacer" />
                <span className="error-count" title="occurrences in the range">
                  {g.count}×
                </span>
              </div>
              <div className="error-message">{g.message || <span className="muted">(no message)</span>}</div>
              {g.frame && <pre className="stacktrace">{g.frame}</pre>}
              <div className="error-group-foot">
                <Sparkbars points={g.points} start={start} end={end} step={step} />
                <span className="muted">Examples:</span>
                {g.exampleTraceIds.map((id) => (
                  <Link key={id} to={`/trace/${id}`} className="mono">
                    {id.slice(0, 12)}
                  </Link>
                ))}
              </div>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
