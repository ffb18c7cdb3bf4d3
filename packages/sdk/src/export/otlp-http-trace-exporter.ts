import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { promisify } from 'node:util';
import { context, diag, ROOT_CONTEXT } from '@opentelemetry/api';
import { suppressTracing } from '../context/suppress-tracing.js';
import { describeValue } from '../describe-value.js';
import type { RecordingSpan } from '../trace/recording-span.js';
import { SDK_VERSION } from '../version.js';
import { encodeTraceRequestJson } from './otlp-json-encoder.js';
import { encodeTraceRequestProtobuf } from './otlp-protobuf-encoder.js';
import { postAtExit } from './post-at-exit.js';
import { backoffMillis, DEFAULT_RETRY_POLICY, parseRetryAfter, RETRYABLE_STATUSES } from './retry-policy.js';
import type { RetryPolicy } from './retry-policy.js';
import { ExportResultCode } from './span-exporter.js';
import type { ExportResult, SpanExporter } from './span-exporter.js';

// zlib is loaded on first use: most exporters never compress, and register's startup stays small.
async function gzip(body: Uint8Array): Promise<Uint8Array> {
  const zlib = await import('node:zlib');
  return promisify(zlib.gzip)(body);
}

export type OtlpProtocol = 'http/protobuf' | 'http/json';
export type OtlpCompression = 'gzip' | 'none';

export interface OtlpHttpTraceExporterOptions {
  /** The full traces URL; default http://localhost:4318/v1/traces. */
  url?: string;
  headers?: Record<string, string>;
  protocol?: OtlpProtocol;
  compression?: OtlpCompression;
  /** Per request, default 10 s. */
  timeoutMillis?: number;
  retry?: Partial<RetryPolicy>;
}

interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

class HttpStatusError extends Error {
  constructor(readonly status: number, body: string) {
    super(`HTTP ${status}${body ? `: ${body.slice(0, 200)}` : ''}`);
  }
}

// How long a process exit may be held up for the spans still queued.
const EXIT_LIMIT_MS = 2000;

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref();
  });

/** OTLP/HTTP (protobuf or JSON) with gzip, retries with backoff, and its own requests untraced. */
export class OtlpHttpTraceExporter implements SpanExporter {
  readonly url: URL;
  private readonly headers: Record<string, string>;
  private readonly protocol: OtlpProtocol;
  private readonly compression: OtlpCompression;
  private readonly timeoutMillis: number;
  private readonly retry: RetryPolicy;
  private stopped = false;
  private readonly inFlight = new Set<Promise<ExportResult>>();
  // Its own keep-alive agent: the app's global agent is the app's to limit, proxy or destroy (an
  // app that destroys it on SIGTERM destroyed the final flush's request with it).
  private readonly agent: HttpAgent;

  constructor(options: OtlpHttpTraceExporterOptions = {}) {
    this.url = new URL(options.url ?? 'http://localhost:4318/v1/traces');
    this.protocol = options.protocol ?? 'http/protobuf';
    this.compression = options.compression ?? 'none';
    this.timeoutMillis = options.timeoutMillis ?? 10_000;
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.headers = {
      ...options.headers,
      'content-type': this.protocol === 'http/json' ? 'application/json' : 'application/x-protobuf',
      'user-agent': `ariadne-sdk/${SDK_VERSION}`,
    };
    if (this.compression === 'gzip') this.headers['content-encoding'] = 'gzip';
    this.agent = this.url.protocol === 'https:' ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  }

  export(spans: readonly RecordingSpan[]): Promise<ExportResult> {
    if (this.stopped) return Promise.resolve({ code: ExportResultCode.FAILED, error: new Error('exporter is shut down') });
    const done = this.send(spans).catch((err: unknown) => this.failed(err));
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done));
    return done;
  }

  /**
   * Sends `batches` before the process exits, from a process 'exit' listener: synchronously, one
   * attempt each, within EXIT_LIMIT_MS at most. Uncompressed: zlib would have to be loaded, and
   * the app is waiting to end.
   */
  exportAtExit(batches: ReadonlyArray<readonly RecordingSpan[]>): ExportResult {
    if (this.stopped) return { code: ExportResultCode.FAILED, error: new Error('exporter is shut down') };
    const bodies = batches.map((spans) => this.encode(spans));
    const headers = { ...this.headers };
    delete headers['content-encoding'];
    const limit = Math.min(this.timeoutMillis, EXIT_LIMIT_MS);
    const status = postAtExit(this.url.href, headers, bodies, limit);
    if (status >= 200 && status < 300) return { code: ExportResultCode.SUCCESS };
    return this.failed(status === 0 ? new Error(`not reached, or no answer within ${limit} ms`) : new HttpStatusError(status, ''));
  }

  /** A failed export, its error naming the URL: what a user with a wrong endpoint needs to see. */
  private failed(err: unknown): ExportResult {
    const message = err instanceof Error ? err.message : describeValue(err);
    return { code: ExportResultCode.FAILED, error: new Error(`POST ${this.url.href}: ${message}`, { cause: err }) };
  }

  /** Waits for exports under way, then refuses new ones. */
  async shutdown(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.inFlight);
    this.agent.destroy();
  }

  private encode(spans: readonly RecordingSpan[]): Uint8Array {
    return this.protocol === 'http/json' ? encodeTraceRequestJson(spans) : encodeTraceRequestProtobuf(spans);
  }

  private async send(spans: readonly RecordingSpan[]): Promise<ExportResult> {
    let body = this.encode(spans);
    if (this.compression === 'gzip') body = await gzip(body);
    for (let attempt = 1; ; attempt++) {
      let delay: number | undefined;
      let error: Error;
      try {
        const answer = await this.post(body);
        if (answer.status >= 200 && answer.status < 300) return { code: ExportResultCode.SUCCESS };
        error = new HttpStatusError(answer.status, answer.body);
        if (!RETRYABLE_STATUSES.has(answer.status)) return this.failed(error);
        const retryAfter = answer.headers['retry-after'];
        delay = parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
      } catch (err) {
        // Network errors and timeouts are retried like 503.
        error = err instanceof Error ? err : new Error(describeValue(err));
      }
      if (attempt >= this.retry.maxAttempts || this.stopped) return this.failed(error);
      const wait = delay ?? backoffMillis(this.retry, attempt);
      diag.debug(`ariadne: OTLP export attempt ${attempt} failed (${error.message}); retrying in ${wait} ms`);
      await sleep(wait);
    }
  }

  private post(body: Uint8Array): Promise<HttpAnswer> {
    const request = this.url.protocol === 'https:' ? httpsRequest : httpRequest;
    // The exporter's own requests must not become spans (nor inject headers).
    return context.with(suppressTracing(ROOT_CONTEXT), () =>
      new Promise<HttpAnswer>((resolve, reject) => {
        const req = request(this.url, {
          method: 'POST',
          agent: this.agent,
          headers: { ...this.headers, 'content-length': String(body.length) },
          timeout: this.timeoutMillis,
        });
        req.on('timeout', () => req.destroy(new Error(`OTLP export timed out after ${this.timeoutMillis} ms`)));
        req.on('error', reject);
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
          );
        });
        req.end(body);
      }),
    );
  }
}
