import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { startClickHouseTestEngine, type ClickHouseTestEngine } from '../../packages/server/src/storage/clickhouse/clickhouse-test-engine.js';
import { freePort } from '@ariadne/testing';
import { startNats, type RunningNats } from '../../packages/server/src/queue/testing/start-nats.js';
import { eventually } from './start-ariadne.js';
import { startRole, type RunningRole } from './start-role.js';

/**
 * The scaled-out topology as separate processes: two agents, a gateway, NATS JetStream, two
 * ingesters, ClickHouse and a query role. The official OpenTelemetry exporters (OTLP/HTTP protobuf
 * and OTLP/gRPC) send to the agents; one ingester is SIGKILLed mid-stream and the gateway is
 * stopped for a while; every acknowledged span must then be found once through the query API.
 */

const TOKEN = 'tok-acme-shop-0001';
const PARTITIONS = '4';

/** Traces of three spans (server → client → server of another service), made and ended in memory. */
function makeTraces(count: number, tag: string): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': `shop-${tag}` }), spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = provider.getTracer('scale-out');
  for (let i = 0; i < count; i++) {
    const root = tracer.startSpan(`GET /item/${i}`, { kind: SpanKind.SERVER }, ROOT_CONTEXT);
    const client = tracer.startSpan('call stock', { kind: SpanKind.CLIENT }, trace.setSpan(ROOT_CONTEXT, root));
    tracer.startSpan('stock.lookup', { kind: SpanKind.SERVER }, trace.setSpan(ROOT_CONTEXT, client)).end();
    client.end();
    root.end();
  }
  return memory.getFinishedSpans();
}

const exportAll = (exporter: SpanExporter, spans: ReadableSpan[]) => new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));

