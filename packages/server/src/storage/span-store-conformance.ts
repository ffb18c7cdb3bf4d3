import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Span } from '../model/span.js';
import { SpanKind } from '../model/span.js';
import { traceOutlineOf } from '../model/trace-outline.js';
import { conformanceTraces, MS, SECOND, T0, traceIdOf } from './span-store-conformance-data.js';
import type { SpanStore, TraceQuery } from './span-store.js';

const bySpanId = (spans: Span[]): Span[] => [...spans].sort((a, b) => (a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0));
const ids = (...traces: number[]): string[] => traces.map(traceIdOf);
const ALL_TIME = { startUnixNano: T0 - 3600n * SECOND, endUnixNano: T0 + 3600n * SECOND };

/** Opens a fresh store, writes the conformance data set into it, closes it after the group. */
function withStore(open: () => Promise<SpanStore>): { store: () => SpanStore; traces: Map<number, Span[]> } {
  const traces = conformanceTraces();
  let store: SpanStore | undefined;
  before(async () => {
    store = await open();
    await store.start();
    // Several batches, traces split across them, as an ingester would write them.
    const all = [...traces.values()].flat();
    await store.writeSpans({ tenant: 'default', spans: all.filter((_, i) => i % 2 === 0) });
    await store.writeSpans({ tenant: 'default', spans: all.filter((_, i) => i % 2 === 1) });
  });
  after(async () => {
    await store?.shutdown();
  });
  return { store: () => store as SpanStore, traces };
}

/**
 * The storage contract, checked on a data set with known answers. Every backend runs it;
 * `open` returns a new, empty store each time.
 */
