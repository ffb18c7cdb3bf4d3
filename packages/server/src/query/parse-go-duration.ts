const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n, // U+00B5 micro sign
  'μs': 1_000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const MAX = 1n << 63n;

const quote = (s: string): string => JSON.stringify(s);
const invalid = (orig: string): Error => new Error(`time: invalid duration ${quote(orig)}`);
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/**
 * Go's `time.ParseDuration`, same grammar, overflow rules and error texts, since Jaeger's
 * `minDuration`/`maxDuration` are Go durations. Returns nanoseconds.
 */
export function parseGoDuration(orig: string): bigint {
  let s = orig;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw invalid(orig);
  let total = 0n;
  while (s !== '') {
    if (!(s[0] === '.' || isDigit(s[0]))) throw invalid(orig);
    let i = 0;
    let whole = 0n;
    for (; isDigit(s[i]); i++) {
      whole = whole * 10n + BigInt(s.charCodeAt(i) - 48);
      if (whole > MAX) throw invalid(orig);
    }
    const pre = i > 0;
    s = s.slice(i);
    let fraction = 0n;
    let scale = 1;
    let post = false;
    if (s[0] === '.') {
      s = s.slice(1);
      let j = 0;
      let overflow = false;
      for (; isDigit(s[j]); j++) {
        if (overflow) continue;
        const next = fraction * 10n + BigInt(s.charCodeAt(j) - 48);
        if (fraction > (MAX - 1n) / 10n || next > MAX) {
          overflow = true;
          continue;
        }
        fraction = next;
        scale *= 10;
      }
      post = j > 0;
      s = s.slice(j);
    }
    if (!pre && !post) throw invalid(orig);
    let u = 0;
    while (u < s.length && s[u] !== '.' && !isDigit(s[u])) u++;
    if (u === 0) throw new Error(`time: missing unit in duration ${quote(orig)}`);
    const unitName = s.slice(0, u);
    s = s.slice(u);
    const unit = UNITS[unitName];
    if (unit === undefined) throw new Error(`time: unknown unit ${quote(unitName)} in duration ${quote(orig)}`);
    if (whole > MAX / unit) throw invalid(orig);
    let value = whole * unit;
    if (fraction > 0n) {
      // Go adds the fraction through float64 too, so rounding matches.
      value += BigInt(Math.trunc(Number(fraction) * (Number(unit) / scale)));
      if (value > MAX) throw invalid(orig);
    }
    total += value;
    if (total > MAX) throw invalid(orig);
  }
  if (neg) return -total;
  if (total > MAX - 1n) throw invalid(orig);
  return total;
}
