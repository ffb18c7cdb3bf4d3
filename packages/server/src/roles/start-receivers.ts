import type { Logger } from 'pino';
import type { AriadneConfig } from '../config/config.js';
import type { SpansConsumer } from '../model/spans-consumer.js';
import { OtlpGrpcReceiver } from '../receiver/otlp-grpc-receiver.js';
import { createOtlpHttpReceiver } from '../receiver/otlp-http-receiver.js';
import { createZipkinReceiver } from '../receiver/zipkin-receiver.js';
import { boundPort } from './bound-port.js';

export interface RunningReceivers {
  stats: () => Record<string, unknown>;
  /** Stops taking requests; those in flight finish. */
  close(): Promise<void>;
}

/** OTLP/HTTP, OTLP/gRPC and Zipkin receivers into `consumer`, each logging the address it listens on. */
export async function startReceivers(config: AriadneConfig, consumer: SpansConsumer, log: Logger): Promise<RunningReceivers> {
  const { maxBodyBytes, host } = config;
  const http = createOtlpHttpReceiver({ consumer, maxBodyBytes, logger: log });
  const zipkin = createZipkinReceiver({ consumer, maxBodyBytes, logger: log });
  const grpc = new OtlpGrpcReceiver({ consumer, host, port: config.otlpGrpcPort, maxBodyBytes, log });
  await http.app.listen({ host, port: config.otlpHttpPort });
  log.info(`OTLP/HTTP receiver listening on http://${host}:${boundPort(http.app)}/v1/traces`);
  await grpc.start();
  log.info(`OTLP/gRPC receiver listening on ${host}:${grpc.port}`);
  await zipkin.app.listen({ host, port: config.zipkinPort });
  log.info(`Zipkin receiver listening on http://${host}:${boundPort(zipkin.app)}/api/v2/spans`);
  return {
    stats: () => ({ otlpHttp: http.stats, otlpGrpc: grpc.stats, zipkin: zipkin.stats }),
    async close() {
      await Promise.all([http.app.close(), zipkin.app.close(), grpc.shutdown()]);
    },
  };
}
