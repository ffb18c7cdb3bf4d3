import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Agent, request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { transformSync } from 'esbuild';
import { buildRegister } from './testdata/build-register.js';
import type { RegisterBundles } from './testdata/build-register.js';
import { startOtlpSink } from './testdata/otlp-sink.js';
import type { OtlpSink, SinkSpan } from './testdata/otlp-sink.js';

const SERVER = 2;
const CLIENT = 3;
const ERROR = 2;
const fixture = (name: string) => fileURLToPath(new URL(`./testdata/zero-code/${name}`, import.meta.url));

let bundles: RegisterBundles;
let sink: OtlpSink;
let cjsApp: string;

before(async () => {
  bundles = buildRegister();
  sink = await startOtlpSink();
  // The same app as CommonJS: require('node:http') where the ESM one imports it.
  const source = readFileSync(fixture('front-back.mjs'), 'utf8');
  cjsApp = bundles.esm.replace(/register\.mjs$/, 'front-back.cjs');
  writeFileSync(cjsApp, transformSync(source, { format: 'cjs', platform: 'node', target: 'node20' }).code);
});
after(async () => {
  bundles.remove();
  await sink.close();
});

interface App {
  child: ChildProcess;
  ready: Record<string, number>;
  stdout: string[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function envFor(service: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    OTEL_SERVICE_NAME: service,
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: sink.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    // Only a flush (signal, exit) delivers spans: the tests prove it happens.
    OTEL_BSP_SCHEDULE_DELAY: '60000',
    ...extra,
  };
}

/** Starts `node <flags> <app>` and waits for the JSON line it prints when listening. */
async function startApp(flags: string[], app: string, env: NodeJS.ProcessEnv, args: string[] = []): Promise<App> {
  const child = spawn(process.execPath, [...flags, app, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c));
  const exit = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  const ready = await new Promise<Record<string, number>>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      stdout.push(line);
      if (line.startsWith('{')) resolve(JSON.parse(line));
    });
    void exit.then(({ code }) => reject(new Error(`app exited (${code}) before listening: ${stderr}`)));
  });
  return { child, ready, stdout, exit };
}

function traceparent(traceId: string): { header: string; parentId: string } {
  const parentId = randomBytes(8).toString('hex');
  return { header: `00-${traceId}-${parentId}-01`, parentId };
}

/** One request to the app; `body` chunks are written 20 ms apart. */
function send(port: number, path: string, headers: Record<string, string>, body?: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: body ? 'POST' : 'GET', headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    if (body === undefined) return req.end();
    let i = 0;
    const next = () => (i < body.length ? (req.write(body[i++]), setTimeout(next, 20)) : req.end());
    next();
  });
}

const EXPECTED_CLIENTS: Record<string, number> = {
  '/promise': 1,
  '/callback': 1,
  '/timer': 1,
  '/body': 1,
  '/finish': 1,
  '/pool': 4,
  '/missing': 1,
};

interface Sent {
  path: string;
  traceId: string;
  parentId: string;
}

/** Calls every route of front-back with its own trace; /pool twice at once on one pooled socket. */
async function exercise(port: number): Promise<Sent[]> {
  const sent: Sent[] = [];
  const go = (path: string, body?: string[]) => {
    const traceId = randomBytes(16).toString('hex');
    const { header, parentId } = traceparent(traceId);
    sent.push({ path, traceId, parentId });
    return send(port, path, { traceparent: header, 'user-agent': 'zero-code-test' }, body);
  };
  for (const path of ['/promise', '/callback', '/timer', '/finish', '/missing']) assert.equal(await go(path), 200);
  assert.equal(await go('/body', ['ab', 'cd', 'e']), 200);
  assert.deepEqual(await Promise.all([go('/pool'), go('/pool')]), [200, 200]);
  assert.equal(await go('/fail'), 503);
  await new Promise((resolve) => setTimeout(resolve, 100)); // /finish calls after answering
  return sent;
}

