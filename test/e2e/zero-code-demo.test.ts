// The article's demo, as examples/ ships it, under the register entry against a real all-in-one
// backend: serverA (ES module, --import) calls serverB (CommonJS, --require) with http.get and
// fetch, and one trace comes out of the Jaeger API with its parent links across the processes.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { buildRegister, type RegisterBundles } from '../../packages/sdk/src/testdata/build-register.js';
import { eventually, startAriadne, type RunningAriadne } from './start-ariadne.js';

const example = (name: string) => fileURLToPath(new URL(`../../examples/${name}`, import.meta.url));

interface JaegerSpan {
  spanID: string;
  operationName: string;
  processID: string;
  references: Array<{ refType: string; traceID: string; spanID: string }>;
  tags: Array<{ key: string; value: unknown }>;
}
interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string }>;
}

describe('examples/: serverA → serverB under the register entry', () => {
  let ariadne: RunningAriadne;
  let bundles: RegisterBundles;
  let dataDir: string;
  const apps: ChildProcess[] = [];
  let serverA = '';

  async function startApp(flags: string[], file: string, env: Record<string, string>): Promise<string> {
    const child = spawn(process.execPath, [...flags, example(file)], {
      env: {
        PATH: process.env.PATH,
        OTEL_EXPORTER_OTLP_ENDPOINT: ariadne.otlpUrl,
        OTEL_BSP_SCHEDULE_DELAY: '100',
        PORT: '0',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    apps.push(child);
    const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
    return /listening on (\S+)/.exec(line)![1];
  }

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ariadne-demo-'));
    bundles = buildRegister();
    ariadne = await startAriadne(dataDir);
    const serverB = await startApp(['--require', bundles.cjs], 'server-b.cjs', { OTEL_SERVICE_NAME: 'serverB' });
    serverA = await startApp(['--import', bundles.esm], 'server-a.mjs', { OTEL_SERVICE_NAME: 'serverA', SERVER_B_URL: serverB });
  });

  after(async () => {
    for (const app of apps) {
      app.kill('SIGTERM');
      if (app.exitCode === null && app.signalCode === null) await once(app, 'exit');
    }
    await ariadne?.stop();
    bundles?.remove();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function checkout(item: string): Promise<{ traceId: string; parentId: string; status: number }> {
    const traceId = randomBytes(16).toString('hex');
    const parentId = randomBytes(8).toString('hex');
    const res = await fetch(`${serverA}/checkout?item=${item}`, { headers: { traceparent: `00-${traceId}-${parentId}-01` } });
    await res.arrayBuffer();
    return { traceId, parentId, status: res.status };
  }

  async function traceOf(traceId: string, spans: number): Promise<JaegerTrace> {
    return eventually(async () => {
      const res = await fetch(`${ariadne.queryUrl}/api/traces/${traceId}`);
      if (res.status !== 200) return undefined;
      const [t] = ((await res.json()) as { data: JaegerTrace[] }).data;
      return t.spans.length >= spans ? t : undefined;
    }, 20_000);
  }

  it('makes one trace: A server → A clients (http.get, fetch) → B servers → db queries', async () => {
    const { traceId, parentId, status } = await checkout('book');
    assert.equal(status, 200);
    const t = await traceOf(traceId, 7);
    assert.equal(t.spans.length, 7);
    const service = (s: JaegerSpan) => t.processes[s.processID].serviceName;
    const parentOf = (s: JaegerSpan) => s.references.find((r) => r.refType === 'CHILD_OF')?.spanID;
    const tag = (s: JaegerSpan, key: string) => s.tags.find((x) => x.key === key)?.value;
    const kind = (s: JaegerSpan) => tag(s, 'span.kind');

    const [root] = t.spans.filter((s) => service(s) === 'serverA' && kind(s) === 'server');
    assert.equal(parentOf(root), parentId, 'serverA continues the caller');
    assert.equal(tag(root, 'url.path'), '/checkout');
    const clients = t.spans.filter((s) => service(s) === 'serverA' && kind(s) === 'client');
    assert.equal(clients.length, 2);
    const bServers = t.spans.filter((s) => service(s) === 'serverB' && kind(s) === 'server');
    assert.equal(bServers.length, 2);
    for (const client of clients) {
      assert.equal(parentOf(client), root.spanID, 'the client call joins the handler span');
      const b = bServers.find((s) => parentOf(s) === client.spanID);
      assert.ok(b, `serverB continues ${tag(client, 'url.full')}`);
      const db = t.spans.find((s) => service(s) === 'serverB' && parentOf(s) === b.spanID);
      assert.equal(db?.operationName, 'SELECT items');
    }
    assert.deepEqual(clients.map((c) => String(tag(c, 'url.full')).replace(/^http:\/\/[^/]+/, '')).sort(), ['/price/book', '/stock/book']);
    assert.notEqual(t.processes[root.processID], t.processes[bServers[0].processID]);
  });

  it("marks serverB's failure and serverA's 502 as errors in the same trace", async () => {
    const { traceId, status } = await checkout('unicorn');
    assert.equal(status, 502);
    const t = await traceOf(traceId, 4);
    const errors = t.spans.filter((s) => s.tags.some((x) => x.key === 'error' && x.value === true)).map((s) => `${t.processes[s.processID].serviceName} ${s.tags.find((x) => x.key === 'span.kind')?.value}`);
    assert.deepEqual(errors.sort(), ['serverA client', 'serverA server', 'serverB client', 'serverB server']);
  });
});
