import type { Socket } from 'node:net';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import { runInContext } from '../run-in-context.js';

const SET_TIMEOUT = Symbol('ariadne socket setTimeout');
type ConnectionSocket = Socket & { [SET_TIMEOUT]?: Socket['setTimeout'] };

function setTimeoutOutsideRequests(this: ConnectionSocket, msecs: number): Socket {
  // 0 clears the timer (as every new request on the connection does): nothing is armed.
  // eslint-disable-next-line prefer-rest-params -- passed on as is, without copying
  if (msecs === 0) return Reflect.apply(this[SET_TIMEOUT]!, this, arguments) as Socket;
  // eslint-disable-next-line prefer-rest-params -- passed on as is, without copying
  return runInContext(ROOT_CONTEXT, this[SET_TIMEOUT]!, this, arguments);
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
