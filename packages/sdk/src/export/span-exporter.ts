import type { RecordingSpan } from '../trace/recording-span.js';

export enum ExportResultCode {
  SUCCESS = 0,
  FAILED = 1,
}

export interface ExportResult {
  code: ExportResultCode;
  error?: Error;
}

/**
 * Sends finished spans somewhere. `export` never rejects: failures resolve FAILED. The spans
 * must not be changed. After `shutdown` (idempotent) every export resolves FAILED.
 */
export interface SpanExporter {
  export(spans: readonly RecordingSpan[]): Promise<ExportResult>;
  /** Sends the batches synchronously, from a process 'exit' listener; optional. */
  exportAtExit?(batches: ReadonlyArray<readonly RecordingSpan[]>): ExportResult;
  shutdown(): Promise<void>;
}
