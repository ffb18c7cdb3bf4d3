import { join } from 'node:path';
import type { Logger } from 'pino';
import type { AriadneConfig } from '../config/config.js';
import { DiskSpool } from '../agent/disk-spool.js';
import { GatewayForwarder } from '../agent/gateway-forwarder.js';
import { hostAttributes } from '../agent/host-attributes.js';
import { once, type RunningRole } from './running-role.js';
import { startReceivers } from './start-receivers.js';

/** Receivers beside the apps → batching forwarder to the gateway, spooling under --data-dir/spool. */
export async function startAgent(config: AriadneConfig, log: Logger): Promise<RunningRole> {
  const spool = new DiskSpool({ dir: join(config.dataDir, 'spool'), maxBytes: config.spoolMaxBytes });
  const forwarder = new GatewayForwarder({
    gatewayUrl: config.gatewayUrl,
    token: config.agentToken,
    spool,
    resourceAttributes: hostAttributes(),
    batchSpans: config.agentBatchSpans,
    batchDelayMs: config.agentBatchDelayMs,
    log,
  });
  await forwarder.start();
  const receivers = await startReceivers(config, forwarder, log);
  const report = setInterval(() => log.info({ forwarder: forwarder.getStats(), receivers: receivers.stats() }, 'agent stats'), 10_000);
  report.unref();
  log.info({ gateway: config.gatewayUrl }, 'agent ready');
  const shutdown = once(async () => {
    clearInterval(report);
    await receivers.close();
    await forwarder.shutdown();
    log.info({ forwarder: forwarder.getStats() }, 'agent stopped; what the gateway has not taken stays in the spool');
  });
  return { shutdown };
}
