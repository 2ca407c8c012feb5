/** z for a two-sided 95% interval: Φ⁻¹(0.975), as scipy's norm.ppf gives it. */
export const Z95 = 1.959963984540054;

export type Interval = [number, number];

/**
 * Wilson score interval for `k` successes in `n` trials (as statsmodels' proportion_confint,
 * method='wilson'): (p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n). Null when n = 0.
 */
export function wilson(k: number, n: number, z = Z95): Interval | null {
  if (!(n > 0)) return null;
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return [Math.max(0, center - half), Math.min(1, center + half)];
}

/** The q-quantile (0…1) of ascending-sorted values, interpolating linearly (NumPy's default). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** 95% percentile interval of bootstrap replicates (NaN replicates, where the metric is undefined, are left out). */
export function percentileInterval(values: ArrayLike<number>): Interval | null {
  const ok = Float64Array.from(Array.prototype.filter.call(values, (v: number) => !Number.isNaN(v)) as number[]).sort();
  if (ok.length === 0) return null;
  return [quantileSorted(ok, 0.025), quantileSorted(ok, 0.975)];
}
