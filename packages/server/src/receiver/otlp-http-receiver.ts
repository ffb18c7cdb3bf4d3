import Fastify, { type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from 'fastify';
import { AriadneError, Errors } from '../errors.js';
import { DEFAULT_TENANT } from '../model/span.js';
import type { SpansConsumer } from '../model/spans-consumer.js';
import { decodeOtlpJson } from '../otlp/decode-otlp-json.js';
import { decodeOtlpProtobuf } from '../otlp/decode-otlp-protobuf.js';
import type { DecodeResult } from '../otlp/decode-result.js';
import { encodeExportResponseProtobuf, encodeStatusProtobuf, exportResponseJson } from '../otlp/encode-export-response.js';
import { decodeContentEncoding } from './gunzip-body.js';
import { grpcStatusCode } from './grpc-status-code.js';
import { newReceiverStats, type ReceiverStats } from './receiver-stats.js';

export interface OtlpHttpReceiverOptions {
  consumer: SpansConsumer;
  /** Largest body accepted, compressed or not; 413 above. */
  maxBodyBytes: number;
  logger: FastifyBaseLogger;
  /**
   * The tenant a request's spans belong to, from its headers; throws an AriadneError (401, 403) to
   * refuse it. Runs before the body is read. Default: every request is DEFAULT_TENANT's.
   */
  authenticate?: (request: FastifyRequest) => string;
}

type Format = 'protobuf' | 'json';

/**
 * OTLP/HTTP trace receiver (`POST /v1/traces`), as the OTLP specification says: protobuf and JSON,
 * gzip, partial success, and errors as google.rpc.Status in the request's encoding.
 */
export function createOtlpHttpReceiver(options: OtlpHttpReceiverOptions) {
  const { consumer, maxBodyBytes } = options;
  const stats = newReceiverStats();
  const app = Fastify({ loggerInstance: options.logger, disableRequestLogging: true, bodyLimit: maxBodyBytes });
  const tenants = new WeakMap<FastifyRequest, string>();
  const { authenticate } = options;
  if (authenticate) app.addHook('onRequest', async (request) => void tenants.set(request, authenticate(request)));

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.post('/v1/traces', async (request, reply) => {
    const format = formatOf(request);
    try {
      if (format === undefined) throw Errors.unsupportedMediaType(request.headers['content-type'] ?? '(none)');
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const decoded = await decodeContentEncoding(body, request.headers['content-encoding'], maxBodyBytes);
      const result = decode(format, decoded, tenants.get(request) ?? DEFAULT_TENANT);
      if (result.batch.spans.length > 0) await consumer.consumeSpans(result.batch);
      stats.acceptedSpans += result.batch.spans.length;
      stats.rejectedSpans += result.rejectedSpans;
      if (format === 'protobuf') {
        return reply
          .type('application/x-protobuf')
          .send(Buffer.from(encodeExportResponseProtobuf(result.rejectedSpans, result.errorMessage)));
      }
      return reply.type('application/json').send(exportResponseJson(result.rejectedSpans, result.errorMessage));
    } catch (err) {
      return sendError(reply, format, err, stats, request);
    }
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, request, reply) => {
    const format = formatOf(request);
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(reply, format, Errors.bodyTooLarge(maxBodyBytes), stats, request);
    if (err instanceof AriadneError) return sendError(reply, format, err, stats, request);
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    return sendError(reply, format, new AriadneError('ARIADNE_BAD_REQUEST', err.message, status), stats, request);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).type('application/json').send({ code: 5, message: `no route for ${request.method} ${request.url}; OTLP traces go to POST /v1/traces` }),
  );
  return { app, stats };
}

function formatOf(request: FastifyRequest): Format | undefined {
  const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  return undefined;
}

function decode(format: Format, body: Buffer, tenant: string): DecodeResult {
  return format === 'protobuf' ? decodeOtlpProtobuf(body, tenant) : decodeOtlpJson(body, tenant);
}

function sendError(
  reply: FastifyReply,
  format: Format | undefined,
  err: unknown,
  stats: ReceiverStats,
  request: FastifyRequest,
): FastifyReply {
  stats.failedRequests++;
  const known = err instanceof AriadneError;
  const status = known ? err.statusCode : 500;
  const message = known ? err.message : 'internal error while receiving spans';
  if (!known) request.log.error({ err }, 'OTLP request failed');
  else request.log.debug({ code: err.code, status }, message);
  if (known && err.retryAfterSeconds !== undefined) reply.header('retry-after', String(err.retryAfterSeconds));
  reply.code(status);
  if (format === 'protobuf') {
    return reply.type('application/x-protobuf').send(Buffer.from(encodeStatusProtobuf(grpcStatusCode(status), message)));
  }
  return reply.type('application/json').send({ code: grpcStatusCode(status), message });
}
