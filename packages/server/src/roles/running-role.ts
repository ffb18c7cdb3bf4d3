/** A started role. `shutdown` stops listening, flushes what the role holds and is idempotent. */
export interface RunningRole {
  shutdown(): Promise<void>;
}

/** Makes `stop` run once, whatever the number of callers. */
export function once(stop: () => Promise<void>): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => (stopping ??= stop());
}
