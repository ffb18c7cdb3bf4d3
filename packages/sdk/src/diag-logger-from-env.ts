import { DiagConsoleLogger, DiagLogLevel } from '@opentelemetry/api';
import type { DiagLogger } from '@opentelemetry/api';
import { describeValue } from './describe-value.js';

/** The values OTEL_LOG_LEVEL takes, as the OpenTelemetry specification names them. */
const LEVELS: Record<string, DiagLogLevel> = {
  NONE: DiagLogLevel.NONE,
  ERROR: DiagLogLevel.ERROR,
  WARN: DiagLogLevel.WARN,
  INFO: DiagLogLevel.INFO,
  DEBUG: DiagLogLevel.DEBUG,
  VERBOSE: DiagLogLevel.VERBOSE,
  ALL: DiagLogLevel.ALL,
};

// A few kinds of problem are worth a newcomer's attention; a collector that stays down must not
// fill the app's stderr.
const MAX_KINDS = 10;

function describe(arg: unknown): string {
  try {
    if (arg instanceof Error) return arg.message;
    if (typeof arg === 'object' && arg !== null) return JSON.stringify(arg);
  } catch {
    // A cycle, or a getter that throws: as plain text below.
  }
  return describeValue(arg);
}

/**
 * Ariadne's errors and warnings on stderr, each kind once: the first line of every kind, where a
 * kind is a message with its numbers and ids left out ("export of 512 spans failed: connect
 * ECONNREFUSED 127.0.0.1:4318" is one kind however many spans), up to MAX_KINDS kinds.
 */
export class FirstOfEachKindLogger implements DiagLogger {
  private readonly kinds = new Set<string>();

  constructor(private readonly print: (line: string) => void = (line) => console.warn(line)) {}

  error = (message: string, ...args: unknown[]): void => this.once(message, args);
  warn = (message: string, ...args: unknown[]): void => this.once(message, args);
  info = (): void => {};
  debug = (): void => {};
  verbose = (): void => {};

  private once(message: string, args: unknown[]): void {
    // Only Ariadne's own: the API's and the app's OpenTelemetry libraries' are silent untraced.
    if (typeof message !== 'string' || !message.startsWith('ariadne:') || this.kinds.size > MAX_KINDS) return;
    const kind = message.replace(/\b[0-9a-f]{16,32}\b|\d+/g, '#');
    if (this.kinds.has(kind)) return;
    this.kinds.add(kind);
    const line =
      this.kinds.size > MAX_KINDS
        ? 'ariadne: more problems not shown; OTEL_LOG_LEVEL=warn shows every one'
        : args.length === 0
          ? message
          : `${message}: ${args.map(describe).join(' ')}`;
    try {
      this.print(line);
    } catch {
      // The app's console is the app's: a report about tracing must not throw into its code.
    }
  }
}

/**
 * The diag logger and level for the zero-code register: OTEL_LOG_LEVEL's level on the console
 * when it is set; else the first of each kind of error and warning, so that a wrong endpoint or
 * a collector that cannot be reached does not go unseen.
 */
export function diagLoggerFromEnv(env: NodeJS.ProcessEnv): { logger: DiagLogger; level: DiagLogLevel; problem?: string } {
  const name = env.OTEL_LOG_LEVEL?.trim().toUpperCase();
  if (name) {
    const level = Object.prototype.hasOwnProperty.call(LEVELS, name) ? LEVELS[name] : undefined;
    if (level !== undefined) return { logger: new DiagConsoleLogger(), level };
  }
  const problem = name ? `ariadne: OTEL_LOG_LEVEL=${env.OTEL_LOG_LEVEL} is not one of ${Object.keys(LEVELS).join(', ').toLowerCase()}; ignored` : undefined;
  return { logger: new FirstOfEachKindLogger(), level: DiagLogLevel.WARN, problem };
}
