import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { ApiError, fetchJson } from '../api/fetch-json';
import type { OtlpTraces, TraceOutline } from '../api/types';
import { Minimap } from '../components/Minimap';
import { SpanDetails } from '../components/SpanDetails';
import { Empty, ErrorState, Loading } from '../components/States';
import { ROW_HEIGHT, Waterfall } from '../components/Waterfall';
import { criticalPath, type CriticalSegments } from '../lib/critical-path';
import { formatDuration, formatTime } from '../lib/format';
import { href, Link, navigate, useLocation } from '../lib/router';
import { serviceColor } from '../lib/service-color';
import { buildTraceModel, searchTexts, type TraceModel } from '../lib/trace-model';
import { useFetch } from '../lib/use-fetch';

export function TracePage({ traceId }: { traceId: string }) {
  // The outline draws the waterfall; attributes come per span (details) or with the full trace (find, copy).
  const fetched = useFetch<TraceOutline>(`/api/v1/traces/${encodeURIComponent(traceId)}/outline`);
  const model = useMemo(() => {
    if (!fetched.data) return undefined;
    try {
      return buildTraceModel(fetched.data);
    } catch (err) {
      return err as Error;
    }
  }, [fetched.data]);
  if (fetched.loading) return <Loading what="trace" />;
  if (fetched.error instanceof ApiError && fetched.error.status === 404)
    return (
      <Empty title="Trace not found.">
        No trace with id <span className="mono">{traceId}</span> is stored here. It may be older than the retention period, or still on its way.{' '}
        <Link to="/search">Search traces</Link>
      </Empty>
    );
  if (fetched.error) return <ErrorState error={fetched.error} retry={fetched.reload} />;
  if (model instanceof Error) return <ErrorState error={model} />;
  if (!model) return null;
  return <TraceView key={model.traceId} trace={model} />;
}

