/** erfc(x) to about 1e-15 relative: Taylor series of erf for |x| < 2, a continued fraction beyond. */
export function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  if (x < 2) {
    // erf(x) = 2/√π Σ (−1)^k x^(2k+1) / (k! (2k+1))
    let term = x;
    let sum = x;
    for (let k = 1; k < 200; k++) {
      term *= (-x * x) / k;
      const add = term / (2 * k + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))), by Lentz's method.
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

/** Two-sided p-value of a standard normal statistic z. */
export const twoSidedP = (z: number) => erfc(Math.abs(z) / Math.SQRT2);

/**
 * Two-proportion z-test (pooled, two-sided; as statsmodels' proportions_ztest): k1 of n1 against
 * k2 of n2. Null when either group is empty or the pooled proportion is 0 or 1.
 */
export function twoProportionTest(k1: number, n1: number, k2: number, n2: number): number | null {
  if (n1 <= 0 || n2 <= 0) return null;
  const p = (k1 + k2) / (n1 + n2);
  const se = Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
  if (!(se > 0)) return null;
  return twoSidedP((k1 / n1 - k2 / n2) / se);
}

/**
 * Benjamini–Hochberg adjusted p-values (as statsmodels' multipletests(method='fdr_bh')): sorted
 * ascending, p_(i)·m/i, made monotone from the largest down, capped at 1. Nulls stay null and do
 * not count in m.
 */
export function benjaminiHochberg(ps: (number | null)[]): (number | null)[] {
  const idx = ps
    .map((p, i) => [p, i] as const)
    .filter((x): x is readonly [number, number] => x[0] !== null)
    .sort((a, b) => a[0] - b[0]);
  const m = idx.length;
  const out: (number | null)[] = ps.map(() => null);
  let running = 1;
  for (let r = m - 1; r >= 0; r--) {
    running = Math.min(running, (idx[r][0] * m) / (r + 1));
    out[idx[r][1]] = running;
  }
  return out;
}
