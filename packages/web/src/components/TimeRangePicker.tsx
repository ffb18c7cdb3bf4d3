import { RANGE_PRESETS } from '../lib/time-range';

const toLocalInput = (ms: number): string => {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
};

export interface RangeValue {
  range: string;
  start: string;
  end: string;
}

/** Preset or custom window; custom start/end are kept in ms since the epoch. */
export function TimeRangePicker({ value, onChange }: { value: RangeValue; onChange: (v: RangeValue) => void }) {
  const now = Date.now();
  return (
    <span className="range-picker">
      <label>
        Time range
        <select
          value={value.range}
          onChange={(e) =>
            onChange(
              e.target.value === 'custom'
                ? { range: 'custom', start: value.start || String(now - 3_600_000), end: value.end || String(now) }
                : { range: e.target.value, start: '', end: '' },
            )
          }
        >
          {RANGE_PRESETS.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
          <option value="custom">Custom…</option>
        </select>
      </label>
      {value.range === 'custom' && (
        <>
          <label>
            From
            <input type="datetime-local" value={toLocalInput(Number(value.start))} onChange={(e) => onChange({ ...value, start: String(new Date(e.target.value).getTime()) })} />
          </label>
          <label>
            To
            <input type="datetime-local" value={toLocalInput(Number(value.end))} onChange={(e) => onChange({ ...value, end: String(new Date(e.target.value).getTime()) })} />
          </label>
        </>
      )}
    </span>
  );
}
