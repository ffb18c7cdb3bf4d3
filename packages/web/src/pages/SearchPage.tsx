import { useState, type FormEvent } from 'react';
import type { JaegerEnvelope, SearchAnswer, TraceSummary } from '../api/types';
import { ScatterPlot } from '../components/ScatterPlot';
import { Empty, ErrorState, Loading } from '../components/States';
import { TimeRangePicker, type RangeValue } from '../components/TimeRangePicker';
import { formatDuration, formatTime } from '../lib/format';
import { href, Link, navigate, useLocation } from '../lib/router';
import { serviceColor } from '../lib/service-color';
import { DEFAULT_RANGE, resolveRange } from '../lib/time-range';
import { useFetch } from '../lib/use-fetch';
import { useNow } from '../lib/use-now';

const SORTS: Record<string, (a: TraceSummary, b: TraceSummary) => number> = {
  recent: (a, b) => b.startMs - a.startMs,
  longest: (a, b) => b.durationMs - a.durationMs,
  shortest: (a, b) => a.durationMs - b.durationMs,
  spans: (a, b) => b.spanCount - a.spanCount,
};

interface Form extends RangeValue {
  service: string;
  operation: string;
  tags: string;
  minDuration: string;
  maxDuration: string;
  errors: boolean;
  limit: string;
}

const formFrom = (p: URLSearchParams): Form => ({
  service: p.get('service') ?? '',
  operation: p.get('operation') ?? '',
  tags: p.getAll('tag').join('\n'),
  minDuration: p.get('minDuration') ?? '',
  maxDuration: p.get('maxDuration') ?? '',
  errors: p.get('errors') === 'true',
  limit: p.get('limit') ?? '20',
  range: p.get('range') ?? DEFAULT_RANGE,
  start: p.get('start') ?? '',
  end: p.get('end') ?? '',
});