function assertTraces(spans: SinkSpan[], sent: Sent[]): void {
  const ids = new Set(sent.map((s) => s.traceId));
  assert.deepEqual(spans.filter((s) => !ids.has(s.traceId)).map((s) => s.name), [], 'every span joins the trace of its request');
  for (const { path, traceId, parentId } of sent) {
    const trace = spans.filter((s) => s.traceId === traceId);
    const server = trace.find((s) => s.kind === SERVER && s.parentSpanId === parentId);
    assert.ok(server, `${path}: a server span under the incoming traceparent`);
    assert.equal(server.attributes['url.path'], path);
    if (path === '/fail') {
      assert.equal(server.statusCode, ERROR);
      assert.equal(server.attributes['http.response.status_code'], 503);
      assert.equal(server.attributes['error.type'], '503');
      continue;
    }
    const clients = trace.filter((s) => s.kind === CLIENT);
    assert.equal(clients.length, EXPECTED_CLIENTS[path], `${path}: client spans`);
    for (const client of clients) {
      assert.equal(client.parentSpanId, server.spanId, `${path}: ${client.attributes['url.full']} is a child of the handler's span`);
      const downstream = trace.find((s) => s.kind === SERVER && s.parentSpanId === client.spanId);
      assert.ok(downstream, `${path}: the back server continues ${client.attributes['url.full']}`);
    }
    assert.equal(trace.length, 1 + 2 * clients.length, `${path}: nothing else in the trace`);
  }
  const promise = spans.find((s) => s.kind === SERVER && s.attributes['url.path'] === '/promise' && s.attributes['user_agent.original'])!;
  assert.equal(promise.name, 'GET');
  assert.equal(promise.statusCode, 0);
  assert.deepEqual(
    [promise.attributes['http.request.method'], promise.attributes['url.scheme'], promise.attributes['http.response.status_code']],
    ['GET', 'http', 200],
  );
  assert.equal(promise.attributes['user_agent.original'], 'zero-code-test');
  assert.equal(promise.attributes['client.address'], '127.0.0.1');
  assert.equal(promise.attributes['server.address'], '127.0.0.1');
  assert.equal(typeof promise.attributes['server.port'], 'number');
  const missing = spans.find((s) => s.kind === CLIENT && String(s.attributes['url.full']).endsWith('/missing'))!;
  assert.equal(missing.statusCode, ERROR);
  assert.equal(missing.attributes['http.response.status_code'], 404);
  const fetched = spans.find((s) => s.kind === CLIENT && String(s.attributes['url.full']).endsWith('/timer'))!;
  assert.equal(fetched.attributes['http.request.method'], 'GET');
  assert.equal(fetched.attributes['http.response.status_code'], 200);
  assert.equal(fetched.attributes['server.address'], '127.0.0.1');
}

const ofService = (service: string) => sink.spans.filter((s) => s.service === service);

describe('node --import @ariadne/sdk/register (ES module app)', () => {
  it('traces servers, http and fetch clients with context kept across every kind of async hop; SIGTERM flushes and still kills', async () => {
    const app = await startApp(['--import', bundles.esm], fixture('front-back.mjs'), envFor('esm-app'));
    const sent = await exercise(app.ready.front);
    app.child.kill('SIGTERM');
    assert.deepEqual(await app.exit, { code: null, signal: 'SIGTERM' });
    assertTraces(ofService('esm-app'), sent);
  });
});

describe('node --require @ariadne/sdk/register (CommonJS app, through NODE_OPTIONS)', () => {
  it('traces the same, and SIGINT flushes and still kills', async () => {
    const app = await startApp([], cjsApp, envFor('cjs-app', { NODE_OPTIONS: `--require ${bundles.cjs}` }));
    const sent = await exercise(app.ready.front);
    app.child.kill('SIGINT');
    assert.deepEqual(await app.exit, { code: null, signal: 'SIGINT' });
    assertTraces(ofService('cjs-app'), sent);
  });
});

