import type { Socket } from 'node:net';
import { context, ROOT_CONTEXT } from '@opentelemetry/api';

const SET_TIMEOUT = Symbol('ariadne socket setTimeout');
type ConnectionSocket = Socket & { [SET_TIMEOUT]?: Socket['setTimeout'] };

function setTimeoutOutsideRequests(this: ConnectionSocket, ...args: unknown[]): Socket {
  return context.with(ROOT_CONTEXT, this[SET_TIMEOUT] as (...a: unknown[]) => Socket, this, ...args);
}

/**
 * Node re-arms a keep-alive connection's idle timer when a response ends, inside that request's
 * context (server: keepAliveTimeout; client agent: its socket timeout): the timer would hold the
 * context, spans and all, while the connection idles. This socket's timers are armed outside
 * any request instead.
 */
export function armTimersOutsideRequests(socket: Socket): void {
  const s = socket as ConnectionSocket;
  if (s[SET_TIMEOUT] !== undefined || typeof s.setTimeout !== 'function') return;
  s[SET_TIMEOUT] = s.setTimeout;
  s.setTimeout = setTimeoutOutsideRequests as Socket['setTimeout'];
}
