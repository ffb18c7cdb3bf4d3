import type { AlertRule, AlertState } from './alert-model.js';

export interface AlertTransition {
  state: AlertState;
  /** What to tell people, when anything. */
  notify?: 'firing' | 'resolved';
}

/** inactive → pending (condition holds, shorter than `for`) → firing → resolved → inactive; one notification per firing and per resolution, plus re-notifications while firing when the rule asks. */
export function nextAlertState(
  rule: Pick<AlertRule, 'id' | 'forSeconds' | 'renotifySeconds'>,
  previous: AlertState | undefined,
  holds: boolean,
  value: number | null,
  nowMs: number,
): AlertTransition {
  const prev: AlertState = previous ?? { id: rule.id, status: 'inactive', value: null, evaluatedAt: nowMs, activeSince: null, firedAt: null, resolvedAt: null, lastNotifiedAt: null };
  const state: AlertState = { ...prev, value, evaluatedAt: nowMs };
  const fire = (): AlertTransition => ({ state: { ...state, status: 'firing', firedAt: nowMs, resolvedAt: null, lastNotifiedAt: nowMs }, notify: 'firing' });
  switch (prev.status) {
    case 'inactive':
    case 'resolved':
      if (!holds) return { state: { ...state, status: 'inactive' } };
      state.activeSince = nowMs;
      return rule.forSeconds === 0 ? fire() : { state: { ...state, status: 'pending' } };
    case 'pending':
      if (!holds) return { state: { ...state, status: 'inactive', activeSince: null } };
      return nowMs - (prev.activeSince ?? nowMs) >= rule.forSeconds * 1000 ? fire() : { state };
    case 'firing':
      if (!holds) return { state: { ...state, status: 'resolved', resolvedAt: nowMs, lastNotifiedAt: nowMs }, notify: 'resolved' };
      if (rule.renotifySeconds > 0 && nowMs - (prev.lastNotifiedAt ?? 0) >= rule.renotifySeconds * 1000) {
        return { state: { ...state, lastNotifiedAt: nowMs }, notify: 'firing' };
      }
      return { state };
  }
}
