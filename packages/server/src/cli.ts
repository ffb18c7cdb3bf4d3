#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { parseCommand, helpText } from './config/config.js';
import { AriadneError } from './errors.js';
import type { AriadneConfig, Role } from './config/config.js';
import type { Logger } from 'pino';
import type { RunningRole } from './roles/running-role.js';

type RoleStarter = (config: AriadneConfig, log: Logger) => Promise<RunningRole>;

/** Each role's module is loaded only when it runs: an agent need not load the storage engines or the queue clients. */
const ROLE_STARTERS: Record<Role, () => Promise<RoleStarter>> = {
  'all-in-one': async () => (await import('./roles/all-in-one.js')).startAllInOne,
  agent: async () => (await import('./roles/agent.js')).startAgent,
  gateway: async () => (await import('./roles/gateway.js')).startGateway,
  ingester: async () => (await import('./roles/ingester.js')).startIngesterRole,
  query: async () => (await import('./roles/query.js')).startQuery,
};

const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

async function main(): Promise<void> {
  let command;
  try {
    command = parseCommand(process.argv.slice(2));
  } catch (err) {
    console.error(`ariadne: ${(err as Error).message}`);
    process.exit(2);
  }
  if (command.kind === 'help') return void process.stdout.write(helpText());
  if (command.kind === 'version') return void console.log(version);

  const { config } = command;
  const log = pino({ level: config.logLevel, base: { service: 'ariadne', role: config.role } });
  log.info({ version, config }, 'starting ariadne');
  let server;
  try {
    server = await (await ROLE_STARTERS[config.role]())(config, log);
  } catch (err) {
    const message = err instanceof AriadneError ? err.message : (err as Error).message;
    log.fatal({ err }, `cannot start: ${message}`);
    process.exit(1);
  }
  let signals = 0;
  const stop = (signal: NodeJS.Signals) => {
    if (++signals > 1) {
      log.warn(`${signal} again: exiting without flushing`);
      process.exit(130);
    }
    log.info(`${signal} received: flushing and stopping (send it again to exit at once)`);
    server.shutdown().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
