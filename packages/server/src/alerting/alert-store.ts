import type { AlertChannel, AlertNotification, AlertRule, AlertSilence, AlertState } from './alert-model.js';

/** Documents of one kind by id. `put` replaces a whole document and resolves when durable; `list` is newest first. */
export interface AlertCollection<T extends { id: string }> {
  list(options?: { limit?: number; ref?: string }): Promise<T[]>;
  get(id: string): Promise<T | undefined>;
  put(doc: T): Promise<void>;
  /** Resolves false when there was no such document. */
  delete(id: string): Promise<boolean>;
}

/** Alerting's durable state; one store may serve several evaluators and query instances at once. */
export interface AlertStore {
  rules: AlertCollection<AlertRule>;
  channels: AlertCollection<AlertChannel>;
  silences: AlertCollection<AlertSilence>;
  states: AlertCollection<AlertState>;
  /** `list({ ref })` filters by rule id. */
  notifications: AlertCollection<AlertNotification>;
  /**
   * Takes or renews the named lease for `holder` until `nowMs + ttlMs`, by compare-and-set: resolves
   * true only when no other holder has an unexpired lease. At most one holder succeeds at a time.
   */
  acquireLease(name: string, holder: string, ttlMs: number, nowMs: number): Promise<boolean>;
  /** Gives the lease up now if `holder` has it. */
  releaseLease(name: string, holder: string): Promise<void>;
}
