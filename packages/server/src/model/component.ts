/** A part with a lifecycle. `shutdown` flushes what the part holds and is idempotent. */
export interface Component {
  start(): Promise<void>;
  shutdown(): Promise<void>;
}
