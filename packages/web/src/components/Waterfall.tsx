import { useEffect, useState, type KeyboardEvent, type RefObject } from 'react';
import type { CriticalSegments } from '../lib/critical-path';
import { formatDuration } from '../lib/format';
import { serviceColor } from '../lib/service-color';
import type { TraceModel } from '../lib/trace-model';

export const ROW_HEIGHT = 26;
/** Rows rendered beyond the viewport on each side, so fast scrolling shows no blank edge. */
const OVERSCAN = 12;

export interface WaterfallProps {
  trace: TraceModel;
  /** Span indices of the rows, in order (collapsed subtrees left out). */
  rows: number[];
  collapsed: ReadonlySet<number>;
  selected: number | undefined;
  matches: ReadonlySet<number> | undefined;
  critical: CriticalSegments | undefined;
  scrollRef: RefObject<HTMLDivElement | null>;
  onViewport: (firstRow: number, rowsInView: number) => void;
  onSelect: (span: number) => void;
  onToggle: (span: number) => void;
  onKeyDown: (e: KeyboardEvent<HTMLDivElement>) => void;
}

/**
 * The span tree beside its timeline. Rows are virtualized by hand: with one fixed row height,
 * the rows in view follow from scrollTop alone, which a library would not make simpler; only
 * those (and an overscan) are in the DOM, so 50,000 spans scroll like 50.
 */
export function Waterfall(props: WaterfallProps) {
  const { trace, rows, collapsed, selected, matches, critical, scrollRef, onViewport } = props;
  const [view, setView] = useState({ top: 0, height: 600 });
  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const update = () => setView({ top: el.scrollTop, height: el.clientHeight });
    update();
    const observer = new ResizeObserver(update);
    observer.observe(el);
    el.addEventListener('scroll', update, { passive: true });
    return () => {
      observer.disconnect();
      el.removeEventListener('scroll', update);
    };
  }, [scrollRef]);
  const firstInView = Math.floor(view.top / ROW_HEIGHT);
  const rowsInView = Math.ceil(view.height / ROW_HEIGHT);
  useEffect(() => onViewport(firstInView, rowsInView), [firstInView, rowsInView, onViewport]);

  const from = Math.max(0, firstInView - OVERSCAN);
  const to = Math.min(rows.length, firstInView + rowsInView + OVERSCAN);
  const total = Math.max(trace.durationMs, 1e-9);
  const pct = (ms: number) => (ms / total) * 100;
  const rendered = [];
  for (let r = from; r < to; r++) {
    const s = trace.spans[rows[r]];
    const color = serviceColor(s.service);
    const left = pct(s.start);
    const width = Math.max(pct(s.duration), 0.05);
    // The duration goes after the bar, else before it, else (a bar spanning the row) inside its end.
    const labelStyle = left + width < 80 ? { left: `calc(${left + width}% + 4px)` } : left > 15 ? { right: `calc(${100 - left}% + 4px)` } : { right: `calc(${100 - left - width}% + 4px)` };
    const labelInside = left + width >= 80 && left <= 15;
    const classes = ['wf-row'];
    if (s.index === selected) classes.push('selected');
    if (matches?.has(s.index)) classes.push('match');
    if (s.isError) classes.push('has-error');
    const hasChildren = s.children.length > 0;
    rendered.push(
      <div
        key={s.index}
        role="treeitem"
        className={classes.join(' ')}
        style={{ top: r * ROW_HEIGHT }}
        aria-level={s.depth + 1}
        aria-expanded={hasChildren ? !collapsed.has(s.index) : undefined}
        aria-selected={s.index === selected}
        data-span-id={s.spanId}
        data-depth={s.depth}
        onClick={() => props.onSelect(s.index)}
      >
        <div className="wf-name" style={{ paddingLeft: 6 + s.depth * 14 }}>
          {hasChildren ? (
            <button
              type="button"
              className="twisty"
              tabIndex={-1}
              aria-label={collapsed.has(s.index) ? 'Expand' : 'Collapse'}
              onClick={(e) => {
                e.stopPropagation();
                props.onToggle(s.index);
              }}
            >
              {collapsed.has(s.index) ? '▸' : '▾'}
            </button>
          ) : (
            <span className="twisty" />
          )}
          <span className="svc-chip" style={{ background: color }} />
          <span className="wf-service">{s.service}</span>
          <span className="wf-op">{s.name}</span>
          {s.isError && (
            <span className="error-mark" role="img" aria-label="error" title={s.statusMessage || 'error'}>
              !
            </span>
          )}
          {collapsed.has(s.index) && <span className="muted small">+{s.subtreeEnd - s.index - 1}</span>}
        </div>
        <div className="wf-timeline">
          <div className={s.isError ? 'wf-bar error' : 'wf-bar'} style={{ left: `${left}%`, width: `${width}%`, background: color }}>
            {critical?.get(s.index)?.map(([a, b]) => (
              <div key={a} className="wf-critical" style={{ left: `${((a - s.start) / Math.max(s.duration, 1e-9)) * 100}%`, width: `${((b - a) / Math.max(s.duration, 1e-9)) * 100}%` }} />
            ))}
          </div>
          <span className={labelInside ? 'wf-label inside' : 'wf-label'} style={labelStyle}>
            {formatDuration(s.duration)}
          </span>
        </div>
      </div>,
    );
  }
  return (
    <div className="waterfall">
      <div className="wf-header" aria-hidden="true">
        <div className="wf-name">Service: operation</div>
        <div className="wf-timeline">
          {[0, 0.25, 0.5, 0.75, 1].map((f) => (
            <span key={f} className="wf-tick" style={f === 1 ? { right: 4 } : { left: `${f * 100}%` }}>
              {formatDuration(trace.durationMs * f)}
            </span>
          ))}
        </div>
      </div>
      <div
        className="wf-scroll"
        ref={scrollRef}
        tabIndex={0}
        role="tree"
        aria-label="Spans of the trace (arrow keys move and fold, / finds)"
        onKeyDown={props.onKeyDown}
      >
        <div className="wf-canvas" style={{ height: rows.length * ROW_HEIGHT }}>
          {rendered}
        </div>
      </div>
    </div>
  );
}
