import type { Attributes } from '@opentelemetry/api';

const KNOWN_METHODS = new Set(['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE', 'QUERY']);

/**
 * Sets http.request.method per the HTTP semantic conventions: a known method in upper case,
 * else `_OTHER` with the original in http.request.method_original. Returns the span name part.
 */
export function setMethod(attributes: Attributes, method: string | undefined): string {
  const original = method ?? 'GET';
  const upper = original.toUpperCase();
  if (KNOWN_METHODS.has(upper)) {
    attributes['http.request.method'] = upper;
    if (upper !== original) attributes['http.request.method_original'] = original;
    return upper;
  }
  attributes['http.request.method'] = '_OTHER';
  attributes['http.request.method_original'] = original;
  return 'HTTP';
}

/** Host and port from a Host header or authority, IPv6 brackets removed. */
export function splitHostPort(authority: string | undefined): { host?: string; port?: number } {
  if (!authority) return {};
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(authority);
  if (match === null) return {};
  const host = match[1].replace(/^\[|\]$/g, '');
  return match[2] === undefined ? { host } : { host, port: Number(match[2]) };
}
