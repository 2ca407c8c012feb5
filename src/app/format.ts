/** Display formatting shared by views. */

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) ((v /= 1024), i++);
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export const formatInt = (n: number) => n.toLocaleString('en-US');

/** A count in at most four characters where space is short: 987, 12.3k, 4.57M (the exact count goes in a tooltip). */
export function formatCompact(n: number): string {
  const a = Math.abs(n);
  if (a < 1000) return String(n);
  // 999,999 is 1M, not 1000k.
  const [d, unit] = a < 999_500 ? [1e3, 'k'] : a < 999_500_000 ? [1e6, 'M'] : [1e9, 'B'];
  const v = n / d;
  return `${Math.abs(v) >= 99.95 ? Math.round(v) : Number(v.toPrecision(3))}${unit}`;
}

/** Integers that read as they are: up to 15 digits (beyond, a double holds no exact integer and the digits run on). */
const plainInteger = (v: number) => Number.isInteger(v) && Math.abs(v) < 1e15;

/** A number with 4 significant digits, integers (up to 15 digits) as they are. */
export function formatNumber(v: number): string {
  if (plainInteger(v)) return formatInt(v);
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(3);
  return String(Number(v.toPrecision(4)));
}

/**
 * A value someone checks digit by digit (a regression label under review): ten significant digits
 * with thousands separators (17,818,562.35), e-notation only past 10¹⁵ or below 10⁻⁴.
 */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e15)) return v.toExponential(6);
  return Number(v.toPrecision(10)).toLocaleString('en-US', { maximumFractionDigits: 10 });
}

/** A cell value as text; objects as JSON. Always rendered as text, never as HTML. */
export function formatCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  // Six significant digits, e-notation kept whole: 1.39744e-7 never reads as 1.397… when a column cuts it.
  if (typeof v === 'number') return plainInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export const formatSeconds = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

/**
 * Numbers in the app, one set of rules: metrics with three decimals (four significant digits from 10
 * on), deltas the same with a sign, probabilities with three decimals or in e-notation below 0.001,
 * intervals as [lo, hi] (bootstrap intervals are rarely symmetric, so never ±).
 */
export function formatMetric(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1e5) return v.toExponential(2);
  if (a >= 100) return v.toFixed(1);
  return v.toFixed(a >= 10 ? 2 : 3).replace(/^-/, '−');
}

/** A difference: signed, in the metric's precision; "≈ 0" for a non-zero change that rounds away. */
export function formatDelta(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  const t = formatMetric(Math.abs(v));
  if (v !== 0 && /^0\.0+$/.test(t)) return '≈ 0';
  return `${v >= 0 ? '+' : '−'}${t}`;
}

/** A probability or score in [0, 1]: 0.920, 0.016, 1.4e-7. */
export function formatProb(p: number | null | undefined): string {
  if (p === null || p === undefined || Number.isNaN(p)) return '—';
  return p !== 0 && Math.abs(p) < 1e-3 ? p.toExponential(1) : p.toFixed(3);
}

/** An interval as [lo, hi]. */
export function formatInterval(iv: [number, number] | null | undefined): string {
  return iv ? `[${formatMetric(iv[0])}, ${formatMetric(iv[1])}]` : '';
}

/** A test statistic or p-value: e-notation below 0.001 (p-values are often that small), else as a metric. */
export function formatStat(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  return v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential(2) : formatMetric(v);
}

/** A p-value with three significant digits; one too small for a double (0) as such, not as "0.00". */
export function formatP(p: number | null | undefined): string {
  if (p === null || p === undefined) return '–';
  return p === 0 ? '< 1e-300' : p < 1e-3 ? p.toExponential(2) : p.toPrecision(3);
}
