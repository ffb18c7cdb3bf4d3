/** Time range presets shared by every page; the URL holds `range` (a preset) or `range=custom` with `start`/`end` in ms. */
export const RANGE_PRESETS: { value: string; label: string; ms: number }[] = [
  { value: '15m', label: 'Last 15 minutes', ms: 15 * 60_000 },
  { value: '1h', label: 'Last hour', ms: 3_600_000 },
  { value: '6h', label: 'Last 6 hours', ms: 6 * 3_600_000 },
  { value: '24h', label: 'Last 24 hours', ms: 24 * 3_600_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 24 * 3_600_000 },
];

export const DEFAULT_RANGE = '1h';

/** The window a URL asks for, resolved against `now`. */
export function resolveRange(params: URLSearchParams, now: number): { start: number; end: number } {
  const range = params.get('range') ?? DEFAULT_RANGE;
  if (range === 'custom') {
    const start = Number(params.get('start'));
    const end = Number(params.get('end'));
    if (Number.isFinite(start) && Number.isFinite(end) && start > 0 && end >= start) return { start, end };
  }
  const preset = RANGE_PRESETS.find((p) => p.value === range) ?? RANGE_PRESETS[1];
  return { start: now - preset.ms, end: now };
}

/** Metrics step for a window: about 60 points, whole minutes (the aggregates' resolution). */
export function stepFor(start: number, end: number): number {
  return Math.max(60_000, Math.ceil((end - start) / 60 / 60_000) * 60_000);
}
