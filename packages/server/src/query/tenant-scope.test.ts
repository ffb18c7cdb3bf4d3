import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { DuckDbSpanStore } from '../storage/duckdb/duckdb-span-store.js';
import { registerJaegerRoutes } from './jaeger-routes.js';
import { registerNativeRoutes } from './native-routes.js';
import { scopeRequestsToTenant, tenantFromHeader, tenantSpanReader } from './tenant-scope.js';
import { sampleTrace, TRACE_ID } from './test-spans.js';

describe('query scoped to the tenant of X-Ariadne-Tenant', () => {
  let store: DuckDbSpanStore;
  let app: FastifyInstance;

  before(async () => {
    store = await DuckDbSpanStore.open({ path: ':memory:' });
    await store.writeSpans({ tenant: 'acme', spans: sampleTrace() });
    const other = sampleTrace().map((s) => ({ ...s, traceId: 'b'.repeat(32), resource: { ...s.resource, serviceName: `globex-${s.resource.serviceName}` } }));
    await store.writeSpans({ tenant: 'globex', spans: other });
    app = Fastify();
    scopeRequestsToTenant(app, tenantFromHeader);
    const reader = tenantSpanReader(store);
    registerJaegerRoutes(app, reader);
    registerNativeRoutes(app, reader);
    await app.ready();
  });
  after(async () => {
    await app.close();
    await store.shutdown();
  });

  const get = (url: string, tenant?: string) => app.inject({ url, headers: tenant === undefined ? {} : { 'x-ariadne-tenant': tenant } });

  it("serves a tenant its own trace and answers 404 for another tenant's", async () => {
    const own = await get(`/api/traces/${TRACE_ID}`, 'acme');
    assert.equal(own.statusCode, 200);
    assert.equal(own.json().data[0].traceID, TRACE_ID);
    const foreign = await get(`/api/traces/${TRACE_ID}`, 'globex');
    assert.equal(foreign.statusCode, 404);
    assert.equal((await get(`/api/v1/traces/${TRACE_ID}`, 'globex')).statusCode, 404, 'native API too');
    assert.equal((await get(`/api/traces/${TRACE_ID}`)).statusCode, 404, 'no header: the default tenant, which has nothing here');
  });

  it("serves the waterfall outline and one span's details to the trace's tenant only", async () => {
    assert.equal((await get(`/api/v1/traces/${TRACE_ID}/outline`, 'acme')).json().spanId.length, 3);
    assert.equal((await get(`/api/v1/traces/${TRACE_ID}/outline`, 'globex')).statusCode, 404);
    const spanId = sampleTrace()[2].spanId;
    assert.equal((await get(`/api/v1/traces/${TRACE_ID}/spans/${spanId}`, 'acme')).statusCode, 200);
    assert.equal((await get(`/api/v1/traces/${TRACE_ID}/spans/${spanId}`, 'globex')).statusCode, 404);
  });

  it("lists only the tenant's services and finds only its traces", async () => {
    const services = (await get('/api/services', 'globex')).json().data as string[];
    assert.ok(services.length > 0 && services.every((s) => s.startsWith('globex-')), services.join());
    const service = sampleTrace()[0].resource.serviceName;
    const found = await get(`/api/traces?service=${service}&limit=20&lookback=custom&start=0&end=${Date.now() * 1000}`, 'globex');
    assert.deepEqual(found.json().data, []);
  });

  it('answers 400 for a malformed tenant header', async () => {
    const res = await get('/api/services', 'a b');
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /x-ariadne-tenant/);
  });
});