export function runSpanStoreConformance(name: string, open: () => Promise<SpanStore>): void {
  describe(`SpanStore conformance: ${name}`, () => {
    describe('reads', () => {
      const { store, traces } = withStore(open);
      const find = (query: Omit<TraceQuery, 'limit'> & { limit?: number }) => store().findTraceIds({ limit: 100, ...query });

      it('round-trips every field of every span', async () => {
        for (const [n, spans] of traces) {
          assert.deepStrictEqual(bySpanId(await store().getTrace(traceIdOf(n))), bySpanId(spans), `trace ${n}`);
        }
      });

      it('answers getTraceOutline and getSpan, where the backend has them, as getTrace does', async () => {
        const s = store();
        for (const [n, spans] of traces) {
          if (s.getTraceOutline) assert.deepStrictEqual(await s.getTraceOutline(traceIdOf(n)), traceOutlineOf(traceIdOf(n), spans), `trace ${n}`);
          if (s.getSpan) for (const span of spans) assert.deepStrictEqual(await s.getSpan(traceIdOf(n), span.spanId), span);
        }
        assert.equal(await s.getTraceOutline?.('1234567890abcdef1234567890abcdef'), undefined);
        assert.equal(await s.getSpan?.(traceIdOf(1), '1234567890abcdef'), undefined);
      });

      it('returns [] for an unknown trace id', async () => {
        assert.deepStrictEqual(await store().getTrace('1234567890abcdef1234567890abcdef'), []);
      });

      it('limits getTrace to the time range when one is given', async () => {
        const inside = { startUnixNano: T0 + 1n * SECOND, endUnixNano: T0 + 1n * SECOND + 1n * MS };
        assert.equal((await store().getTrace(traceIdOf(1), inside)).length, 2);
        const outside = { startUnixNano: T0 + 5n * SECOND, endUnixNano: T0 + 6n * SECOND };
        assert.deepStrictEqual(await store().getTrace(traceIdOf(1), outside), []);
      });

      it('finds by service, newest first', async () => {
        assert.deepStrictEqual(await find({ service: 'frontend' }), ids(5, 4, 2, 1));
        assert.deepStrictEqual(await find({ service: 'backend' }), ids(6, 3, 2, 1));
        assert.deepStrictEqual(await find({ service: 'nope' }), []);
      });

      it('finds by operation and span kind', async () => {
        assert.deepStrictEqual(await find({ service: 'frontend', operation: 'GET backend' }), ids(2, 1));
        assert.deepStrictEqual(await find({ operation: 'query' }), ids(3, 1));
        assert.deepStrictEqual(await find({ spanKind: SpanKind.CONSUMER }), ids(3));
        assert.deepStrictEqual(await find({ service: 'db', spanKind: SpanKind.SERVER }), ids(3, 1));
        assert.deepStrictEqual(await find({ service: 'db', spanKind: SpanKind.CLIENT }), []);
        assert.deepStrictEqual(await find({ service: 'frontend', operation: 'list' }), []);
      });

      it('finds by span attribute, string-compared whatever its type', async () => {
        assert.deepStrictEqual(await find({ tags: { 'http.status_code': '500' } }), ids(2));
        assert.deepStrictEqual(await find({ tags: { 'http.method': 'GET' } }), ids(2, 1));
        assert.deepStrictEqual(await find({ tags: { error: 'true' } }), ids(2));
        assert.deepStrictEqual(await find({ tags: { ratio: '0.5' } }), ids(5));
        assert.deepStrictEqual(await find({ tags: { 'db.system': 'postgres' } }), ids(1));
        assert.deepStrictEqual(await find({ tags: { 'db.system': 'postgre' } }), [], 'no prefix match');
        assert.deepStrictEqual(await find({ tags: { 'system': 'postgres' } }), [], 'no key suffix match');
        assert.deepStrictEqual(await find({ tags: { str: 'héllo ✓ "quoted" \\ back' } }), ids(7));
        assert.deepStrictEqual(await find({ tags: { 'ctrl\x1ekey\x1f': 'v\x1f\x1a\x1b\x1c\x1d\x1e' } }), ids(7));
      });

      it("finds by the resource's attributes", async () => {
        assert.deepStrictEqual(await find({ tags: { 'host.name': 'h2' } }), ids(3));
        assert.deepStrictEqual(await find({ tags: { 'host.name': 'h1' } }), ids(6, 5, 4, 2, 1));
        assert.deepStrictEqual(await find({ tags: { 'deployment.environment': 'prod' } }), ids(5, 4, 2, 1));
        assert.deepStrictEqual(await find({ tags: { 'process.pid': '4242' } }), ids(7));
      });

      it("finds by an event's attributes (Jaeger log fields)", async () => {
        assert.deepStrictEqual(await find({ tags: { 'exception.type': 'IOError' } }), ids(6));
      });

      it('needs every tag to hold on the same span', async () => {
        assert.deepStrictEqual(await find({ tags: { 'user.id': 'u1' } }), ids(5, 4));
        assert.deepStrictEqual(await find({ tags: { 'user.id': 'u1', feature: 'beta' } }), ids(5));
        assert.deepStrictEqual(await find({ tags: { 'host.name': 'h2', 'messaging.system': 'kafka' } }), ids(3));
        assert.deepStrictEqual(await find({ tags: { 'host.name': 'h2', 'db.system': 'redis' } }), []);
        assert.deepStrictEqual(await find({ service: 'db', tags: { 'messaging.system': 'kafka' } }), []);
      });

      it('finds by the duration of a matching span', async () => {
        assert.deepStrictEqual(await find({ minDurationNano: 100n * MS }), ids(2));
        assert.deepStrictEqual(await find({ maxDurationNano: 5n * MS }), ids(1));
        assert.deepStrictEqual(await find({ minDurationNano: 45n * MS, maxDurationNano: 70n * MS }), ids(5, 3));
        assert.deepStrictEqual(await find({ minDurationNano: 60n * MS, maxDurationNano: 60n * MS }), ids(5), 'bounds are inclusive');
        assert.deepStrictEqual(await find({ service: 'frontend', minDurationNano: 250n * MS }), ids(2));
        assert.deepStrictEqual(await find({ service: 'backend', minDurationNano: 250n * MS }), []);
      });

      it('finds by the start time of a matching span', async () => {
        assert.deepStrictEqual(await find({ startUnixNano: T0 + 2n * SECOND, endUnixNano: T0 + 3n * SECOND + 500n * MS }), ids(3, 2));
        assert.deepStrictEqual(await find({ startUnixNano: T0 + 6n * SECOND }), ids(7, 6));
        assert.deepStrictEqual(await find({ endUnixNano: T0 + 1n * SECOND }), ids(1), 'bounds are inclusive');
        assert.deepStrictEqual(await find({ startUnixNano: T0 + 1n * SECOND + 1n, endUnixNano: T0 + 2n * SECOND - 1n, service: 'db' }), ids(1));
        assert.deepStrictEqual(await find({ startUnixNano: T0 + 2n * SECOND + 1n, endUnixNano: T0 + 3n * SECOND - 1n, service: 'db' }), []);
      });

      it('applies the limit after ordering newest first', async () => {
        assert.deepStrictEqual(await find({ service: 'frontend', limit: 2 }), ids(5, 4));
        assert.deepStrictEqual(await find({ limit: 3 }), ids(7, 6, 5));
        assert.deepStrictEqual(await find({ limit: 100 }), ids(7, 6, 5, 4, 3, 2, 1));
      });

      it('combines all filters', async () => {
        const query = {
          service: 'frontend',
          operation: 'GET /cart',
          spanKind: SpanKind.SERVER,
          tags: { 'http.status_code': '500', 'host.name': 'h1' },
          minDurationNano: 100n * MS,
          maxDurationNano: 1000n * MS,
          startUnixNano: T0 + 1n * SECOND,
          endUnixNano: T0 + 10n * SECOND,
        };
        assert.deepStrictEqual(await find(query), ids(2));
        assert.deepStrictEqual(await find({ ...query, spanKind: SpanKind.CLIENT }), []);
        assert.deepStrictEqual(await find({ ...query, maxDurationNano: 299n * MS }), []);
        assert.deepStrictEqual(await find({ ...query, endUnixNano: T0 + 2n * SECOND - 1n }), []);
        assert.deepStrictEqual(await find({ ...query, tags: { 'http.status_code': '200' } }), []);
      });

      it('lists services and operations with their kinds', async () => {
        assert.deepStrictEqual((await store().getServices()).sort(), ['backend', 'db', 'fidelity', 'frontend']);
        const sorted = (ops: { name: string; spanKind: number }[]) => [...ops].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.spanKind - b.spanKind));
        assert.deepStrictEqual(sorted(await store().getOperations('frontend')), [
          { name: 'GET /both', spanKind: SpanKind.SERVER },
          { name: 'GET /cart', spanKind: SpanKind.SERVER },
          { name: 'GET /home', spanKind: SpanKind.SERVER },
          { name: 'GET /split', spanKind: SpanKind.SERVER },
          { name: 'GET backend', spanKind: SpanKind.CLIENT },
          { name: 'render', spanKind: SpanKind.INTERNAL },
        ]);
        assert.deepStrictEqual(await store().getOperations('frontend', SpanKind.CLIENT), [{ name: 'GET backend', spanKind: SpanKind.CLIENT }]);
        assert.deepStrictEqual(sorted(await store().getOperations('fidelity')), [
          { name: 'fidelity child', spanKind: SpanKind.UNSPECIFIED },
          { name: 'fidelity op ✓', spanKind: SpanKind.PRODUCER },
        ]);
        assert.deepStrictEqual(await store().getOperations('nope'), []);
      });

      it('counts dependencies between services, the child span in the range', async () => {
        const sorted = (edges: { parent: string; child: string }[]) => [...edges].sort((a, b) => (a.parent + a.child < b.parent + b.child ? -1 : 1));
        assert.deepStrictEqual(sorted(await store().getDependencies(ALL_TIME)), [
          { parent: 'backend', child: 'db', callCount: 2 },
          { parent: 'frontend', child: 'backend', callCount: 2 },
        ]);
        const fromTrace3 = { startUnixNano: T0 + 2n * SECOND + 500n * MS, endUnixNano: T0 + 10n * SECOND };
        assert.deepStrictEqual(await store().getDependencies(fromTrace3), [{ parent: 'backend', child: 'db', callCount: 1 }]);
        assert.deepStrictEqual(await store().getDependencies({ startUnixNano: T0 - 2n * SECOND, endUnixNano: T0 - SECOND }), []);
      });
    });

    describe('writes', () => {
      const { store, traces } = withStore(open);

      it('stores a span written twice once, across batches and within one', async () => {
        const all = [...traces.values()].flat();
        await store().writeSpans({ tenant: 'default', spans: all });
        await store().writeSpans({ tenant: 'default', spans: [...traces.get(1)!, ...traces.get(1)!] });
        for (const [n, spans] of traces) {
          assert.deepStrictEqual(bySpanId(await store().getTrace(traceIdOf(n))), bySpanId(spans), `trace ${n}`);
        }
        assert.deepStrictEqual(await store().findTraceIds({ limit: 100 }), ids(7, 6, 5, 4, 3, 2, 1));
        const edges = await store().getDependencies(ALL_TIME);
        assert.deepStrictEqual(edges.map((e) => e.callCount), [2, 2]);
      });

      it('accepts an empty batch', async () => {
        await store().writeSpans({ tenant: 'default', spans: [] });
      });

      it('keeps tenants apart, even with the same ids', async () => {
        const theirs = traces.get(1)!.map((span) => ({ ...span, name: `acme ${span.name}` }));
        await store().writeSpans({ tenant: 'acme', spans: theirs });
        assert.deepStrictEqual(bySpanId(await store().getTrace(traceIdOf(1), undefined, 'acme')), bySpanId(theirs));
        assert.deepStrictEqual(bySpanId(await store().getTrace(traceIdOf(1))), bySpanId(traces.get(1)!));
        assert.deepStrictEqual(await store().getTrace(traceIdOf(2), undefined, 'acme'), []);
        assert.deepStrictEqual(await store().findTraceIds({ tenant: 'acme', limit: 10 }), ids(1));
        assert.deepStrictEqual(await store().findTraceIds({ tenant: 'acme', service: 'frontend', operation: 'GET /home', limit: 10 }), []);
        assert.deepStrictEqual(await store().findTraceIds({ service: 'frontend', operation: 'acme GET /home', limit: 10 }), []);
        assert.deepStrictEqual((await store().getServices('acme')).sort(), ['backend', 'db', 'frontend']);
        assert.deepStrictEqual(await store().getServices('nobody'), []);
        assert.deepStrictEqual(await store().getOperations('db', undefined, 'acme'), [{ name: 'acme query', spanKind: SpanKind.SERVER }]);
        const edges = await store().getDependencies(ALL_TIME, 'acme');
        assert.equal(edges.reduce((sum, e) => sum + e.callCount, 0), 2);
        assert.deepStrictEqual(await store().getDependencies(ALL_TIME, 'nobody'), []);
      });
    });

    describe('purgeBefore', () => {
      const { store, traces } = withStore(open);

      it('deletes the spans that started before the cut-off, and only those', async () => {
        assert.equal(await store().purgeBefore(T0 + 3n * SECOND), traces.get(1)!.length + traces.get(2)!.length);
        assert.deepStrictEqual(await store().getTrace(traceIdOf(1)), []);
        assert.deepStrictEqual(await store().getTrace(traceIdOf(2)), []);
        for (const n of [3, 4, 5, 6, 7]) {
          assert.deepStrictEqual(bySpanId(await store().getTrace(traceIdOf(n))), bySpanId(traces.get(n)!), `trace ${n}`);
        }
        assert.deepStrictEqual(await store().findTraceIds({ service: 'frontend', limit: 10 }), ids(5, 4));
        assert.deepStrictEqual(await store().getDependencies(ALL_TIME), [{ parent: 'backend', child: 'db', callCount: 1 }]);
        assert.equal(await store().purgeBefore(T0), 0);
      });

      it('accepts the purged spans again, with their resources', async () => {
        await store().writeSpans({ tenant: 'default', spans: traces.get(1)! });
        assert.deepStrictEqual(bySpanId(await store().getTrace(traceIdOf(1))), bySpanId(traces.get(1)!));
        assert.equal(await store().purgeBefore(T0 + 3600n * SECOND), [3, 4, 5, 6, 7, 1].reduce((sum, n) => sum + traces.get(n)!.length, 0));
        assert.deepStrictEqual(await store().getServices(), []);
        await store().writeSpans({ tenant: 'default', spans: traces.get(7)! });
        assert.deepStrictEqual(bySpanId(await store().getTrace(traceIdOf(7))), bySpanId(traces.get(7)!));
      });
    });

    describe('lifecycle', () => {
      it('shuts down idempotently', async () => {
        const store = await open();
        await store.start();
        await store.writeSpans({ tenant: 'default', spans: conformanceTraces().get(5)! });
        await Promise.all([store.shutdown(), store.shutdown()]);
        await store.shutdown();
      });
    });
  });
}
