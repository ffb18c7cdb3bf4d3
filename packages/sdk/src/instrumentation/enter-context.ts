import type { Context } from '@opentelemetry/api';

/** Makes a context active for the rest of the current synchronous run and what it schedules. */
export type EnterContext = (context: Context) => void;