describe('scale-out: agents → gateway → NATS → ingesters → ClickHouse ← query', { timeout: 240_000 }, () => {
  let nats: RunningNats;
  let clickhouse: ClickHouseTestEngine;
  /** Every role process started, by name, for the diagnostics printed on failure. */
  const roles = new Map<string, RunningRole>();
  let gateway: RunningRole;
  let gatewayArgs: string[];
  let ingester2: RunningRole;
  let queryUrl = '';
  const agentDirs: string[] = [];
  let httpExporter: ProtoExporter;
  let grpcExporter: GrpcExporter;
  /** Spans the exporters were told were accepted, by span id. */
  const acknowledged = new Map<string, string>();

  before(async () => {
    [nats, clickhouse] = await Promise.all([startNats(), startClickHouseTestEngine()]);
    const dir = mkdtempSync(join(tmpdir(), 'ariadne-scale-'));
    const tokens = join(dir, 'tokens.json');
    writeFileSync(tokens, JSON.stringify({ [TOKEN]: { tenant: 'acme', project: 'shop' } }));
    const queue = ['--queue', 'nats', '--nats-url', nats.url, '--queue-partitions', PARTITIONS];
    const storage = ['--storage', 'clickhouse', '--clickhouse-url', clickhouse.url];
    const gatewayPort = await freePort();
    gatewayArgs = [...queue, '--tokens-file', tokens, '--otlp-http-port', String(gatewayPort)];
    gateway = await startRole('gateway', gatewayArgs, /^gateway listening/);
    roles.set('gateway-1', gateway);
    const ingester = () => startRole('ingester', [...queue, ...storage, '--data-dir', mkdtempSync(join(dir, 'ing-'))], /^ingester ready/);
    roles.set('ingester-1', await ingester());
    ingester2 = await ingester();
    roles.set('ingester-2', ingester2);
    const queryPort = await freePort();
    roles.set('query', await startRole('query', [...storage, '--query-port', String(queryPort)], /^UI and query API listening/));
    queryUrl = `http://127.0.0.1:${queryPort}`;
    const agentPorts: number[] = [];
    for (let i = 0; i < 2; i++) {
      const agentDir = mkdtempSync(join(dir, `agent-${i}-`));
      agentDirs.push(agentDir);
      const [http, grpc] = [await freePort(), await freePort()];
      agentPorts.push(i === 0 ? http : grpc);
      const args = ['--gateway-url', `http://127.0.0.1:${gatewayPort}`, '--agent-token', TOKEN, '--data-dir', agentDir, '--agent-batch-delay-ms', '50'];
      roles.set(`agent-${i}`, await startRole('agent', [...args, '--otlp-http-port', String(http), '--otlp-grpc-port', String(grpc), '--zipkin-port', '0'], /^agent ready/));
    }
    httpExporter = new ProtoExporter({ url: `http://127.0.0.1:${agentPorts[0]}/v1/traces` });
    grpcExporter = new GrpcExporter({ url: `http://127.0.0.1:${agentPorts[1]}` });
  });

  after(async () => {
    await Promise.allSettled([httpExporter?.shutdown(), grpcExporter?.shutdown()]);
    await Promise.allSettled([...roles.values()].map((r) => r.stop('SIGKILL')));
    await Promise.allSettled([nats?.stop(), clickhouse?.stop()]);
  });

  const send = async (count: number, tag: string) => {
    for (const [exporter, via] of [[httpExporter, 'http'], [grpcExporter, 'grpc']] as const) {
      const spans = makeTraces(count, `${tag}-${via}`);
      const result = await exportAll(exporter, spans);
      assert.equal(result.code, ExportResultCode.SUCCESS, `${via} export: ${String(result.error)}`);
      for (const s of spans) acknowledged.set(s.spanContext().spanId, s.spanContext().traceId);
    }
  };

  const storedTrace = async (traceId: string) => {
    const res = await fetch(`${queryUrl}/api/traces/${traceId}`, { headers: { 'x-ariadne-tenant': 'acme' } });
    if (res.status === 404) return [];
    return ((await res.json()) as { data: Array<{ spans: Array<{ spanID: string }> }> }).data[0].spans.map((s) => s.spanID);
  };

  /** What each role said (warnings, errors, its last stats line) and what ClickHouse holds, by service. */
  const diagnostics = async () => {
    const lines: string[] = [];
    for (const [name, role] of roles) {
      const said = role.logs.filter((r) => Number(r.level) >= 40 || /stats|stopped/.test(String(r.msg)));
      const lastStats = said.filter((r) => /stats/.test(String(r.msg))).at(-1);
      for (const r of said.filter((r) => !/stats/.test(String(r.msg))).slice(-10)) lines.push(`${name}: ${JSON.stringify(r)}`);
      if (lastStats) lines.push(`${name}: ${JSON.stringify(lastStats)}`);
    }
    const res = await fetch(`${clickhouse.url}/?database=ariadne`, {
      method: 'POST',
      body: 'SELECT service, count() AS spans, uniqExact(trace_id) AS traces FROM spans GROUP BY service ORDER BY service FORMAT TSV',
    });
    lines.push(`ClickHouse spans by service (service, spans, traces):\n${await res.text()}`);
    return lines.join('\n');
  };

  it('stores every acknowledged span once, through an ingester crash and a gateway outage, and drains the spools', async () => {
    await send(10, 'warmup');
    // Mid-stream: one ingester dies with SIGKILL while batches keep coming.
    for (let round = 0; round < 6; round++) {
      if (round === 2) await ingester2.stop('SIGKILL');
      await send(4, `crash-${round}`);
    }
    // The gateway goes away: the agents take spans into their spools and acknowledge them.
    await gateway.stop('SIGTERM');
    await send(10, 'outage');
    const spooled = agentDirs.map((d) => readdirSync(join(d, 'spool')).length);
    assert.ok(spooled.every((n) => n > 0), `both agents spooled: ${spooled.join()}`);
    gateway = await startRole('gateway', gatewayArgs, /^gateway listening/);
    roles.set('gateway-2', gateway);
    await send(5, 'after');

    const traceIds = new Set(acknowledged.values());
    // Only traces still incomplete are polled again, once a second: the engine runs one query at a time.
    const incomplete = new Set(traceIds);
    await eventually(async () => {
      for (const id of incomplete) {
        const spans = await storedTrace(id);
        assert.equal(new Set(spans).size, spans.length, `trace ${id} has a span twice`);
        if (spans.length >= 3) incomplete.delete(id);
      }
      console.error(`scale-out: ${incomplete.size} of ${traceIds.size} traces incomplete`);
      if (incomplete.size === 0) return true;
      await new Promise((resolve) => setTimeout(resolve, 1000));
      return undefined;
    }, 45_000).catch(async (err: unknown) => {
      console.error(await diagnostics());
      throw err;
    });
    let stored = 0;
    for (const id of traceIds) {
      const spans = await storedTrace(id);
      assert.equal(new Set(spans).size, spans.length, `trace ${id} has a span twice`);
      stored += spans.length;
    }
    assert.equal(stored, acknowledged.size, 'every acknowledged span once');
    await eventually(async () => (agentDirs.every((d) => readdirSync(join(d, 'spool')).length === 0) ? true : undefined), 30_000);
  });

  it("answers another tenant's request for these traces with 404", async () => {
    const [traceId] = acknowledged.values();
    const res = await fetch(`${queryUrl}/api/traces/${traceId}`, { headers: { 'x-ariadne-tenant': 'globex' } });
    assert.equal(res.status, 404);
  });
});
