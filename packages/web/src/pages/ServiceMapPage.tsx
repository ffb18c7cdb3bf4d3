import { useRef } from 'react';
import type { GraphAnswer, GraphEdge, JaegerEnvelope } from '../api/types';
import { RangeBar, rangeParams } from '../components/RangeBar';
import { Empty, ErrorState, Loading } from '../components/States';
import { formatCount, formatDuration, formatPercent } from '../lib/format';
import { NO_METRICS_HINT } from '../lib/no-metrics-hint';
import { nodeKind, type NodeKind } from '../lib/node-kind';
import { href, navigate, useLocation } from '../lib/router';
import { serviceColor } from '../lib/service-color';
import { resolveRange } from '../lib/time-range';
import { useFetch } from '../lib/use-fetch';
import { useNow } from '../lib/use-now';
import { useWidth } from '../lib/use-width';

const NODE_W = 170;
const NODE_H = 46;
const COL_GAP = 120;
const ROW_GAP = 34;

/** Columns by longest call depth from the callers nobody calls (a node in a cycle stays where first reached). */
function layout(names: string[], edges: GraphEdge[]): Map<string, { col: number; row: number }> {
  const incoming = new Map(names.map((n) => [n, 0]));
  for (const e of edges) if (e.parent !== e.child) incoming.set(e.child, (incoming.get(e.child) ?? 0) + 1);
  const depth = new Map<string, number>();
  const queue = names.filter((n) => incoming.get(n) === 0);
  if (queue.length === 0 && names.length > 0) queue.push(names[0]);
  for (const n of queue) depth.set(n, 0);
  // Bounded relaxation: each node's depth can only grow to the node count, so cycles end.
  for (let i = 0; i < queue.length && i < names.length * names.length; i++) {
    const n = queue[i];
    for (const e of edges) {
      if (e.parent !== n || e.child === n) continue;
      const d = depth.get(n)! + 1;
      if ((depth.get(e.child) ?? -1) < d && d < names.length) {
        depth.set(e.child, d);
        queue.push(e.child);
      }
    }
  }
  const cols = new Map<number, string[]>();
  for (const n of names) {
    const d = depth.get(n) ?? 0;
    cols.set(d, [...(cols.get(d) ?? []), n]);
  }
  const at = new Map<string, { col: number; row: number }>();
  for (const [col, list] of cols) list.sort().forEach((n, row) => at.set(n, { col, row }));
  return at;
}

const KIND_LABEL: Record<NodeKind, string> = { service: 'service', database: 'database', queue: 'queue', external: 'external' };

