import type { Attributes } from '../../model/span.js';

const text = (attributes: Attributes, ...keys: string[]): string => {
  for (const key of keys) {
    const value = attributes[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return '';
};

/**
 * The graph node an outgoing span calls when no instrumented service answered it: `peer.service`,
 * else the database (`db.system`, with its namespace or host), else the messaging system and
 * destination, else the host (`server.address`); '' when the span names no peer.
 */
export function peerName(attributes: Attributes): string {
  const peer = text(attributes, 'peer.service');
  if (peer) return peer;
  const db = text(attributes, 'db.system.name', 'db.system');
  const host = text(attributes, 'server.address', 'net.peer.name');
  if (db) {
    const namespace = text(attributes, 'db.namespace', 'db.name');
    return namespace ? `${db}/${namespace}` : host ? `${db}@${host}` : db;
  }
  const messaging = text(attributes, 'messaging.system');
  if (messaging) {
    const destination = text(attributes, 'messaging.destination.name', 'messaging.destination');
    return destination ? `${messaging}/${destination}` : messaging;
  }
  return host;
}
