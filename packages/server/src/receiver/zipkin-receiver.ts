import Fastify, { type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from 'fastify';
import { AriadneError, Errors } from '../errors.js';
import { DEFAULT_TENANT } from '../model/span.js';
import type { SpansConsumer } from '../model/spans-consumer.js';
import { decodeZipkinJson } from '../zipkin/decode-zipkin-json.js';
import { decodeContentEncoding } from './gunzip-body.js';
import { newReceiverStats, type ReceiverStats } from './receiver-stats.js';

export interface ZipkinReceiverOptions {
  consumer: SpansConsumer;
  /** Largest body accepted, compressed or not; 413 above. */
  maxBodyBytes: number;
  logger: FastifyBaseLogger;
}

/**
 * Zipkin v2 JSON receiver (`POST /api/v2/spans`, default port 9411), gzip or not. Answers 202 as
 * Zipkin does; spans with bad ids are dropped and counted; errors are 4xx with a plain-text message.
 */
export function createZipkinReceiver(options: ZipkinReceiverOptions) {
  const { consumer, maxBodyBytes } = options;
  const stats = newReceiverStats();
  const app = Fastify({ loggerInstance: options.logger, disableRequestLogging: true, bodyLimit: maxBodyBytes });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.post('/api/v2/spans', async (request, reply) => {
    const type = (request.headers['content-type'] ?? 'application/json').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') return sendError(reply, request, stats, Errors.unsupportedMediaType(type));
    try {
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const result = decodeZipkinJson(await decodeContentEncoding(body, request.headers['content-encoding'], maxBodyBytes), DEFAULT_TENANT);
      if (result.batch.spans.length > 0) await consumer.consumeSpans(result.batch);
      stats.acceptedSpans += result.batch.spans.length;
      stats.rejectedSpans += result.rejectedSpans;
      if (result.rejectedSpans > 0) request.log.debug(result.errorMessage);
      return reply.code(202).send();
    } catch (err) {
      return sendError(reply, request, stats, err);
    }
  });
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, request, reply) => {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(reply, request, stats, Errors.bodyTooLarge(maxBodyBytes));
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    return sendError(reply, request, stats, new AriadneError('ARIADNE_BAD_REQUEST', err.message, status));
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).type('text/plain').send(`no route for ${request.method} ${request.url}; Zipkin spans go to POST /api/v2/spans`));
  return { app, stats };
}

function sendError(reply: FastifyReply, request: FastifyRequest, stats: ReceiverStats, err: unknown): FastifyReply {
  stats.failedRequests++;
  if (!(err instanceof AriadneError)) {
    request.log.error({ err }, 'Zipkin request failed');
    return reply.code(500).type('text/plain').send('internal error while receiving spans');
  }
  if (err.retryAfterSeconds !== undefined) reply.header('retry-after', String(err.retryAfterSeconds));
  return reply.code(err.statusCode).type('text/plain').send(err.message);
}
