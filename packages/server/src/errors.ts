/**
 * The server's error catalog: every error a client or operator can see has a stable code here.
 * `statusCode` is the HTTP answer when the error reaches a request.
 */
export class AriadneError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode: number,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'AriadneError';
  }
}

const define =
  <A extends unknown[]>(code: string, statusCode: number, message: (...args: A) => string) =>
  (...args: A) =>
    new AriadneError(code, message(...args), statusCode);

export const Errors = {
  badRequest: define('ARIADNE_BAD_REQUEST', 400, (detail: string) => detail),
  undecodableBody: define('ARIADNE_UNDECODABLE_BODY', 400, (format: string, detail: string) => `cannot decode ${format} body: ${detail}`),
  bodyTooLarge: define('ARIADNE_BODY_TOO_LARGE', 413, (limit: number) => `request body is larger than the limit of ${limit} bytes`),
  unsupportedMediaType: define(
    'ARIADNE_UNSUPPORTED_MEDIA_TYPE',
    415,
    (type: string) => `unsupported content type '${type}': use application/x-protobuf or application/json`,
  ),
  unsupportedEncoding: define('ARIADNE_UNSUPPORTED_ENCODING', 415, (encoding: string) => `unsupported content encoding '${encoding}': use gzip or none`),
  invalidField: define('ARIADNE_INVALID_FIELD', 400, (field: string, detail: string) => `${field}: ${detail}`),
  inUse: define('ARIADNE_IN_USE', 409, (kind: string, id: string, user: string) => `${kind} '${id}' is used by ${user}`),
  notFound: define('ARIADNE_NOT_FOUND', 404, (kind: string, id: string) => `no ${kind} with id '${id}'`),
  traceNotFound: define('ARIADNE_TRACE_NOT_FOUND', 404, (traceId: string) => `trace not found: ${traceId}`),
  internal: define('ARIADNE_INTERNAL', 500, (detail: string) => `internal error: ${detail}`),
  invalidConfig: define('ARIADNE_INVALID_CONFIG', 1, (detail: string) => `invalid configuration: ${detail}`),
  pipelineFull: (retryAfterSeconds: number) =>
    new AriadneError('ARIADNE_PIPELINE_FULL', 'the ingest pipeline is full, retry later', 503, retryAfterSeconds),
  shuttingDown: () => new AriadneError('ARIADNE_SHUTTING_DOWN', 'the server is shutting down', 503, 1),
  missingToken: define('ARIADNE_MISSING_TOKEN', 401, () => 'missing ingest token: send Authorization: Bearer <token>'),
  invalidToken: define('ARIADNE_INVALID_TOKEN', 403, () => 'the ingest token is not valid (unknown or revoked)'),
  rateLimited: (tenant: string, limit: number, retryAfterSeconds: number) =>
    new AriadneError('ARIADNE_RATE_LIMITED', `tenant '${tenant}' is over its limit of ${limit} spans per second, retry later`, 429, retryAfterSeconds),
  upstreamUnavailable: define('ARIADNE_UPSTREAM_UNAVAILABLE', 503, (detail: string) => `cannot forward spans: ${detail}`),
} as const;
