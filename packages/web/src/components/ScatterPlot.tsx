import { useRef } from 'react';
import type { TraceSummary } from '../api/types';
import { formatDuration } from '../lib/format';
import { useWidth } from '../lib/use-width';
import { ChartAxes } from './ChartAxes';

const HEIGHT = 180;
const PAD = { left: 64, right: 16, top: 12, bottom: 28 };

/** Trace duration over start time; a dot per trace, red when it has errors, sized by span count. Click opens it. */
export function ScatterPlot({ traces, onOpen }: { traces: TraceSummary[]; onOpen: (traceId: string) => void }) {
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box);
  const t0 = Math.min(...traces.map((t) => t.startMs));
  const t1 = Math.max(...traces.map((t) => t.startMs));
  const dMax = Math.max(...traces.map((t) => t.durationMs), 0.001);
  const x = (ms: number) => PAD.left + (t1 === t0 ? 0.5 : (ms - t0) / (t1 - t0)) * (width - PAD.left - PAD.right);
  const y = (ms: number) => HEIGHT - PAD.bottom - (ms / dMax) * (HEIGHT - PAD.top - PAD.bottom);
  const maxSpans = Math.max(...traces.map((t) => t.spanCount));
  const r = (spans: number) => 3 + 5 * Math.sqrt(spans / maxSpans);
  return (
    <div className="scatter" ref={box}>
      <svg width={width} height={HEIGHT} role="img" aria-label="Trace durations over time">
        <ChartAxes width={width} height={HEIGHT} pad={PAD} top={dMax} y={y} format={formatDuration} start={t0} end={t1} timeLabelOffset={8} />
        {traces.map((t) => (
          <circle
            key={t.traceId}
            className={t.errorCount > 0 ? 'dot dot-error' : 'dot'}
            data-trace-id={t.traceId}
            cx={x(t.startMs)}
            cy={y(t.durationMs)}
            r={r(t.spanCount)}
            onClick={() => onOpen(t.traceId)}
          >
            <title>{`${t.rootService}: ${t.rootName} — ${formatDuration(t.durationMs)}, ${t.spanCount} spans${t.errorCount ? `, ${t.errorCount} errors` : ''}`}</title>
          </circle>
        ))}
      </svg>
    </div>
  );
}
