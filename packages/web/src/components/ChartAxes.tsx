import { formatClock } from '../lib/format';

interface ChartAxesProps {
  width: number;
  height: number;
  pad: { left: number; right: number };
  /** The value at the top gridline; gridlines are drawn at 0, half and all of it. */
  top: number;
  y: (value: number) => number;
  format: (value: number) => string;
  /** The time range under the x axis, ms since the epoch. */
  start: number;
  end: number;
  /** Distance of the time labels' baseline from the bottom edge. */
  timeLabelOffset: number;
}

/** Gridlines labelled with their values, and the first and last time under the x axis. */
export function ChartAxes({ width, height, pad, top, y, format, start, end, timeLabelOffset }: ChartAxesProps) {
  return (
    <>
      {[0, 0.5, 1].map((f) => (
        <g key={f} className="axis">
          <line x1={pad.left} x2={width - pad.right} y1={y(top * f)} y2={y(top * f)} />
          <text x={pad.left - 6} y={y(top * f) + 4} textAnchor="end">
            {format(top * f)}
          </text>
        </g>
      ))}
      <g className="axis">
        <text x={pad.left} y={height - timeLabelOffset}>
          {formatClock(start)}
        </text>
        <text x={width - pad.right} y={height - timeLabelOffset} textAnchor="end">
          {formatClock(end)}
        </text>
      </g>
    </>
  );
}
