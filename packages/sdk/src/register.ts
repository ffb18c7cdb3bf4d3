// `node --import @ariadne/sdk/register app.js` (or --require, or either in NODE_OPTIONS): traces
// the app with no code change, configured by the OTEL_* environment. Never throws into the app.
// The build bundles this entry with its dependencies, ESM and CommonJS (Node 20 cannot require
// an ES module): one file loads faster and lighter than a module graph.
import { diag } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from './context/async-local-storage-context-manager.js';
import { installInstrumentations, selectInstrumentations } from './instrumentation/auto-instrumentations.js';
import { useContextManager } from './instrumentation/run-in-context.js';
import { diagLoggerFromEnv } from './diag-logger-from-env.js';
import { flushOnSignals } from './flush-on-signals.js';
import { startTracing } from './start-tracing.js';

// Loaded twice (NODE_OPTIONS and the command line, or two copies of the package), the second copy
// stands aside: two would trace everything twice, and each would take the other's signal listener
// for the app's and leave the signal to it.
const LOADED = Symbol.for('ariadne.register');
const loaded = globalThis as { [LOADED]?: true };

function register(): void {
  const { logger, level, problem } = diagLoggerFromEnv(process.env);
  diag.setLogger(logger, { logLevel: level, suppressOverrideMessage: true });
  if (problem !== undefined) diag.warn(problem);
  const contextManager = new AsyncLocalStorageContextManager();
  const handle = startTracing({ contextManager });
  if (handle.enabled) {
    useContextManager(contextManager);
    installInstrumentations(selectInstrumentations(process.env));
    flushOnSignals(handle);
  }
}

if (!loaded[LOADED]) {
  loaded[LOADED] = true;
  try {
    register();
  } catch (err) {
    diag.error('ariadne: tracing not started; the app runs untraced', err);
  }
}
