import type { IncomingMessage } from 'node:http';
import type { Span } from '@opentelemetry/api';

// Symbol.for: a framework helper bundled into another copy of the SDK (the CommonJS register)
// still finds the span.
const SPAN = Symbol.for('ariadne.http.server-span');
const METHOD = Symbol.for('ariadne.http.server-span-method');

interface Traced {
  [SPAN]?: Span;
  [METHOD]?: string;
}

/** Records `span` as the SERVER span of `req`; `method` is the span name's method part. */
export function setServerSpan(req: IncomingMessage, span: Span, method: string): void {
  const traced = req as IncomingMessage & Traced;
  traced[SPAN] = span;
  traced[METHOD] = method;
}

/** The SERVER span Ariadne made for `req`, if any. */
export function getServerSpan(req: IncomingMessage | undefined): Span | undefined {
  return (req as (IncomingMessage & Traced) | undefined)?.[SPAN];
}

/**
 * Names the request's SERVER span after the route a framework matched (`GET /users/:id`) and sets
 * http.route; the innermost router calls last, so its answer wins. Does nothing for an untraced
 * request or an empty route.
 */
export function setHttpRoute(req: IncomingMessage | undefined, route: string | undefined): void {
  const traced = req as (IncomingMessage & Traced) | undefined;
  const span = traced?.[SPAN];
  if (span === undefined || !route) return;
  span.setAttribute('http.route', route);
  span.updateName(`${traced![METHOD]} ${route}`);
}