function TraceView({ trace }: { trace: TraceModel }) {
  const { path, params } = useLocation();
  const selectedId = params.get('span');
  // A scan when the selection changes costs less than a 50,000-entry map on opening.
  const selected = useMemo(() => {
    if (selectedId === null) return undefined;
    const i = trace.spans.findIndex((s) => s.spanId === selectedId);
    return i < 0 ? undefined : i;
  }, [trace, selectedId]);
  const select = useCallback(
    (index: number | undefined) => {
      const next = new URLSearchParams(location.search);
      if (index === undefined) next.delete('span');
      else next.set('span', trace.spans[index].spanId);
      const qs = next.toString();
      navigate(qs ? `${path}?${qs}` : path, true);
    },
    [path, trace],
  );

  const [collapsed, setCollapsed] = useState<ReadonlySet<number>>(() => new Set());
  const rows = useMemo(() => {
    const out: number[] = [];
    for (let i = 0; i < trace.spans.length; ) {
      out.push(i);
      i = collapsed.has(i) ? trace.spans[i].subtreeEnd : i + 1;
    }
    return out;
  }, [trace, collapsed]);
  // Row of each span, -1 inside a folded subtree.
  const rowOf = useMemo(() => {
    const out = new Int32Array(trace.spans.length).fill(-1);
    rows.forEach((span, row) => (out[span] = row));
    return out;
  }, [trace, rows]);
  const toggle = useCallback((index: number) => {
    setCollapsed((c) => {
      const next = new Set(c);
      if (!next.delete(index)) next.add(index);
      return next;
    });
  }, []);

  const [showCritical, setShowCritical] = useState(true);
  // A time window (ms from the trace start) the waterfall is zoomed to.
  const [zoom, setZoom] = useState<readonly [number, number]>();
  const onZoom = useCallback((from: number, to: number) => setZoom([from, to]), []);
  // Computed after the first paint: on a huge trace the rows matter first.
  const [critical, setCritical] = useState<CriticalSegments>();
  useEffect(() => {
    const timer = setTimeout(() => setCritical(criticalPath(trace.spans)), 0);
    return () => clearTimeout(timer);
  }, [trace]);

  const [find, setFind] = useState('');
  // Built once per trace when finding starts, not on every keystroke.
  const finding = find !== '';
  // The whole trace (attributes, events), fetched once when first needed: by find, copy or download.
  const fullRef = useRef<Promise<OtlpTraces>>(undefined);
  const loadFull = useCallback(() => (fullRef.current ??= fetchJson<OtlpTraces>(`/api/v1/traces/${encodeURIComponent(trace.traceId)}`)), [trace]);
  const [full, setFull] = useState<OtlpTraces | Error>();
  useEffect(() => {
    if (!finding || full) return;
    let live = true;
    loadFull().then(
      (f) => live && setFull(f),
      (err: Error) => {
        fullRef.current = undefined;
        if (live) setFull(err);
      },
    );
    return () => {
      live = false;
    };
  }, [finding, full, loadFull]);
  const texts = useMemo(() => (finding && full && !(full instanceof Error) ? searchTexts(trace, full) : undefined), [trace, finding, full]);
  const matchList = useMemo(() => {
    const q = find.trim().toLowerCase();
    if (!q || !texts) return undefined;
    const out: number[] = [];
    texts.forEach((t, i) => {
      if (t.includes(q)) out.push(i);
    });
    return out;
  }, [texts, find]);
  const matches = useMemo(() => (matchList ? new Set(matchList) : undefined), [matchList]);
  const findInput = useRef<HTMLInputElement>(null);

  const scrollRef = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState({ first: 0, count: 20 });
  const onViewport = useCallback((first: number, count: number) => setViewport({ first, count }), []);
  const scrollToRow = useCallback((row: number, center = false) => {
    const el = scrollRef.current;
    if (!el) return;
    const top = row * ROW_HEIGHT;
    if (center) el.scrollTop = top - el.clientHeight / 2;
    else if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_HEIGHT - el.clientHeight;
  }, []);

  // A selected span inside a folded subtree (from a link or a find) unfolds its ancestors, then comes into view.
  useEffect(() => {
    if (selected === undefined) return;
    const row = rowOf[selected];
    if (row >= 0) {
      scrollToRow(row);
      return;
    }
    setCollapsed((c) => {
      const next = new Set(c);
      for (let p = trace.spans[selected].parent; p >= 0; p = trace.spans[p].parent) next.delete(p);
      return next;
    });
  }, [selected, rowOf, scrollToRow, trace]);

  const jumpToMatch = (step: 1 | -1) => {
    if (!matchList || matchList.length === 0) return;
    const current = selected === undefined ? -1 : matchList.indexOf(selected);
    const next = current < 0 ? (step === 1 ? matchList.find((m) => selected === undefined || m > selected) ?? matchList[0] : matchList[matchList.length - 1]) : matchList[(current + step + matchList.length) % matchList.length];
    select(next);
  };
  const matchPosition = matchList && selected !== undefined ? matchList.indexOf(selected) + 1 : 0;

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const row = selected === undefined ? -1 : rowOf[selected];
    const go = (r: number) => select(rows[Math.max(0, Math.min(rows.length - 1, r))]);
    const s = selected === undefined ? undefined : trace.spans[selected];
    switch (e.key) {
      case 'ArrowDown':
      case 'j':
        go(row + 1);
        break;
      case 'ArrowUp':
      case 'k':
        go(row < 0 ? 0 : row - 1);
        break;
      case 'PageDown':
        go(row + viewport.count);
        break;
      case 'PageUp':
        go(row - viewport.count);
        break;
      case 'Home':
        go(0);
        break;
      case 'End':
        go(rows.length - 1);
        break;
      case 'ArrowRight':
      case 'l':
        if (!s || s.children.length === 0) return;
        if (collapsed.has(s.index)) toggle(s.index);
        else select(s.children[0]);
        break;
      case 'ArrowLeft':
      case 'h':
        if (!s) return;
        if (s.children.length > 0 && !collapsed.has(s.index)) toggle(s.index);
        else if (s.parent >= 0) select(s.parent);
        break;
      case 'Enter':
      case ' ':
        if (s && s.children.length > 0) toggle(s.index);
        break;
      case 'Escape':
        select(undefined);
        break;
      case '/':
        findInput.current?.focus();
        break;
      case 'n':
        jumpToMatch(1);
        break;
      case 'N':
        jumpToMatch(-1);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  const root = trace.spans[0];
  const json = () => loadFull().then((raw) => JSON.stringify(raw, null, 2));
  const [copied, setCopied] = useState<string>();
  const copy = () => {
    setCopied('Copying…');
    // A promised clipboard item keeps the click's permission while the trace loads.
    const blob = json().then((text) => new Blob([text], { type: 'text/plain' }));
    const write = typeof ClipboardItem === 'function' ? navigator.clipboard.write([new ClipboardItem({ 'text/plain': blob })]) : blob.then((b) => b.text()).then((t) => navigator.clipboard.writeText(t));
    write.then(
      () => setCopied('Copied'),
      (err: Error) => setCopied(err instanceof ApiError ? `Copy failed: ${err.message}` : 'Copy failed: the browser allows the clipboard only on https or localhost'),
    );
  };
  const download = () =>
    json().then(
      (text) => {
        const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
        const a = document.createElement('a');
        a.href = url;
        a.download = `trace-${trace.traceId}.json`;
        a.click();
        URL.revokeObjectURL(url);
      },
      (err: Error) => setCopied(`Download failed: ${err.message}`),
    );
  const [otherId, setOtherId] = useState('');

  return (
    <div className="trace-page">
      <header className="trace-header panel">
        <h1>
          <span className="svc-chip" style={{ background: serviceColor(root.service) }} />
          {root.service}: {root.name}
        </h1>
        <div className="trace-stats">
          <span className="mono" title="Trace id">
            {trace.traceId}
          </span>
          <span>{formatTime(trace.startMs)}</span>
          <span>
            Duration <strong data-testid="trace-duration">{formatDuration(trace.durationMs)}</strong>
          </span>
          <span>
            <strong data-testid="trace-span-count">{trace.spans.length}</strong> spans
          </span>
          <span>depth {trace.maxDepth + 1}</span>
          {trace.errorCount > 0 && <span className="badge error">{trace.errorCount} errors</span>}
          {trace.services.map((s) => (
            <Link key={s} to={`/services/${encodeURIComponent(s)}`} className="svc-tag" style={{ borderColor: serviceColor(s) }}>
              {s}
            </Link>
          ))}
        </div>
        <div className="trace-actions">
          <button type="button" onClick={copy}>
            Copy JSON
          </button>
          <button type="button" onClick={download}>
            Download JSON
          </button>
          {copied && <span className="muted" role="status">{copied}</span>}
          <form
            className="inline"
            onSubmit={(e) => {
              e.preventDefault();
              if (otherId.trim()) navigate(href('/compare', { a: trace.traceId, b: otherId.trim() }));
            }}
          >
            <input aria-label="Trace id to compare with" placeholder="Compare with trace id…" value={otherId} onChange={(e) => setOtherId(e.target.value)} />
            <button type="submit" disabled={!otherId.trim()}>
              Compare
            </button>
          </form>
        </div>
      </header>
      <div className="trace-toolbar">
        <input
          ref={findInput}
          type="search"
          className="find"
          placeholder="Find in trace (/)…"
          aria-label="Find in trace"
          value={find}
          onChange={(e) => setFind(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              jumpToMatch(e.shiftKey ? -1 : 1);
            } else if (e.key === 'Escape') {
              setFind('');
              scrollRef.current?.focus();
            }
          }}
        />
        {finding && !full && <span className="muted">Loading attributes…</span>}
        {full instanceof Error && <span className="error-text">Find failed: {full.message}</span>}
        {matchList && (
          <span className="muted" data-testid="find-count">
            {matchPosition > 0 ? `${matchPosition} of ` : ''}
            {matchList.length} match{matchList.length === 1 ? '' : 'es'}
          </span>
        )}
        <button type="button" onClick={() => setCollapsed(new Set())}>
          Expand all
        </button>
        <button type="button" onClick={() => setCollapsed(new Set(trace.spans.filter((s) => s.depth === 0 && s.children.length > 0).flatMap((s) => s.children.filter((c) => trace.spans[c].children.length > 0))))}>
          Collapse to depth 2
        </button>
        <button type="button" onClick={() => setZoom(undefined)} disabled={!zoom} title="Show the whole trace again">
          Reset zoom
        </button>
        {zoom && (
          <span className="muted small" data-testid="zoom-window">
            {formatDuration(zoom[0])} – {formatDuration(zoom[1])}
          </span>
        )}
        <label className="checkbox">
          <input type="checkbox" checked={showCritical} onChange={(e) => setShowCritical(e.target.checked)} /> Critical path
        </label>
        <span className="spacer" />
        <span className="muted small">↑↓ move · ←→ fold · Enter toggle · / find · n next match</span>
      </div>
      <Minimap trace={trace} rows={rows} firstInView={viewport.first} rowsInView={viewport.count} zoom={zoom} onJump={(r) => scrollToRow(r + Math.floor(viewport.count / 2), true)} />
      <div className={selected === undefined ? 'trace-body' : 'trace-body with-details'}>
        <Waterfall
          trace={trace}
          rows={rows}
          collapsed={collapsed}
          selected={selected}
          matches={matches}
          critical={showCritical ? critical : undefined}
          window={zoom ?? [0, trace.durationMs]}
          onZoom={onZoom}
          scrollRef={scrollRef}
          onViewport={onViewport}
          onSelect={select}
          onToggle={toggle}
          onKeyDown={onKeyDown}
        />
        {selected !== undefined && <SpanDetails span={trace.spans[selected]} trace={trace} onClose={() => select(undefined)} />}
      </div>
    </div>
  );
}