/** Every search state lives in the URL: the form edits a draft, submitting navigates, the answer follows the URL. */
export function SearchPage() {
  const { params } = useLocation();
  const query = params.toString();
  const now = useNow(query);
  const [draft, setDraft] = useState<Form>(() => formFrom(params));
  const [draftFor, setDraftFor] = useState(query);
  if (draftFor !== query) {
    // Back/forward or a link changed the search: show it in the form.
    setDraftFor(query);
    setDraft(formFrom(params));
  }
  const services = useFetch<JaegerEnvelope<string[]>>('/api/services');
  const operations = useFetch<JaegerEnvelope<string[]>>(draft.service ? `/api/services/${encodeURIComponent(draft.service)}/operations` : null);

  const { start, end } = resolveRange(params, now);
  const url = href('/api/v1/search', {
    service: params.get('service'),
    operation: params.get('operation'),
    tag: params.getAll('tag'),
    minDuration: params.get('minDuration'),
    maxDuration: params.get('maxDuration'),
    errors: params.get('errors'),
    limit: params.get('limit') ?? '20',
    start: String(start),
    end: String(end),
  });
  const result = useFetch<SearchAnswer>(url);
  const sort = params.get('sort') ?? 'recent';
  const [selected, setSelected] = useState<string[]>([]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    navigate(
      href('/search', {
        service: draft.service,
        operation: draft.operation,
        tag: draft.tags.split('\n').map((t) => t.trim()).filter(Boolean),
        minDuration: draft.minDuration.trim(),
        maxDuration: draft.maxDuration.trim(),
        errors: draft.errors ? 'true' : '',
        limit: draft.limit === '20' ? '' : draft.limit,
        range: draft.range === DEFAULT_RANGE ? '' : draft.range,
        start: draft.range === 'custom' ? draft.start : '',
        end: draft.range === 'custom' ? draft.end : '',
        sort: sort === 'recent' ? '' : sort,
      }),
    );
  };
  const set = (patch: Partial<Form>) => setDraft((d) => ({ ...d, ...patch }));
  const traces = result.data ? [...result.data.traces].sort(SORTS[sort] ?? SORTS.recent) : [];
  const maxDuration = Math.max(...traces.map((t) => t.durationMs), 0);
  const open = (id: string) => navigate(`/trace/${id}`);
  const toggle = (id: string) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s.slice(-1), id]));

  return (
    <div className="search-page">
      <form className="search-form panel" onSubmit={submit} aria-label="Search traces">
        <label>
          Service
          <select name="service" value={draft.service} onChange={(e) => set({ service: e.target.value, operation: '' })}>
            <option value="">All services</option>
            {services.data?.data.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Operation
          <select name="operation" value={draft.operation} onChange={(e) => set({ operation: e.target.value })} disabled={!draft.service}>
            <option value="">All operations</option>
            {operations.data?.data.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </label>
        <label>
          Tags
          <textarea
            name="tags"
            rows={3}
            value={draft.tags}
            onChange={(e) => set({ tags: e.target.value })}
            placeholder={'http.response.status_code=500\ncustomer!=c1\nhttp.route=~^/api/'}
            title="One filter per line, all must hold: key=value (on one span), key!=value (no span has it), key=~regex"
          />
        </label>
        <div className="row2">
          <label>
            Min duration
            <input name="minDuration" value={draft.minDuration} onChange={(e) => set({ minDuration: e.target.value })} placeholder="e.g. 100ms" />
          </label>
          <label>
            Max duration
            <input name="maxDuration" value={draft.maxDuration} onChange={(e) => set({ maxDuration: e.target.value })} placeholder="e.g. 1.5s" />
          </label>
        </div>
        <TimeRangePicker value={draft} onChange={(v) => set(v)} />
        <div className="row2">
          <label>
            Limit
            <input name="limit" type="number" min={1} max={1000} value={draft.limit} onChange={(e) => set({ limit: e.target.value })} />
          </label>
          <label className="checkbox">
            <input name="errors" type="checkbox" checked={draft.errors} onChange={(e) => set({ errors: e.target.checked })} />
            Errors only
          </label>
        </div>
        <button type="submit" className="primary">
          Find traces
        </button>
      </form>

      <section className="search-results" aria-label="Search results">
        {result.loading && <Loading what="traces" />}
        {result.error && <ErrorState error={result.error} retry={result.reload} />}
        {result.data && traces.length === 0 && (
          <Empty title="No traces match this search.">Widen the time range, remove a filter, or check that your services send spans to this Ariadne.</Empty>
        )}
        {traces.length > 0 && (
          <>
            <div className="panel">
              <ScatterPlot traces={traces} onOpen={open} />
            </div>
            <div className="results-bar">
              <span data-testid="result-count">
                {traces.length} trace{traces.length === 1 ? '' : 's'}
              </span>
              <label>
                Sort
                <select value={sort} onChange={(e) => navigate(href('/search', { ...Object.fromEntries(params), tag: params.getAll('tag'), sort: e.target.value === 'recent' ? '' : e.target.value }), true)}>
                  <option value="recent">Most recent</option>
                  <option value="longest">Longest first</option>
                  <option value="shortest">Shortest first</option>
                  <option value="spans">Most spans</option>
                </select>
              </label>
              <button type="button" disabled={selected.length !== 2} onClick={() => navigate(href('/compare', { a: selected[0], b: selected[1] }))}>
                Compare selected ({selected.length}/2)
              </button>
            </div>
            <ol className="trace-list">
              {traces.map((t) => (
                <li key={t.traceId} className="trace-item panel" data-trace-id={t.traceId}>
                  <div className="trace-item-head">
                    <input type="checkbox" aria-label={`Select trace ${t.traceId} for comparison`} checked={selected.includes(t.traceId)} onChange={() => toggle(t.traceId)} />
                    <Link to={`/trace/${t.traceId}`} className="trace-title">
                      <span className="svc-chip" style={{ background: serviceColor(t.rootService) }} />
                      {t.rootService}: {t.rootName}
                    </Link>
                    <span className="mono muted">{t.traceId.slice(0, 12)}</span>
                    <span className="spacer" />
                    <span className="trace-duration">{formatDuration(t.durationMs)}</span>
                  </div>
                  <div className="duration-bar" aria-hidden="true">
                    <div className={t.errorCount > 0 ? 'fill error' : 'fill'} style={{ width: `${maxDuration ? Math.max(0.5, (t.durationMs / maxDuration) * 100) : 0}%` }} />
                  </div>
                  <div className="trace-item-meta">
                    <span>{t.spanCount} spans</span>
                    {t.errorCount > 0 && <span className="badge error">{t.errorCount} errors</span>}
                    {t.services.map((s) => (
                      <span key={s.name} className="svc-tag" style={{ borderColor: serviceColor(s.name) }}>
                        {s.name} ({s.spans})
                      </span>
                    ))}
                    <span className="spacer" />
                    <span className="muted">{formatTime(t.startMs)}</span>
                  </div>
                </li>
              ))}
            </ol>
          </>
        )}
      </section>
    </div>
  );
}
