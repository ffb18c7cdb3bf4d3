import { Server, ServerCredentials, status, type sendUnaryData, type ServerUnaryCall, type ServiceDefinition } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { AriadneError } from '../errors.js';
import type { Component } from '../model/component.js';
import { DEFAULT_TENANT } from '../model/span.js';
import type { SpansConsumer } from '../model/spans-consumer.js';
import { decodeOtlpProtobuf } from '../otlp/decode-otlp-protobuf.js';
import { encodeExportResponseProtobuf } from '../otlp/encode-export-response.js';
import { grpcStatusCode } from './grpc-status-code.js';
import { newReceiverStats } from './receiver-stats.js';

export interface OtlpGrpcReceiverOptions {
  consumer: SpansConsumer;
  host: string;
  /** 0 picks a free port; `port` says which after `start`. */
  port: number;
  /** Largest request message, after gzip; grpc-js answers RESOURCE_EXHAUSTED above. */
  maxBodyBytes: number;
  log: Logger;
}

const identity = (bytes: Buffer): Buffer => bytes;

/**
 * The OTLP TraceService with raw bytes in and out: grpc-js only frames (and gunzips), the
 * hand-written decoder of otlp/ does the decoding, as for OTLP/HTTP.
 */
const TRACE_SERVICE: ServiceDefinition = {
  Export: {
    path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  },
};

/**
 * OTLP/gRPC trace receiver (`TraceService/Export`, default port 4317): gzip, partial success, and
 * errors as gRPC status codes (INVALID_ARGUMENT for bad bodies, UNAVAILABLE when the pipeline is
 * full, so OTLP clients retry). `shutdown` stops taking calls and waits for those in flight.
 */
export class OtlpGrpcReceiver implements Component {
  readonly stats = newReceiverStats();
  port = 0;
  private readonly server: Server;

  constructor(private readonly options: OtlpGrpcReceiverOptions) {
    this.server = new Server({ 'grpc.max_receive_message_length': options.maxBodyBytes });
    this.server.addService(TRACE_SERVICE, { Export: (call: ServerUnaryCall<Buffer, Buffer>, done: sendUnaryData<Buffer>) => void this.export(call.request, done) });
  }

  async start(): Promise<void> {
    const { host, port } = this.options;
    this.port = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync(`${host}:${port}`, ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound))),
    );
  }

  async shutdown(): Promise<void> {
    await new Promise<void>((resolve) => this.server.tryShutdown(() => resolve()));
  }

  private async export(body: Buffer, done: sendUnaryData<Buffer>): Promise<void> {
    try {
      const result = decodeOtlpProtobuf(body, DEFAULT_TENANT);
      if (result.batch.spans.length > 0) await this.options.consumer.consumeSpans(result.batch);
      this.stats.acceptedSpans += result.batch.spans.length;
      this.stats.rejectedSpans += result.rejectedSpans;
      done(null, Buffer.from(encodeExportResponseProtobuf(result.rejectedSpans, result.errorMessage)));
    } catch (err) {
      this.stats.failedRequests++;
      if (!(err instanceof AriadneError)) this.options.log.error({ err }, 'OTLP/gRPC export failed');
      const code = err instanceof AriadneError ? grpcStatusCode(err.statusCode) : status.INTERNAL;
      done({ code, details: err instanceof AriadneError ? err.message : 'internal error while receiving spans' }, null);
    }
  }
}
