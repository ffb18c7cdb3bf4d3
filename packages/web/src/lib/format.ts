/** A duration in ms as people read it: 850µs, 12.3ms, 4.56s, 2m 5s. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms === 0) return '0';
  const abs = Math.abs(ms);
  if (abs < 1) return `${round(ms * 1000, 3)}µs`;
  if (abs < 1000) return `${round(ms, 3)}ms`;
  if (abs < 60_000) return `${round(ms / 1000, 3)}s`;
  const minutes = Math.trunc(ms / 60_000);
  return `${minutes}m ${Math.round((ms - minutes * 60_000) / 1000)}s`;
}

/** Three significant digits at most. */
function round(value: number, digits: number): string {
  return String(Number(value.toPrecision(digits)));
}

export const formatTime = (ms: number): string =>
  new Date(ms).toLocaleString(undefined, { hour12: false, year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });

export const formatClock = (ms: number): string =>
  new Date(ms).toLocaleTimeString(undefined, { hour12: false, hour: '2-digit', minute: '2-digit', second: '2-digit' });

export const formatPercent = (ratio: number): string => `${round(ratio * 100, 3)}%`;

export const formatCount = (n: number): string => (n >= 10_000 ? `${round(n / 1000, 3)}k` : String(n));