describe('register with https', () => {
  it('traces https servers, https.request and fetch over TLS', async (t) => {
    const dir = bundles.esm.replace(/register\.mjs$/, '');
    const [key, cert] = [`${dir}key.pem`, `${dir}cert.pem`];
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
    } catch {
      return t.skip('no openssl to make a certificate');
    }
    const env = envFor('https-app', { TLS_KEY: key, TLS_CERT: cert, NODE_TLS_REJECT_UNAUTHORIZED: '0' });
    const app = await startApp(['--no-warnings', '--import', bundles.esm], fixture('https-app.mjs'), env);
    const traceId = randomBytes(16).toString('hex');
    const { header, parentId } = traceparent(traceId);
    await new Promise<void>((resolve, reject) =>
      httpsRequest({ host: '127.0.0.1', port: app.ready.port, path: '/a', headers: { traceparent: header }, rejectUnauthorized: false }, (res) =>
        res.resume().on('end', resolve),
      )
        .on('error', reject)
        .end(),
    );
    app.child.kill('SIGTERM');
    await app.exit;
    const spans = ofService('https-app');
    assert.ok(spans.every((s) => s.traceId === traceId));
    const root = spans.find((s) => s.parentSpanId === parentId)!;
    assert.equal(root.attributes['url.scheme'], 'https');
    const clients = spans.filter((s) => s.kind === CLIENT);
    assert.deepEqual(clients.map((c) => c.attributes['url.full']), [`https://127.0.0.1:${app.ready.port}/b`, `https://127.0.0.1:${app.ready.port}/b`]);
    for (const client of clients) {
      assert.equal(client.parentSpanId, root.spanId);
      const b = spans.find((s) => s.kind === SERVER && s.parentSpanId === client.spanId);
      assert.equal(b?.attributes['url.scheme'], 'https');
    }
    assert.equal(spans.length, 5);
  });
});

