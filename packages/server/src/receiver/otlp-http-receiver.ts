import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import Fastify, { type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from 'fastify';
import { AriadneError, Errors } from '../errors.js';
import { DEFAULT_TENANT } from '../model/span.js';
import type { SpansConsumer } from '../model/spans-consumer.js';
import { decodeOtlpJson } from '../otlp/decode-otlp-json.js';
import { decodeOtlpProtobuf } from '../otlp/decode-otlp-protobuf.js';
import type { DecodeResult } from '../otlp/decode-result.js';
import { encodeExportResponseProtobuf, encodeStatusProtobuf, exportResponseJson } from '../otlp/encode-export-response.js';

const gunzipAsync = promisify(gunzip);

export interface OtlpHttpReceiverOptions {
  consumer: SpansConsumer;
  /** Largest body accepted, compressed or not; 413 above. */
  maxBodyBytes: number;
  logger: FastifyBaseLogger;
}

export interface ReceiverStats {
  acceptedSpans: number;
  rejectedSpans: number;
  failedRequests: number;
}

type Format = 'protobuf' | 'json';

/**
 * OTLP/HTTP trace receiver (`POST /v1/traces`), as the OTLP specification says: protobuf and JSON,
 * gzip, partial success, and errors as google.rpc.Status in the request's encoding.
 */
export function createOtlpHttpReceiver(options: OtlpHttpReceiverOptions) {
  const { consumer, maxBodyBytes } = options;
  const stats: ReceiverStats = { acceptedSpans: 0, rejectedSpans: 0, failedRequests: 0 };
  const app = Fastify({ loggerInstance: options.logger, disableRequestLogging: true, bodyLimit: maxBodyBytes });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.post('/v1/traces', async (request, reply) => {
    const format = formatOf(request);
    try {
      if (format === undefined) throw Errors.unsupportedMediaType(request.headers['content-type'] ?? '(none)');
      const body = await decompressedBody(request, maxBodyBytes);
      const result = decode(format, body);
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

async function decompressedBody(request: FastifyRequest, maxBodyBytes: number): Promise<Buffer> {
  const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return body;
  if (encoding !== 'gzip') throw Errors.unsupportedEncoding(encoding);
  try {
    return await gunzipAsync(body, { maxOutputLength: maxBodyBytes });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw Errors.bodyTooLarge(maxBodyBytes);
    throw Errors.undecodableBody('gzip', (err as Error).message);
  }
}

function decode(format: Format, body: Buffer): DecodeResult {
  return format === 'protobuf' ? decodeOtlpProtobuf(body, DEFAULT_TENANT) : decodeOtlpJson(body, DEFAULT_TENANT);
}

/** gRPC status codes for the Status body, by HTTP status. */
function grpcCode(httpStatus: number): number {
  if (httpStatus === 429 || httpStatus === 503) return 14; // UNAVAILABLE
  if (httpStatus === 413) return 8; // RESOURCE_EXHAUSTED
  if (httpStatus === 404) return 5; // NOT_FOUND
  if (httpStatus >= 500) return 13; // INTERNAL
  return 3; // INVALID_ARGUMENT
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
    return reply.type('application/x-protobuf').send(Buffer.from(encodeStatusProtobuf(grpcCode(status), message)));
  }
  return reply.type('application/json').send({ code: grpcCode(status), message });
}