/** Services, databases and queues with the calls between them, their error rate and latency over the range. */
export function ServiceMapPage() {
  const { params } = useLocation();
  const now = useNow(params.toString());
  const { start, end } = resolveRange(params, now);
  const graph = useFetch<GraphAnswer>(href('/api/v1/graph', { start: String(start), end: String(end) }));
  const services = useFetch<JaegerEnvelope<string[]>>('/api/services');
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box);
  const known = new Set(services.data?.data ?? []);
  const edges = graph.data?.edges ?? [];
  const names = [...new Set([...(graph.data?.nodes.map((n) => n.name) ?? []), ...known])].sort();
  const at = layout(names, edges);
  const cols = Math.max(...[...at.values()].map((p) => p.col), 0) + 1;
  const rows = Math.max(...[...at.values()].map((p) => p.row), 0) + 1;
  const svgW = Math.max(width, cols * (NODE_W + COL_GAP));
  const svgH = rows * (NODE_H + ROW_GAP) + ROW_GAP;
  const pos = (n: string) => {
    const p = at.get(n)!;
    const colW = svgW / cols;
    return { x: p.col * colW + (colW - NODE_W) / 2, y: ROW_GAP + p.row * (NODE_H + ROW_GAP) };
  };
  // Drawn once both answers are in: before the service list arrives, every service would be drawn as an external peer.
  const drawn = graph.data !== undefined && !services.loading;
  const open = (n: string) => navigate(href(`/services/${encodeURIComponent(n)}`, rangeParams(params)));
  return (
    <div className="page">
      <RangeBar title="Service map" />
      {(graph.loading || services.loading) && <Loading what="service map" />}
      {graph.error && <ErrorState error={graph.error} retry={graph.reload} />}
      {drawn && names.length === 0 && <Empty title="No services or calls in this range.">{NO_METRICS_HINT}</Empty>}
      {drawn && names.length > 0 && edges.length === 0 && <p className="muted">No calls between services in this range. {NO_METRICS_HINT}</p>}
      <div className="service-map panel" ref={box}>
        {drawn && names.length > 0 && (
          <svg width={svgW} height={svgH} role="img" aria-label="Service map">
            <defs>
              <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                <path d="M0,0 L10,5 L0,10 z" className="arrow-head" />
              </marker>
            </defs>
            {edges.map((e) => {
              const a = pos(e.parent);
              const b = pos(e.child);
              const self = e.parent === e.child;
              const x1 = a.x + NODE_W;
              const y1 = a.y + NODE_H / 2;
              const back = b.x <= a.x;
              const x2 = back ? b.x + NODE_W / 2 : b.x;
              const y2 = back ? b.y + (b.y > a.y ? 0 : NODE_H) : b.y + NODE_H / 2;
              const d = self
                ? `M${x1},${y1 - 8} C${x1 + 50},${y1 - 40} ${x1 + 50},${y1 + 40} ${x1},${y1 + 8}`
                : `M${x1},${y1} C${(x1 + x2) / 2 + (back ? 60 : 0)},${y1} ${(x1 + x2) / 2},${y2} ${x2},${y2}`;
              const mx = self ? x1 + 44 : (x1 + x2) / 2;
              const my = self ? y1 : (y1 + y2) / 2 - 6;
              return (
                <g key={`${e.parent}→${e.child}`} className={e.errors > 0 ? 'edge edge-error' : 'edge'} data-edge={`${e.parent}→${e.child}`}>
                  <path d={d} fill="none" markerEnd="url(#arrow)" strokeWidth={1.5 + Math.min(4, Math.log10(e.calls + 1))} />
                  <text x={mx} y={my} textAnchor="middle" className="edge-label">
                    {formatCount(e.calls)} calls · {formatPercent(e.errorRate)} err · p95 {e.p95 !== null ? formatDuration(e.p95) : '–'}
                  </text>
                  <title>{`${e.parent} → ${e.child}: ${e.calls} calls, ${e.errors} errors, p50 ${e.p50 ?? '–'} ms, p95 ${e.p95 ?? '–'} ms, p99 ${e.p99 ?? '–'} ms`}</title>
                </g>
              );
            })}
            {names.map((n) => {
              const { x, y } = pos(n);
              const kind = nodeKind(n, known);
              const stats = graph.data?.nodes.find((g) => g.name === n);
              const clickable = kind === 'service';
              return (
                <g
                  key={n}
                  className={`node node-${kind}${clickable ? ' clickable' : ''}`}
                  data-node={n}
                  transform={`translate(${x},${y})`}
                  onClick={clickable ? () => open(n) : undefined}
                  role={clickable ? 'link' : undefined}
                  tabIndex={clickable ? 0 : undefined}
                  onKeyDown={clickable ? (e) => e.key === 'Enter' && open(n) : undefined}
                >
                  {kind === 'database' ? (
                    <>
                      <path d={`M0,8 A${NODE_W / 2},8 0 0 1 ${NODE_W},8 V${NODE_H - 8} A${NODE_W / 2},8 0 0 1 0,${NODE_H - 8} Z`} className="node-shape" />
                      <path d={`M0,8 A${NODE_W / 2},8 0 0 0 ${NODE_W},8`} fill="none" className="node-shape-line" />
                    </>
                  ) : kind === 'queue' ? (
                    <path d={`M10,0 H${NODE_W} L${NODE_W - 10},${NODE_H} H0 Z`} className="node-shape" />
                  ) : (
                    <rect width={NODE_W} height={NODE_H} rx={kind === 'service' ? 8 : 22} className="node-shape" style={kind === 'service' ? { stroke: serviceColor(n) } : undefined} />
                  )}
                  <text x={NODE_W / 2} y={19} textAnchor="middle" className="node-name">
                    {n.length > 24 ? `${n.slice(0, 23)}…` : n}
                  </text>
                  <text x={NODE_W / 2} y={35} textAnchor="middle" className="node-meta">
                    {KIND_LABEL[kind]}
                    {stats && stats.callsIn > 0 ? ` · ${formatCount(stats.callsIn)} in${stats.errorsIn > 0 ? ` · ${stats.errorsIn} err` : ''}` : ''}
                  </text>
                  <title>{n}</title>
                </g>
              );
            })}
          </svg>
        )}
      </div>
    </div>
  );
}
