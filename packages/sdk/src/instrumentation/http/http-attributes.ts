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

const AUTHORITY = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/;
let lastAuthority: string | undefined;
let lastHostPort: { host?: string; port?: number } = {};

/** Host and port from a Host header or authority, IPv6 brackets removed. Do not modify the result. */
export function splitHostPort(authority: string | undefined): { host?: string; port?: number } {
  if (!authority) return {};
  // A server sees the same Host header request after request.
  if (authority === lastAuthority) return lastHostPort;
  const match = AUTHORITY.exec(authority);
  let result: { host?: string; port?: number } = {};
  if (match !== null) {
    const host = match[1].replace(/^\[|\]$/g, '');
    result = match[2] === undefined ? { host } : { host, port: Number(match[2]) };
  }
  lastAuthority = authority;
  lastHostPort = Object.freeze(result);
  return result;
}
