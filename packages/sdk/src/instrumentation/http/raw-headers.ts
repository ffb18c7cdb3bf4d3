import type { IncomingMessage } from 'node:http';
import { propagation } from '@opentelemetry/api';
import type { Context, TextMapGetter } from '@opentelemetry/api';

/**
 * The value of header `name` (lower case) in Node's rawHeaders, without touching `req.headers`,
 * which Node builds on first read (an object per request, that a server which never reads its
 * headers does not pay for otherwise). Repeated, as Node's headers object would give it: the
 * first of host and user-agent, else all of them, as an array.
 */
export function rawHeader(raw: readonly string[], name: string): string | string[] | undefined {
  let found: string | string[] | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const key = raw[i];
    if (key.length !== name.length || (key !== name && key.toLowerCase() !== name)) continue;
    const value = raw[i + 1];
    if (found === undefined) {
      if (name === 'host' || name === 'user-agent') return value;
      found = value;
    } else if (Array.isArray(found)) {
      found.push(value);
    } else {
      found = [found, value];
    }
  }
  return found;
}

/** Removes every `name` (lower case) from headers given as a flat [name, value, ...] list. */
export function removeRawHeader(raw: unknown[], name: string): void {
  for (let i = raw.length - 2; i >= 0; i -= 2) {
    if (String(raw[i]).toLowerCase() === name) raw.splice(i, 2);
  }
}

/** A request header, from rawHeaders where the request has them. */
export function requestHeader(req: IncomingMessage, name: string): string | string[] | undefined {
  const raw = req.rawHeaders as string[] | undefined;
  return Array.isArray(raw) ? rawHeader(raw, name) : req.headers[name];
}

/** Reads a request's rawHeaders as a propagation carrier. */
export const rawHeadersGetter: TextMapGetter<string[]> = {
  get: (carrier, key) => rawHeader(carrier, key.toLowerCase()),
  keys: (carrier) => {
    const keys = new Set<string>();
    for (let i = 0; i < carrier.length; i += 2) keys.add(carrier[i].toLowerCase());
    return [...keys];
  },
};

/** The context `propagation.extract` makes of `req`'s headers, read from rawHeaders where it has them. */
export function extractFromRequest(context: Context, req: IncomingMessage): Context {
  const raw = req.rawHeaders as string[] | undefined;
  return Array.isArray(raw) ? propagation.extract(context, raw, rawHeadersGetter) : propagation.extract(context, req.headers);
}
