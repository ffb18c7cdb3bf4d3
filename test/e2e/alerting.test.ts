import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { startWebhookReceiver } from '../../packages/server/src/alerting/test-webhook-receiver.js';
import { eventually, startAriadne, type RunningAriadne } from './start-ariadne.js';

/**
 * The real `ariadne` process evaluates a rule created through its API over erroring traffic sent by
 * the official OpenTelemetry SDK, and a real webhook receiver gets the firing notification. The
 * aggregates reach storage at the next minute boundary, so this takes up to a minute.
 */
describe('alerting end to end', { timeout: 150_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ariadne-e2e-alerting-'));
  let ariadne: RunningAriadne;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(ariadne.queryUrl + path, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  before(async () => {
    receiver = await startWebhookReceiver();
    ariadne = await startAriadne(dataDir, ['--alerting-interval-seconds', '0.5', '--alerting-public-url', 'http://ui.example']);
  });
  after(async () => {
    await ariadne?.stop();
    await receiver?.close();
  });

  it('fires a rule on erroring traffic and delivers the webhook', async () => {
    const channel = await api('POST', '/api/v1/alerts/channels', { name: 'receiver', url: `${receiver.url}/alerts` });
    assert.equal(channel.status, 201, JSON.stringify(channel.body));
    const bad = await api('POST', '/api/v1/alerts/rules', { name: 'shop errors', signal: 'error_rate', scope: { service: 'shop' }, comparison: '>', threshold: 'high' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.message, 'rules.threshold: must be a number');
    const rule = await api('POST', '/api/v1/alerts/rules', {
      name: 'shop errors',
      signal: 'error_rate',
      scope: { service: 'shop' },
      comparison: '>',
      threshold: 0.2,
      windowSeconds: 120,
      summary: '{{service}} error rate {{value}} > {{threshold}}',
      channelIds: [channel.body.id],
    });
    assert.equal(rule.status, 201, JSON.stringify(rule.body));

    const provider = new NodeTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'shop' }),
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${ariadne.otlpUrl}/v1/traces` }))],
    });
    const tracer = provider.getTracer('e2e');
    const start = Date.now() - 5_000;
    for (let i = 0; i < 20; i++) {
      const span = tracer.startSpan('POST /order', { kind: SpanKind.SERVER, startTime: start + i }, ROOT_CONTEXT);
      if (i % 2 === 0) span.setStatus({ code: SpanStatusCode.ERROR, message: 'out of stock' });
      span.end(start + i + 20);
    }
    await provider.forceFlush();
    await provider.shutdown();

    const firing = await eventually(async () => receiver.received.find((r) => r.body.state === 'firing'), 100_000);
    assert.equal(firing.path, '/alerts');
    assert.equal(firing.body.rule.name, 'shop errors');
    assert.equal(firing.body.value, 0.5);
    assert.equal(firing.body.summary, 'shop error rate 0.5 > 0.2');
    assert.match(firing.body.links.traces, /^http:\/\/ui\.example\/search\?service=shop&range=custom&start=\d+&end=\d+$/);
    assert.match(firing.body.links.errors, /^http:\/\/ui\.example\/errors\?service=shop&/);

    const state = await api('GET', '/api/v1/alerts/state');
    assert.equal(state.body.alerts[0].status, 'firing');
    const history = await eventually(async () => {
      const h = (await api('GET', `/api/v1/alerts/notifications?ruleId=${rule.body.id}`)).body.notifications;
      return h[0]?.status === 'delivered' ? h : undefined;
    });
    assert.equal(history.length, 1);
    assert.equal(history[0].attempts.length, 1);
    assert.equal(history[0].attempts[0].status, 200);
    // Firing once: no repeat on later evaluations.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(receiver.received.filter((r) => r.body.state === 'firing').length, 1);
  });
});
