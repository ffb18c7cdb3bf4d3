#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { parseCommand, helpText } from './config/config.js';
import { AriadneError } from './errors.js';
import type { AriadneConfig, Role } from './config/config.js';
import type { Logger } from 'pino';
import { startAgent } from './roles/agent.js';
import { startAllInOne } from './roles/all-in-one.js';
import { startGateway } from './roles/gateway.js';
import { startIngesterRole } from './roles/ingester.js';
import { startQuery } from './roles/query.js';
import type { RunningRole } from './roles/running-role.js';

const ROLE_STARTERS: Record<Role, (config: AriadneConfig, log: Logger) => Promise<RunningRole>> = {
  'all-in-one': startAllInOne,
  agent: startAgent,
  gateway: startGateway,
  ingester: startIngesterRole,
  query: startQuery,
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
    server = await ROLE_STARTERS[config.role](config, log);
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
