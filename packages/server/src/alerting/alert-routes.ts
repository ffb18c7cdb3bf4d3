import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';
import { Errors } from '../errors.js';
import type { AlertRule, AlertState } from './alert-model.js';
import { alertLinks } from './alert-payload.js';
import type { AlertNotifier } from './alert-notifier.js';
import type { AlertCollection, AlertStore } from './alert-store.js';
import { windowMs } from './measure-signal.js';
import { validateChannel, validateRule, validateSilence } from './validate-alert-input.js';

export interface AlertRoutesOptions {
  store: AlertStore;
  notifier: AlertNotifier;
  publicUrl: string;
  now?: () => number;
}

type App<L extends FastifyBaseLogger> = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, L>;
type Doc = { id: string; createdAt: number; updatedAt: number };
type Params = { id: string };

/** The UI links of a rule's alert: over its active window (to now or to its resolution), or over the last hour. */
function stateLinks(rule: AlertRule, state: AlertState | undefined, publicUrl: string, nowMs: number) {
  if (!state || state.activeSince === null) return alertLinks(rule, publicUrl, nowMs - 3_600_000, nowMs);
  const active = state.status === 'pending' || state.status === 'firing';
  return alertLinks(rule, publicUrl, state.activeSince - windowMs(rule), active ? nowMs : (state.resolvedAt ?? nowMs));
}

/**
 * Alerting's JSON API under /api/v1/alerts: rules, channels and silences (CRUD; bad bodies get 400
 * naming the field), a channel's test message, the notification history and the current states.
 */
export function registerAlertRoutes<L extends FastifyBaseLogger>(app: App<L>, options: AlertRoutesOptions): void {
  const { store, notifier, publicUrl } = options;
  const now = options.now ?? Date.now;

  /** GET list, POST, GET/PUT/DELETE by id for one collection; `validate` turns a body into a document's fields. */
  function crud<T extends Doc, I>(name: string, kind: string, collection: AlertCollection<T>, validate: (body: unknown) => Promise<I>, beforeDelete?: (id: string) => Promise<void>) {
    const path = `/api/v1/alerts/${name}`;
    const find = async (id: string): Promise<T> => {
      const doc = await collection.get(id);
      if (!doc) throw Errors.notFound(kind, id);
      return doc;
    };
    app.get(path, async () => ({ [name]: await collection.list() }));
    app.get<{ Params: Params }>(`${path}/:id`, async (request) => find(request.params.id));
    app.post(path, async (request, reply) => {
      const t = now();
      const doc = { ...(await validate(request.body)), id: randomUUID(), createdAt: t, updatedAt: t } as unknown as T;
      await collection.put(doc);
      return reply.code(201).send(doc);
    });
    app.put<{ Params: Params }>(`${path}/:id`, async (request) => {
      const existing = await find(request.params.id);
      const doc = { ...(await validate(request.body)), id: existing.id, createdAt: existing.createdAt, updatedAt: now() } as unknown as T;
      await collection.put(doc);
      return doc;
    });
    app.delete<{ Params: Params }>(`${path}/:id`, async (request, reply) => {
      await find(request.params.id);
      await beforeDelete?.(request.params.id);
      await collection.delete(request.params.id);
      return reply.code(204).send();
    });
  }

  crud(
    'rules',
    'rule',
    store.rules,
    async (body) => {
      const channels = new Set((await store.channels.list()).map((c) => c.id));
      return validateRule(body, (id) => channels.has(id));
    },
    async (id) => {
      await store.states.delete(id);
    },
  );
  crud('channels', 'channel', store.channels, async (body) => validateChannel(body), async (id) => {
    const user = (await store.rules.list()).find((r) => r.channelIds.includes(id));
    if (user) throw Errors.inUse('channel', id, `rule '${user.name}' (${user.id})`);
  });
  crud('silences', 'silence', store.silences, async (body) => validateSilence(body, now()));

  app.post<{ Params: Params }>('/api/v1/alerts/channels/:id/test', async (request) => {
    const channel = await store.channels.get(request.params.id);
    if (!channel) throw Errors.notFound('channel', request.params.id);
    return notifier.test(channel, now());
  });

  app.get('/api/v1/alerts/notifications', async (request) => {
    const query = request.query as { ruleId?: string; limit?: string };
    const limit = query.limit === undefined ? 100 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw Errors.invalidField('limit', 'must be a whole number from 1 to 10000');
    return { notifications: await store.notifications.list({ limit, ...(query.ruleId === undefined ? {} : { ref: query.ruleId }) }) };
  });

  app.get('/api/v1/alerts/state', async () => {
    const [rules, states] = await Promise.all([store.rules.list(), store.states.list()]);
    const stateOf = new Map(states.map((s) => [s.id, s]));
    const t = now();
    return {
      alerts: rules
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((rule) => {
          const state = stateOf.get(rule.id);
          return {
            rule: { id: rule.id, name: rule.name, signal: rule.signal, scope: rule.scope, enabled: rule.enabled, labels: rule.labels },
            status: rule.enabled ? (state?.status ?? 'inactive') : 'disabled',
            value: state?.value ?? null,
            threshold: rule.threshold,
            comparison: rule.comparison,
            evaluatedAt: state?.evaluatedAt ?? null,
            activeSince: state?.activeSince ?? null,
            firedAt: state?.firedAt ?? null,
            resolvedAt: state?.resolvedAt ?? null,
            links: stateLinks(rule, state, publicUrl, t),
          };
        }),
    };
  });
}
