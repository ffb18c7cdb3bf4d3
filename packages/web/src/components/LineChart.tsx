import { useRef } from 'react';
import { useWidth } from '../lib/use-width';
import { ChartAxes } from './ChartAxes';

export interface ChartSeries {
  name: string;
  color: string;
  points: { t: number; v: number | null }[];
}

const HEIGHT = 150;
const PAD = { left: 56, right: 12, top: 10, bottom: 24 };

/** A small time-series chart in SVG; a gap where a point has no value. */
export function LineChart({ title, series, start, end, format }: { title: string; series: ChartSeries[]; start: number; end: number; format: (v: number) => string }) {
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box, 400);
  const max = Math.max(...series.flatMap((s) => s.points.map((p) => p.v ?? 0)), 0);
  const top = max === 0 ? 1 : max * 1.1;
  const x = (t: number) => PAD.left + ((t - start) / Math.max(end - start, 1)) * (width - PAD.left - PAD.right);
  const y = (v: number) => HEIGHT - PAD.bottom - (v / top) * (HEIGHT - PAD.top - PAD.bottom);
  const empty = series.every((s) => s.points.every((p) => p.v === null));
  return (
    <figure className="chart panel" ref={box}>
      <figcaption>
        {title}
        {series.length > 1 &&
          series.map((s) => (
            <span key={s.name} className="legend">
              <span className="legend-swatch" style={{ background: s.color }} />
              {s.name}
            </span>
          ))}
      </figcaption>
      <svg width={width} height={HEIGHT} role="img" aria-label={title}>
        <ChartAxes width={width} height={HEIGHT} pad={PAD} top={top} y={y} format={format} start={start} end={end} timeLabelOffset={6} />
        {series.map((s) => {
          let d = '';
          let pen = false;
          for (const p of s.points) {
            if (p.v === null) {
              pen = false;
              continue;
            }
            d += `${pen ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`;
            pen = true;
          }
          return (
            <g key={s.name}>
              <path d={d} fill="none" stroke={s.color} strokeWidth={1.8} />
              {s.points.map((p) => p.v !== null && <circle key={p.t} cx={x(p.t)} cy={y(p.v)} r={2.2} fill={s.color} />)}
            </g>
          );
        })}
        {empty && (
          <text x={width / 2} y={HEIGHT / 2} textAnchor="middle" className="muted">
            no data in this range
          </text>
        )}
      </svg>
    </figure>
  );
}
