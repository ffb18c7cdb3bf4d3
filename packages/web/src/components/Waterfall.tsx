import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent, type RefObject } from 'react';
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
  /** The time window shown, ms from the trace start: the whole trace, or a zoomed part of it. */
  window: readonly [number, number];
  /** A window dragged on the ruler. */
  onZoom: (from: number, to: number) => void;
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
  const { trace, rows, collapsed, selected, matches, critical, window: [from0, to0], scrollRef, onViewport } = props;
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
  const windowMs = Math.max(to0 - from0, 1e-9);
  const pct = (ms: number) => ((ms - from0) / windowMs) * 100;
  const rendered = [];
  for (let r = from; r < to; r++) {
    const s = trace.spans[rows[r]];
    const color = serviceColor(s.service);
    const left = pct(s.start);
    const width = Math.max((s.duration / windowMs) * 100, 0.05);
    // The duration goes after the bar, else before it, else (a bar spanning the row) inside its end;
    // placed by the bar's part in view, so a zoomed-in bar keeps its label on screen.
    const inL = Math.max(left, 0);
    const inR = Math.min(left + width, 100);
    const labelStyle = inR < 80 ? { left: `calc(${Math.max(inR, 0)}% + 4px)` } : inL > 15 ? { right: `calc(${100 - Math.min(inL, 100)}% + 4px)` } : { right: `calc(${100 - inR}% + 4px)` };
    const labelInside = inR >= 80 && inL <= 15;
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
      <div className="wf-header">
        <div className="wf-name">Service: operation</div>
        <Ruler window={props.window} onZoom={props.onZoom} />
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

/** Time ticks of the window in view; dragging across it selects a window to zoom to. */
function Ruler({ window: [from, to], onZoom }: { window: readonly [number, number]; onZoom: (from: number, to: number) => void }) {
  const [drag, setDrag] = useState<{ a: number; b: number }>();
  const box = useRef<HTMLDivElement>(null);
  const fraction = (e: PointerEvent<HTMLDivElement>) => {
    const rect = box.current!.getBoundingClientRect();
    return Math.max(0, Math.min(1, (e.clientX - rect.left) / Math.max(rect.width, 1)));
  };
  const end = (e: PointerEvent<HTMLDivElement>) => {
    if (!drag) return;
    setDrag(undefined);
    const [a, b] = [Math.min(drag.a, fraction(e)), Math.max(drag.a, fraction(e))];
    // Under 0.5% of the width is a click, not a window.
    if (b - a > 0.005) onZoom(from + a * (to - from), from + b * (to - from));
  };
  return (
    <div
      ref={box}
      className="wf-timeline wf-ruler"
      data-testid="ruler"
      title="Drag to zoom into a time window"
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture?.(e.pointerId);
        const f = fraction(e);
        setDrag({ a: f, b: f });
      }}
      onPointerMove={(e) => drag && setDrag({ a: drag.a, b: fraction(e) })}
      onPointerUp={end}
      onPointerCancel={() => setDrag(undefined)}
    >
      {[0, 0.25, 0.5, 0.75, 1].map((f) => (
        <span key={f} className="wf-tick" aria-hidden="true" style={f === 1 ? { right: 4 } : { left: `${f * 100}%` }}>
          {formatDuration(from + (to - from) * f)}
        </span>
      ))}
      {drag && <div className="wf-ruler-selection" style={{ left: `${Math.min(drag.a, drag.b) * 100}%`, width: `${Math.abs(drag.b - drag.a) * 100}%` }} />}
    </div>
  );
}
