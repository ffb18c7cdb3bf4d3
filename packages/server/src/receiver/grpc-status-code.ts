/** gRPC status codes for an HTTP status, as the OTLP specification pairs them. */
export function grpcStatusCode(httpStatus: number): number {
  // Both are retryable for OTLP clients; RESOURCE_EXHAUSTED is only with RetryInfo, which we do not send.
  if (httpStatus === 429 || httpStatus === 503) return 14; // UNAVAILABLE
  if (httpStatus === 413) return 8; // RESOURCE_EXHAUSTED
  if (httpStatus === 404) return 5; // NOT_FOUND
  if (httpStatus === 401) return 16; // UNAUTHENTICATED
  if (httpStatus === 403) return 7; // PERMISSION_DENIED
  if (httpStatus >= 500) return 13; // INTERNAL
  return 3; // INVALID_ARGUMENT
}