describe('register and the app', () => {
  it("leaves a signal to the app's own handler, and flushes when the app then ends", async () => {
    const app = await startApp(['--import', bundles.esm], fixture('front-back.mjs'), envFor('own-handler', { APP_HANDLES_SIGTERM: '1' }));
    await send(app.ready.front, '/promise', {});
    app.child.kill('SIGTERM');
    assert.deepEqual(await app.exit, { code: 0, signal: null });
    assert.ok(app.stdout.includes('app: SIGTERM'));
    assert.equal(ofService('own-handler').length, 3);
  });

  it('exports the queued spans when the app calls process.exit() or dies of an uncaught exception, keeping its exit code', async () => {
    const secondCopy = join(dirname(bundles.cjs), 'copy', 'register.cjs');
    mkdirSync(dirname(secondCopy));
    for (const file of readdirSync(dirname(bundles.cjs))) if (file.startsWith('register')) copyFileSync(join(dirname(bundles.cjs), file), join(dirname(secondCopy), file));
    const cases: Array<[string, string[], Record<string, string>, number]> = [
      ['exit-import', ['--import', bundles.esm], { EXIT_HOW: 'exit' }, 3],
      // Through NODE_OPTIONS the register also preloads into the worker that sends at exit.
      ['exit-require', [], { EXIT_HOW: 'exit', NODE_OPTIONS: `--require ${bundles.cjs}` }, 3],
      ['exit-throw', ['--import', bundles.esm], { EXIT_HOW: 'throw' }, 1],
      ['exit-throw-gzip', ['--import', bundles.esm], { EXIT_HOW: 'throw', OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip' }, 1],
      // The register's flush on SIGTERM has the spans in flight when the app's handler exits.
      ['exit-on-sigterm', ['--import', bundles.esm], { EXIT_HOW: 'sigterm-exit' }, 0],
      // Two copies of the register (NODE_OPTIONS and the app's own, say): it traces once.
      ['exit-twice', ['--require', bundles.cjs, '--require', secondCopy], { EXIT_HOW: 'exit' }, 3],
    ];
    for (const [service, flags, env, code] of cases) {
      const app = await startApp(flags, fixture('exit-app.cjs'), envFor(service, env));
      assert.equal(await send(app.ready.port, '/bye', {}), 200);
      if (env.EXIT_HOW === 'sigterm-exit') app.child.kill('SIGTERM');
      assert.deepEqual(await app.exit, { code, signal: null }, service);
      const spans = ofService(service);
      assert.deepEqual(spans.map((s) => [s.kind, s.attributes['url.path']]), [[SERVER, '/bye']], service);
    }
    // A request the app exits in the middle of: its span ends, aborted, and goes out too.
    const app = await startApp(['--import', bundles.esm], fixture('exit-app.cjs'), envFor('exit-mid-response', { EXIT_HOW: 'exit-mid-response' }));
    // The response is cut short: it closes, without an 'end'.
    await new Promise((resolve) => request({ host: '127.0.0.1', port: app.ready.port, path: '/bye', agent: false }, (res) => res.resume().on('close', resolve)).on('error', resolve).end());
    assert.deepEqual(await app.exit, { code: 3, signal: null });
    const [cut] = ofService('exit-mid-response');
    assert.equal(cut?.statusCode, ERROR);
    assert.equal(cut.attributes['error.type'], 'aborted');
    assert.equal(cut.attributes['http.response.status_code'], 200);
    // Four open at once, two finishing out of order (one from the middle of the open ones, then
    // the newest): the two still open at exit end aborted, the finished two as they were.
    const several = await startApp(['--import', bundles.esm], fixture('exit-app.cjs'), envFor('exit-open-responses', { EXIT_HOW: 'exit-open-responses' }));
    const get = (path: string) =>
      new Promise((resolve) => request({ host: '127.0.0.1', port: several.ready.port, path, agent: false }, (res) => res.resume().on('close', resolve)).on('error', resolve).end());
    await Promise.all(['/a', '/b', '/c', '/d'].map(get));
    assert.deepEqual(await several.exit, { code: 3, signal: null });
    const outcome = ofService('exit-open-responses')
      .map((s) => `${String(s.attributes['url.path'])} ${s.statusCode} ${String(s.attributes['error.type'])}`)
      .sort();
    assert.deepEqual(outcome, ['/a 2 aborted', '/b 0 undefined', '/c 2 aborted', '/d 0 undefined']);
  });

  it('honours OTEL_NODE_ENABLED_INSTRUMENTATIONS, OTEL_NODE_DISABLED_INSTRUMENTATIONS and OTEL_SDK_DISABLED', async () => {
    const cases: Array<[string, Record<string, string>, number[]]> = [
      ['only-undici', { OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'undici' }, [CLIENT]],
      ['no-undici', { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'undici, express' }, [SERVER, SERVER]],
      ['disabled', { OTEL_SDK_DISABLED: 'true' }, []],
    ];
    for (const [service, env, kinds] of cases) {
      const app = await startApp(['--import', bundles.esm], fixture('front-back.mjs'), envFor(service, env));
      await send(app.ready.front, '/timer', {});
      app.child.kill('SIGTERM');
      assert.equal((await app.exit).signal, 'SIGTERM');
      assert.deepEqual(ofService(service).map((s) => s.kind).sort(), kinds, service);
    }
  });

  it('does not keep a request context alive on its keep-alive connection', async () => {
    const app = await startApp(['--expose-gc', '--import', bundles.esm], fixture('retention-app.mjs'), envFor('retention', { OTEL_BSP_SCHEDULE_DELAY: '10' }));
    const agent = new Agent({ keepAlive: true });
    try {
      await new Promise<void>((resolve, reject) =>
        request({ host: '127.0.0.1', port: app.ready.port, path: '/track', agent }, (res) => res.resume().on('end', resolve)).on('error', reject).end(),
      );
      const answer = await new Promise<string>((resolve, reject) =>
        request({ host: '127.0.0.1', port: app.ready.port, path: '/check', agent: false }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c));
          res.on('end', () => resolve(body));
        })
          .on('error', reject)
          .end(),
      );
      // All three connections open (the app's pooled one too); the control object the app keeps is not freed, so gc did run.
      assert.deepEqual(JSON.parse(answer), { freed: true, keptFreed: false, connections: 3 });
    } finally {
      agent.destroy();
      app.child.kill('SIGTERM');
      await app.exit;
    }
  });

  for (const mode of ['throw', 'missing', 'reject', 'request-error', 'query-rejection']) {
    it(`does not change how an app that fails behaves (${mode})`, async () => {
      const run = async (flags: string[]) => {
        const child = spawn(process.execPath, [...flags, fixture('failing-app.mjs'), mode], { env: envFor(`failing-${mode}`), stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c));
        child.stderr.on('data', (c: Buffer) => (stderr += c));
        const [code] = await once(child, 'exit');
        return { code, stdout, error: /Error: .*(on purpose|ECONNREFUSED.*|Connection terminated.*)/.exec(stderr)?.[0] };
      };
      const untraced = await run([]);
      const traced = await run(['--import', bundles.esm]);
      assert.deepEqual(traced, untraced);
      assert.notEqual(untraced.code, mode === 'missing' ? 1 : 0);
      if (mode === 'request-error') {
        // The crash still delivers the failed request's span (exported at exit).
        const failed = ofService('failing-request-error').find((s) => s.kind === CLIENT);
        assert.equal(failed?.statusCode, ERROR);
      }
    });
  }

  // The API accepts a global registered by its own minor version or a later one: the register
  // bundles the newest API, so that apps on it and on older ones see Ariadne's provider.
  for (const [api, loader] of [['otel-api-1.9', '--require'], ['otel-api-1.10', '--import']] as const) {
    it(`gives an app's own spans through @opentelemetry/api ${api.slice('otel-api-'.length)} (${loader})`, async () => {
      const service = `manual-${api}`;
      const entry = loader === '--require' ? bundles.cjs : bundles.esm;
      const child = spawn(process.execPath, [loader, entry, fixture('manual-span-app.cjs')], {
        env: envFor(service, { OTEL_API_MODULE: api }),
        stdio: 'inherit',
      });
      const [code] = await once(child, 'exit');
      assert.equal(code, 0);
      const spans = ofService(service);
      const outer = spans.find((s) => s.name === 'outer');
      const inner = spans.find((s) => s.name === 'inner');
      assert.ok(outer && inner, `both spans exported, got ${JSON.stringify(spans.map((s) => s.name))}`);
      assert.equal(inner.scope, 'manual-app');
      assert.equal(inner.parentSpanId, outer.spanId);
      assert.equal(inner.attributes['api.module'], api);
    });
  }

  it('says once on stderr when spans cannot be delivered or the configuration is wrong, without OTEL_LOG_LEVEL', async () => {
    // One failed request, so one CLIENT span to export when the process ends.
    const program = "require('node:http').get('http://127.0.0.1:1/').on('error', () => {})";
    const stderrOf = async (env: Record<string, string>) => {
      const child = spawn(process.execPath, ['--import', bundles.esm, '-e', program], { env: envFor('diag', env), stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c));
      const [code] = await once(child, 'exit');
      assert.equal(code, 0);
      return stderr.split('\n').filter(Boolean);
    };
    assert.deepEqual(await stderrOf({}), [], 'spans delivered: nothing to say');
    assert.deepEqual(await stderrOf({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:1/v1/traces' }), [
      'ariadne: export of 1 spans at exit failed: POST http://127.0.0.1:1/v1/traces: not reached, or no answer within 2000 ms',
    ]);
    const wrong = await stderrOf({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'localhost:4318', OTEL_TRACES_SAMPLER: 'always_off' });
    assert.deepEqual(wrong, ['ariadne: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=localhost:4318 is not an http(s) URL; using http://localhost:4318/v1/traces']);
    const quiet = { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:1/v1/traces', OTEL_LOG_LEVEL: 'none' };
    assert.deepEqual(await stderrOf(quiet), []);
  });

  it('exports the spans of an OpenTelemetry contrib instrumentation the app registers (instrumentation-dns)', async () => {
    const child = spawn(process.execPath, ['--require', bundles.cjs, fixture('dns-app.cjs')], { env: envFor('dns-app'), stdio: 'inherit' });
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
    const spans = ofService('dns-app');
    const resolve = spans.find((s) => s.name === 'resolve')!;
    const lookup = spans.find((s) => s.scope === '@opentelemetry/instrumentation-dns');
    assert.ok(lookup, 'a dns span');
    assert.equal(lookup.name, 'dns.lookup');
    assert.equal(lookup.parentSpanId, resolve.spanId);
    assert.equal(lookup.traceId, resolve.traceId);
  });
});
