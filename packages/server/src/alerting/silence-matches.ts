import type { AlertSilence } from './alert-model.js';

/** Whether an active silence (startsAt ≤ now < endsAt) matches every one of its matchers against the labels. */
export function isSilenced(silences: AlertSilence[], labels: Record<string, string>, nowMs: number): boolean {
  return silences.some((s) => s.startsAt <= nowMs && nowMs < s.endsAt && s.matchers.every((m) => labels[m.label] === m.value));
}
