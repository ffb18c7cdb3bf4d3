import type { JaegerEnvelope, RedAnswer } from '../api/types';
import { RangeBar, rangeParams } from '../components/RangeBar';
import { Empty, ErrorState, Loading } from '../components/States';
import { formatCount, formatDuration, formatPercent } from '../lib/format';
import { NO_METRICS_HINT } from '../lib/no-metrics-hint';
import { redUrl } from '../lib/red-url';
import { href, Link, useLocation } from '../lib/router';
import { serviceColor } from '../lib/service-color';
import { resolveRange } from '../lib/time-range';
import { useFetch } from '../lib/use-fetch';
import { useNow } from '../lib/use-now';

/** Every service with its rate, errors and latency over the range (one merged point per service). */
export function ServicesPage() {
  const { params } = useLocation();
  const now = useNow(params.toString());
  const { start, end } = resolveRange(params, now);
  const services = useFetch<JaegerEnvelope<string[]>>('/api/services');
  const red = useFetch<RedAnswer>(redUrl({ start, end, step: end - start }));
  const bySvc = new Map(red.data?.series.map((s) => [s.service, s.points[0]]));
  const names = [...new Set([...(services.data?.data ?? []), ...bySvc.keys()])].sort();
  const minutes = Math.max((end - start) / 60_000, 1);
  return (
    <div className="page">
      <RangeBar title="Services" />
      {(services.loading || red.loading) && <Loading what="services" />}
      {services.error && <ErrorState error={services.error} retry={services.reload} />}
      {red.error && <ErrorState error={red.error} retry={red.reload} />}
      {services.data && red.data && names.length === 0 && <Empty title="No services yet.">Send spans over OTLP to this Ariadne and they appear here.</Empty>}
      {names.length > 0 && (
        <table className="grid panel" aria-label="Services">
          <thead>
            <tr>
              <th>Service</th>
              <th>Requests</th>
              <th>Rate</th>
              <th>Error rate</th>
              <th>p50</th>
              <th>p95</th>
              <th>p99</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {names.map((name) => {
              const p = bySvc.get(name);
              return (
                <tr key={name}>
                  <td>
                    <span className="svc-chip" style={{ background: serviceColor(name) }} />
                    <Link to={href(`/services/${encodeURIComponent(name)}`, rangeParams(params))}>{name}</Link>
                  </td>
                  <td>{p ? formatCount(p.requests) : '–'}</td>
                  <td>{p ? `${(p.requests / minutes).toFixed(2)}/min` : '–'}</td>
                  <td className={p && p.errors > 0 ? 'error-text' : undefined}>{p ? formatPercent(p.errorRate) : '–'}</td>
                  <td>{p?.p50 != null ? formatDuration(p.p50) : '–'}</td>
                  <td>{p?.p95 != null ? formatDuration(p.p95) : '–'}</td>
                  <td>{p?.p99 != null ? formatDuration(p.p99) : '–'}</td>
                  <td>
                    <Link to={href('/search', { service: name, ...rangeParams(params) })}>Traces</Link>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {red.data && red.data.series.length === 0 && names.length > 0 && <p className="muted">No metrics in this range. {NO_METRICS_HINT}</p>}
    </div>
  );
}
