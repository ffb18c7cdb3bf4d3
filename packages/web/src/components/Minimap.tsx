import { useEffect, useRef, type PointerEvent } from 'react';
import { serviceColor } from '../lib/service-color';
import type { TraceModel } from '../lib/trace-model';
import { useWidth } from '../lib/use-width';

const HEIGHT = 56;
const ERROR_COLOR = '#d93025';

/**
 * The whole trace at a glance, drawn on a canvas (tens of thousands of bars are cheap there and
 * would not be as DOM nodes), with the rows in view framed; pointing at it scrolls there.
 */
export function Minimap({ trace, rows, firstInView, rowsInView, zoom, onJump }: { trace: TraceModel; rows: number[]; firstInView: number; rowsInView: number; zoom: readonly [number, number] | undefined; onJump: (row: number) => void }) {
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const width = useWidth(box);
  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    // Drawn in the next frame: the waterfall's rows come first on screen.
    const frame = requestAnimationFrame(() => {
      const dpr = window.devicePixelRatio || 1;
      c.width = width * dpr;
      c.height = HEIGHT * dpr;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, width, HEIGHT);
      const rowH = HEIGHT / Math.max(rows.length, 1);
      const scale = width / Math.max(trace.durationMs, 1e-9);
      // One fill colour at a time: switching it per bar costs more than the bars.
      const colors = new Map(trace.services.map((name) => [name, serviceColor(name)]));
      const byColor = new Map<string, number[]>();
      for (let r = 0; r < rows.length; r++) {
        const s = trace.spans[rows[r]];
        const color = s.isError ? ERROR_COLOR : colors.get(s.service)!;
        const list = byColor.get(color);
        if (list) list.push(r);
        else byColor.set(color, [r]);
      }
      for (const [color, list] of byColor) {
        ctx.fillStyle = color;
        for (const r of list) {
          const s = trace.spans[rows[r]];
          ctx.fillRect(s.start * scale, r * rowH, Math.max(1, s.duration * scale), Math.max(1, rowH));
        }
      }
    });
    return () => cancelAnimationFrame(frame);
  }, [trace, rows, width]);
  const jump = (e: PointerEvent<HTMLDivElement>) => {
    if (e.buttons !== 1 && e.type !== 'pointerdown') return;
    const rect = e.currentTarget.getBoundingClientRect();
    const row = Math.floor(((e.clientY - rect.top) / rect.height) * rows.length);
    onJump(Math.max(0, Math.min(rows.length - 1, row - Math.floor(rowsInView / 2))));
  };
  const frameTop = (firstInView / Math.max(rows.length, 1)) * HEIGHT;
  const frameHeight = Math.max(3, (Math.min(rowsInView, rows.length) / Math.max(rows.length, 1)) * HEIGHT);
  return (
    <div className="minimap" ref={box} onPointerDown={jump} onPointerMove={jump} title="Trace overview: click or drag to scroll" data-testid="minimap">
      <canvas ref={canvas} style={{ width, height: HEIGHT }} />
      <div className="minimap-frame" style={{ top: frameTop, height: frameHeight }} />
      {zoom && (
        <div
          className="minimap-zoom"
          data-testid="minimap-zoom"
          style={{ left: `${(zoom[0] / Math.max(trace.durationMs, 1e-9)) * 100}%`, width: `${((zoom[1] - zoom[0]) / Math.max(trace.durationMs, 1e-9)) * 100}%` }}
        />
      )}
    </div>
  );
}
