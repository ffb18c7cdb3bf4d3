import { randomBytes } from 'node:crypto';

const SERVICES = ['gateway', 'orders', 'payments', 'inventory', 'shipping', 'users', 'search', 'pricing'];
const FANOUT = 10;

/**
 * Sends one trace of `spans` spans as OTLP/JSON, in requests of `chunk` spans: a tree where span i's
 * parent is span ⌊(i-1)/10⌋, children spread over their parent's time, eight services, one span in
 * a hundred failing. Returns the trace id.
 */
export async function sendLargeTrace(otlpUrl: string, spans: number, chunk = 5000): Promise<string> {
  const traceId = randomBytes(16).toString('hex');
  const ids = Array.from({ length: spans }, () => randomBytes(8).toString('hex'));
  const startNs: bigint[] = new Array(spans);
  const durNs: bigint[] = new Array(spans);
  const t0 = BigInt(Date.now() - 60_000) * 1_000_000n;
  startNs[0] = t0;
  durNs[0] = 10_000_000_000n;
  for (let i = 1; i < spans; i++) {
    const p = Math.floor((i - 1) / FANOUT);
    const k = BigInt((i - 1) % FANOUT);
    startNs[i] = startNs[p] + (durNs[p] * 9n * k) / 100n + 1000n;
    durNs[i] = (durNs[p] * 8n) / 100n + 1000n;
  }
  for (let from = 0; from < spans; from += chunk) {
    const byService = new Map<string, unknown[]>();
    for (let i = from; i < Math.min(spans, from + chunk); i++) {
      const service = SERVICES[i === 0 ? 0 : (Math.floor((i - 1) / FANOUT) + i) % SERVICES.length];
      const error = i % 100 === 99;
      const list = byService.get(service) ?? [];
      byService.set(service, list);
      list.push({
        traceId,
        spanId: ids[i],
        parentSpanId: i === 0 ? '' : ids[Math.floor((i - 1) / FANOUT)],
        name: i === 0 ? 'GET /big' : `op-${i % 37}`,
        kind: i === 0 ? 2 : 1,
        startTimeUnixNano: startNs[i].toString(),
        endTimeUnixNano: (startNs[i] + durNs[i]).toString(),
        attributes: [
          { key: 'index', value: { intValue: String(i) } },
          { key: 'http.route', value: { stringValue: `/items/${i % 50}` } },
        ],
        status: error ? { code: 2, message: 'failed' } : {},
      });
    }
    const body = {
      resourceSpans: [...byService].map(([service, list]) => ({
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [{ scope: { name: 'large-trace' }, spans: list }],
      })),
    };
    const res = await fetch(`${otlpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`OTLP export failed: ${res.status} ${await res.text()}`);
  }
  return traceId;
}

/** Resolves when the query API returns all `spans` spans of the trace. */
export async function waitForTrace(queryUrl: string, traceId: string, spans: number, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${queryUrl}/api/v1/traces/${traceId}`);
    if (res.ok) {
      const body = (await res.json()) as { resourceSpans: { scopeSpans: { spans: unknown[] }[] }[] };
      const n = body.resourceSpans.reduce((sum, r) => sum + r.scopeSpans.reduce((s, ss) => s + ss.spans.length, 0), 0);
      if (n === spans) return;
    } else await res.body?.cancel();
    if (Date.now() > deadline) throw new Error(`trace ${traceId} did not reach ${spans} spans in time`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
