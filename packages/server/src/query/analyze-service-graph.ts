import type { ServiceEdge } from '../storage/metrics-store.js';

export interface GraphNode {
  name: string;
  /** Calls this node received and made. */
  callsIn: number;
  callsOut: number;
  /** Failed calls this node received. */
  errorsIn: number;
}

export interface ServiceGraphAnalysis {
  nodes: GraphNode[];
  /** Groups of nodes that call each other in a loop (strongly connected), a self-calling node alone included. */
  cycles: string[][];
  /** The busiest nodes, by calls received plus made, at most `top`. */
  topNodes: GraphNode[];
}

/** Nodes, call cycles (Tarjan's strongly connected components) and the busiest nodes of a service graph. */
export function analyzeServiceGraph(edges: ServiceEdge[], top = 5): ServiceGraphAnalysis {
  const nodes = new Map<string, GraphNode>();
  const node = (name: string) => {
    let n = nodes.get(name);
    if (!n) nodes.set(name, (n = { name, callsIn: 0, callsOut: 0, errorsIn: 0 }));
    return n;
  };
  const out = new Map<string, string[]>();
  for (const e of edges) {
    node(e.parent).callsOut += e.calls;
    const child = node(e.child);
    child.callsIn += e.calls;
    child.errorsIn += e.errors;
    out.set(e.parent, [...(out.get(e.parent) ?? []), e.child]);
  }

  const cycles: string[][] = [];
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of out.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (out.get(v) ?? []).includes(v)) cycles.push(component.sort());
    }
  };
  for (const name of [...nodes.keys()].sort()) if (!index.has(name)) visit(name);

  const all = [...nodes.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  const topNodes = [...all].sort((a, b) => b.callsIn + b.callsOut - (a.callsIn + a.callsOut)).slice(0, top);
  return { nodes: all, cycles, topNodes };
}
