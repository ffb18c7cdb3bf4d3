import { diag } from '@opentelemetry/api';
import { instrumentExpress } from './express/instrument-express.js';
import { instrumentUndici } from './fetch/undici-channels.js';
import { instrumentFastify } from './fastify/instrument-fastify.js';
import { instrumentHttpServer } from './http/http-server-channels.js';
import { patchHttpClient } from './http/patch-http-client.js';
import { instrumentIoredis } from './ioredis/instrument-ioredis.js';
import { instrumentKoa } from './koa/instrument-koa.js';
import { instrumentMysql2 } from './mysql2/instrument-mysql2.js';
import { instrumentPg } from './pg/instrument-pg.js';
import { instrumentPino } from './pino/instrument-pino.js';
import { instrumentRedis } from './redis/instrument-redis.js';
import { instrumentWinston } from './winston/instrument-winston.js';

/**
 * Names as OpenTelemetry's auto-instrumentations use them in OTEL_NODE_*_INSTRUMENTATIONS. A
 * library's entry registers an onModuleLoad patcher, so it costs nothing until the app loads it.
 */
const INSTRUMENTATIONS: Record<string, () => void> = {
  http: () => {
    instrumentHttpServer();
    patchHttpClient();
  },
  undici: instrumentUndici,
  express: instrumentExpress,
  fastify: instrumentFastify,
  koa: instrumentKoa,
  pg: instrumentPg,
  mysql2: instrumentMysql2,
  ioredis: instrumentIoredis,
  redis: instrumentRedis,
  pino: instrumentPino,
  winston: instrumentWinston,
};

function list(raw: string | undefined): string[] | undefined {
  const names = raw?.split(',').map((n) => n.trim()).filter((n) => n !== '');
  return names === undefined || names.length === 0 ? undefined : names;
}

/** The instrumentations OTEL_NODE_ENABLED_INSTRUMENTATIONS and ..._DISABLED_... select (all by default). */
export function selectInstrumentations(env: Record<string, string | undefined>): string[] {
  const enabled = list(env.OTEL_NODE_ENABLED_INSTRUMENTATIONS) ?? Object.keys(INSTRUMENTATIONS);
  const disabled = new Set(list(env.OTEL_NODE_DISABLED_INSTRUMENTATIONS));
  for (const name of enabled) if (!(name in INSTRUMENTATIONS)) diag.warn(`ariadne: unknown instrumentation ${name}; ignored`);
  return enabled.filter((name) => name in INSTRUMENTATIONS && !disabled.has(name));
}

/** Installs the named instrumentations; library ones wait until the app loads their library. */
export function installInstrumentations(names: string[]): void {
  for (const name of names) {
    try {
      INSTRUMENTATIONS[name]();
    } catch (err) {
      diag.error(`ariadne: instrumentation ${name} not installed`, err);
    }
  }
}
