import type { ReactNode } from 'react';
import { href, navigate, useLocation } from '../lib/router';
import { DEFAULT_RANGE } from '../lib/time-range';
import { TimeRangePicker } from './TimeRangePicker';

/** A page title with the time range picker; the range lives in the URL like everything else. */
export function RangeBar({ title, children }: { title: ReactNode; children?: ReactNode }) {
  const { path, params } = useLocation();
  const value = { range: params.get('range') ?? DEFAULT_RANGE, start: params.get('start') ?? '', end: params.get('end') ?? '' };
  return (
    <div className="range-bar">
      <h1>{title}</h1>
      {children}
      <span className="spacer" />
      <TimeRangePicker
        value={value}
        onChange={(v) =>
          navigate(
            href(path, {
              ...Object.fromEntries(params),
              range: v.range === DEFAULT_RANGE ? '' : v.range,
              start: v.range === 'custom' ? v.start : '',
              end: v.range === 'custom' ? v.end : '',
            }),
          )
        }
      />
    </div>
  );
}

/** The range params to carry over on links between pages. */
export function rangeParams(params: URLSearchParams): Record<string, string | null> {
  return { range: params.get('range'), start: params.get('start'), end: params.get('end') };
}
