import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';
import type { Logger } from 'pino';
import { AlertEvaluator } from '../alerting/alert-evaluator.js';
import { AlertNotifier } from '../alerting/alert-notifier.js';
import { registerAlertRoutes } from '../alerting/alert-routes.js';
import type { AlertStore } from '../alerting/alert-store.js';
import { WebhookSender } from '../alerting/webhook-sender.js';
import type { AriadneConfig } from '../config/config.js';
import type { Component } from '../model/component.js';
import type { MetricsReader } from '../storage/metrics-store.js';

/** Alerting over a store: its API on `app` (call before listening) and the evaluator on its schedule, started; the result shuts the evaluator down. */
export async function startAlerting<L extends FastifyBaseLogger>(
  app: FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, L>,
  config: AriadneConfig,
  store: AlertStore,
  metrics: MetricsReader,
  log: Logger,
): Promise<Component> {
  const sender = new WebhookSender(store.notifications, { attempts: config.alertingWebhookAttempts, timeoutMs: config.alertingWebhookTimeoutMs, backoffMs: 1000 });
  const notifier = new AlertNotifier(store, sender, config.alertingPublicUrl);
  registerAlertRoutes(app, { store, notifier, publicUrl: config.alertingPublicUrl });
  const evaluator = new AlertEvaluator({
    store,
    metrics,
    notifier,
    intervalMs: config.alertingIntervalSeconds * 1000,
    // Unique per process, so evaluators on one host still compete for the lease.
    holder: `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`,
    log,
  });
  await evaluator.start();
  log.info({ intervalSeconds: config.alertingIntervalSeconds }, 'alert evaluator started');
  return evaluator;
}
