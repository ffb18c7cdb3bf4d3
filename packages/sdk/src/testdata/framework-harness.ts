// Tracing for framework tests: the SERVER span from node:http's diagnostics channels, spans kept
// in memory, plain HTTP requests from outside any trace.
import { request } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '../context/async-local-storage-context-manager.js';
import { InMemorySpanExporter } from '../export/in-memory-span-exporter.js';
import { SimpleSpanProcessor } from '../export/simple-span-processor.js';
import { instrumentHttpServer } from '../instrumentation/http/http-server-channels.js';
import { startTracing } from '../start-tracing.js';
import type { TracingHandle } from '../start-tracing.js';
import { attributesOf } from '../trace/attribute-list.js';
import type { RecordingSpan } from '../trace/recording-span.js';

export interface Harness {
  exporter: InMemorySpanExporter;
  handle: TracingHandle;
}

export function startHarness(): Harness {
  const exporter = new InMemorySpanExporter();
  const handle = startTracing({ env: { OTEL_SERVICE_NAME: 'test' }, contextManager: new AsyncLocalStorageContextManager(), spanProcessors: [new SimpleSpanProcessor(exporter)] });
  instrumentHttpServer();
  return { exporter, handle };
}

export function urlOf(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

/** The spans of the one trace whose SERVER span has ended, once it has (it may end after the reply). */
export async function serverTrace(exporter: InMemorySpanExporter): Promise<{ server: RecordingSpan; spans: RecordingSpan[] }> {
  for (let i = 0; i < 200; i++) {
    const server = exporter.spans.find((s) => s.kind === SpanKind.SERVER);
    if (server !== undefined) {
      // Layer spans that end on the response's close may follow by a tick.
      await new Promise((r) => setTimeout(r, 20));
      const traceId = server.spanContext().traceId;
      return { server, spans: exporter.spans.filter((s) => s.spanContext().traceId === traceId) };
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('no SERVER span ended');
}

export const attrs = (span: RecordingSpan) => attributesOf(span.attributes);
export const parentOf = (span: RecordingSpan) => span.parentSpanContext?.spanId;
