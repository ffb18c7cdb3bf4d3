import { diag } from '@opentelemetry/api';
import type { TracingHandle } from './start-tracing.js';

const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
const FLUSH_LIMIT_MS = 2000;

/**
 * Flushes queued spans when a terminating signal arrives. If the app listens for the signal it
 * keeps deciding what happens; otherwise the signal is raised again after the flush (bounded), so
 * the process still dies of it as it would untraced.
 */
export function flushOnSignals(handle: TracingHandle): void {
  for (const signal of SIGNALS) {
    const onSignal = () => {
      if (process.listenerCount(signal) > 1) {
        void handle.forceFlush().catch((err: unknown) => diag.error('ariadne: flush on signal failed', err));
        return;
      }
      process.off(signal, onSignal);
      const timer = setTimeout(() => process.kill(process.pid, signal), FLUSH_LIMIT_MS);
      handle.forceFlush().then(
        () => {
          clearTimeout(timer);
          process.kill(process.pid, signal);
        },
        () => undefined,
      );
    };
    process.on(signal, onSignal);
  }
}
