import { erfc } from './proportions';

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; about 1e-15 relative). */
export function lnGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The regularised upper incomplete gamma Q(a, x): a series below a + 1, a continued fraction above. */
export function gammaQ(a: number, x: number): number {
  if (!(x > 0)) return 1;
  const lead = -x + a * Math.log(x) - lnGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
    }
    return Math.max(0, 1 - sum * Math.exp(lead));
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    d = Math.abs(d) < tiny ? tiny : d;
    c = b + an / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(lead) * h;
}

/** P(χ²_df ≥ x), as scipy.stats.chi2.sf. */
export function chi2Sf(x: number, df: number): number {
  if (df === 1) return erfc(Math.sqrt(Math.max(0, x) / 2));
  return gammaQ(df / 2, x / 2);
}

export interface McNemar {
  /** Rows A got right and B wrong, and the other way round. */
  a_only: number;
  b_only: number;
  /** χ² with continuity correction, (|b − c| − 1)² / (b + c). */
  statistic: number | null;
  /** Exact binomial p-value when b + c < 25 (as statsmodels' mcnemar(exact=True)), else the corrected χ² one. */
  p_value: number | null;
  exact: boolean;
}

/** McNemar's test on the discordant pairs of two classifiers scored on the same rows. */
export function mcnemar(aOnly: number, bOnly: number): McNemar {
  const n = aOnly + bOnly;
  if (n === 0) return { a_only: 0, b_only: 0, statistic: null, p_value: null, exact: true };
  const statistic = (Math.abs(aOnly - bOnly) - 1) ** 2 / n;
  if (n >= 25) return { a_only: aOnly, b_only: bOnly, statistic, p_value: chi2Sf(statistic, 1), exact: false };
  // Two-sided exact: 2 · P(X ≤ min(b, c)), X ~ Binomial(n, ½), at most 1.
  const k = Math.min(aOnly, bOnly);
  let cdf = 0;
  for (let i = 0; i <= k; i++) cdf += Math.exp(lnGamma(n + 1) - lnGamma(i + 1) - lnGamma(n - i + 1) - n * Math.LN2);
  return { a_only: aOnly, b_only: bOnly, statistic, p_value: Math.min(1, 2 * cdf), exact: true };
}

/** Pearson's χ² test of independence on a contingency table (rows × columns), as scipy.stats.chi2_contingency (Yates' correction when df = 1). */
export function chi2Contingency(table: number[][]): { statistic: number; df: number; p_value: number } | null {
  const rows = table.map((r) => r.reduce((a, x) => a + x, 0));
  const cols = table[0].map((_, j) => table.reduce((a, r) => a + r[j], 0));
  const total = rows.reduce((a, x) => a + x, 0);
  const keepCols = cols.map((c, j) => (c > 0 ? j : -1)).filter((j) => j >= 0);
  const keepRows = rows.map((r, i) => (r > 0 ? i : -1)).filter((i) => i >= 0);
  const df = (keepRows.length - 1) * (keepCols.length - 1);
  if (df <= 0 || total === 0) return null;
  let statistic = 0;
  for (const i of keepRows) {
    for (const j of keepCols) {
      const expected = (rows[i] * cols[j]) / total;
      let diff = Math.abs(table[i][j] - expected);
      if (df === 1) diff = Math.max(0, diff - 0.5);
      statistic += (diff * diff) / expected;
    }
  }
  return { statistic, df, p_value: chi2Sf(statistic, df) };
}

/** Kolmogorov's limiting distribution: P(K ≥ z) = 2 Σ (−1)^(k−1) e^(−2k²z²), as scipy.stats.kstwobign.sf. */
export function kolmogorovSf(z: number): number {
  if (z <= 0) return 1;
  if (z < 1.18) {
    // The other series (better for small z): 1 − √(2π)/z Σ e^(−(2k−1)²π²/(8z²)).
    const w = (Math.PI * Math.PI) / (8 * z * z);
    let s = 0;
    for (let k = 1; k < 100; k++) {
      const t = Math.exp(-((2 * k - 1) ** 2) * w);
      s += t;
      if (t < 1e-17) break;
    }
    return 1 - (Math.sqrt(2 * Math.PI) / z) * s;
  }
  let s = 0;
  for (let k = 1; k < 100; k++) {
    const t = Math.exp(-2 * k * k * z * z);
    s += (k % 2 ? 1 : -1) * t;
    if (t < 1e-17) break;
  }
  return Math.min(1, 2 * s);
}

/** Past this many values in either sample the KS p-value is asymptotic (scipy's ks_2samp switches at the same size). */
export const KS_EXACT_MAX = 10000;

/**
 * Two-sample Kolmogorov–Smirnov on ascending-sorted samples, two-sided: D = sup |F_a − F_b| (as
 * scipy.stats.ks_2samp) and its p-value — exact (as ks_2samp's default) up to KS_EXACT_MAX values
 * per sample, beyond that Kolmogorov's limiting distribution at √(mn/(m+n)) · D.
 */
export function ks2(a: Float64Array, b: Float64Array): { statistic: number; p_value: number; exact: boolean } | null {
  const m = a.length;
  const n = b.length;
  if (!m || !n) return null;
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < m && j < n) {
    const x = Math.min(a[i], b[j]);
    while (i < m && a[i] === x) i++;
    while (j < n && b[j] === x) j++;
    d = Math.max(d, Math.abs(i / m - j / n));
  }
  if (Math.max(m, n) <= KS_EXACT_MAX) return { statistic: d, p_value: ksExactP(m, n, d), exact: true };
  return { statistic: d, p_value: kolmogorovSf(Math.sqrt((m * n) / (m + n)) * d), exact: false };
}

const gcd = (x: number, y: number): number => (y ? gcd(y, x % y) : x);

/**
 * P(D ≥ d) for samples of m and n values with no ties across them: the share of monotone lattice
 * paths from (0, 0) to (m, n) that touch |x/m − y/n| ≥ d. D is a multiple of g/(mn) (g = gcd), so
 * with h = round(d · mn/g) a path point is inside when |xn − ym| < hg, in integers. The paths are
 * walked as a Markov chain (a uniformly random path steps right with chance (m−x)/(m−x+n−y)), so
 * the values are probabilities and never overflow.
 */
function ksExactP(m: number, n: number, d: number): number {
  const g = gcd(m, n);
  const h = Math.round((d * m * n) / g);
  if (h === 0) return 1;
  const lim = h * g;
  const col = new Float64Array(n + 1);
  col[0] = 1;
  let prevLo = 0;
  let prevHi = 0;
  for (let x = 0; x <= m; x++) {
    // Inside points of this column: (xn − hg)/m < y < (xn + hg)/m.
    const lo = Math.max(0, Math.floor((x * n - lim) / m) + 1);
    const hi = Math.min(n, Math.ceil((x * n + lim) / m) - 1);
    for (let y = prevLo; y < lo; y++) col[y] = 0;
    for (let y = Math.max(hi + 1, prevLo); y <= Math.min(n, prevHi); y++) col[y] = 0;
    for (let y = Math.max(lo, 1); y <= hi; y++) col[y] += (col[y - 1] * (n - y + 1)) / (m - x + n - y + 1);
    if (x === m) return hi === n ? Math.min(1, Math.max(0, 1 - col[n])) : 1;
    for (let y = lo; y <= hi; y++) col[y] *= (m - x) / (m - x + n - y);
    [prevLo, prevHi] = [lo, hi];
  }
  return 1;
}

/** The 1-Wasserstein distance of two ascending-sorted samples (as scipy.stats.wasserstein_distance): ∫ |F_a − F_b|. */
export function wasserstein(a: Float64Array, b: Float64Array): number | null {
  const m = a.length;
  const n = b.length;
  if (!m || !n) return null;
  let i = 0;
  let j = 0;
  let area = 0;
  let prev = Math.min(a[0], b[0]);
  while (i < m || j < n) {
    const x = j >= n || (i < m && a[i] <= b[j]) ? a[i] : b[j];
    area += Math.abs(i / m - j / n) * (x - prev);
    prev = x;
    while (i < m && a[i] === x) i++;
    while (j < n && b[j] === x) j++;
  }
  return area;
}

/** Bin proportions below this count as this (so an empty bin does not make PSI infinite). */
export const PSI_FLOOR = 1e-4;

/** Population stability index of two distributions over the same bins: Σ (q − p) ln(q / p), proportions floored at PSI_FLOOR. */
export function psi(ref: ArrayLike<number>, cur: ArrayLike<number>): number | null {
  const sr = Array.from(ref).reduce((a, x) => a + x, 0);
  const sc = Array.from(cur).reduce((a, x) => a + x, 0);
  if (!sr || !sc) return null;
  let s = 0;
  for (let k = 0; k < ref.length; k++) {
    const p = Math.max(ref[k] / sr, PSI_FLOOR);
    const q = Math.max(cur[k] / sc, PSI_FLOOR);
    s += (q - p) * Math.log(q / p);
  }
  return s;
}

/** Jensen–Shannon distance (natural log; as scipy.spatial.distance.jensenshannon) of two count vectors over the same categories. */
export function jensenShannon(p: ArrayLike<number>, q: ArrayLike<number>): number | null {
  const sp = Array.from(p).reduce((a, x) => a + x, 0);
  const sq = Array.from(q).reduce((a, x) => a + x, 0);
  if (!sp || !sq) return null;
  let js = 0;
  for (let k = 0; k < p.length; k++) {
    const a = p[k] / sp;
    const b = q[k] / sq;
    const m = (a + b) / 2;
    if (a > 0) js += a * Math.log(a / m);
    if (b > 0) js += b * Math.log(b / m);
  }
  return Math.sqrt(Math.max(0, js / 2));
}

/** Upper edges of `bins` quantile bins of an ascending-sorted sample (NumPy's linear quantiles at 1/bins, …, (bins−1)/bins). */
export function quantileEdges(sorted: Float64Array, bins: number): number[] {
  const n = sorted.length;
  return Array.from({ length: bins - 1 }, (_, k) => {
    const pos = ((n - 1) * (k + 1)) / bins;
    const lo = Math.floor(pos);
    const hi = Math.min(n - 1, lo + 1);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  });
}

/** Counts of a sorted sample in the bins the edges make: bin k holds edge[k−1] < x ≤ edge[k] (NumPy searchsorted, side='left'). */
export function binCounts(sorted: Float64Array, edges: number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  let k = 0;
  for (const x of sorted) {
    while (k < edges.length && x > edges[k]) k++;
    counts[k]++;
  }
  return counts;
}

/**
 * The regularised incomplete beta I_x(a, b), by its continued fraction (modified Lentz), on the side
 * where it converges fast. `y` is 1 − x, given where the caller knows it more precisely than 1 − x.
 */
export function betaI(a: number, b: number, x: number, y = 1 - x): number {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  // ln x and ln(1 − x) from whichever of x and y is the smaller, so that neither loses digits near 1.
  const lnx = x > 0.5 ? Math.log1p(-y) : Math.log(x);
  const lny = y > 0.5 ? Math.log1p(-x) : Math.log(y);
  const lead = Math.exp(a * lnx + b * lny - lnBeta(a, b));
  if (x > (a + 1) / (a + b + 2)) return 1 - (lead * betaFraction(b, a, y)) / b;
  return (lead * betaFraction(a, b, x)) / a;
}

/** ln Γ(x) − Stirling's (x − ½) ln x − x + ½ ln 2π, by its series (x ≥ 10). */
function stirlingRest(x: number): number {
  const r = 1 / (x * x);
  return (1 / 12 - r * (1 / 360 - r * (1 / 1260 - r * (1 / 1680 - r / 1188)))) / x;
}

/**
 * ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b). With both arguments large (Student's t with many
 * degrees of freedom has a = df/2), the three ln Γ are ~1e7 and their difference would keep only a
 * few digits: Stirling's terms are then taken apart so that the large ones cancel exactly.
 */
function lnBeta(a: number, b: number): number {
  const [p, q] = a < b ? [a, b] : [b, a];
  if (q < 10) return lnGamma(p) + lnGamma(q) - lnGamma(p + q);
  // ln Γ(q) − ln Γ(p + q) = −p ln(p + q) − (q − ½) ln1p(p / q) + p + rest(q) − rest(p + q).
  const big = -p * Math.log(p + q) - (q - 0.5) * Math.log1p(p / q) + p + stirlingRest(q) - stirlingRest(p + q);
  return lnGamma(p) + big;
}

function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  const clamp = (v: number) => (Math.abs(v) < tiny ? tiny : v);
  let c = 1;
  let d = 1 / clamp(1 - ((a + b) * x) / (a + 1));
  let h = d;
  for (let m = 1; m < 100000; m++) {
    const m2 = 2 * m;
    let an = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 / clamp(1 + an * d);
    c = clamp(1 + an / c);
    h *= d * c;
    an = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 / clamp(1 + an * d);
    c = clamp(1 + an / c);
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return h;
}

/** P(|T| ≥ |t|) for Student's t with df degrees of freedom: 2 · scipy.stats.t.sf(|t|, df). */
export function tTwoSided(t: number, df: number): number {
  if (Number.isNaN(t)) return NaN;
  if (!Number.isFinite(t)) return 0;
  const t2 = t * t;
  return Math.min(1, betaI(df / 2, 0.5, df / (df + t2), t2 / (df + t2)));
}

export interface PairedT {
  /** Pairs (rows) and the mean of their differences. */
  n: number;
  mean_difference: number;
  /** t and its degrees of freedom (n − 1); null (with the p-value) when the differences do not vary, or n < 2. */
  statistic: number | null;
  df: number;
  p_value: number | null;
}

/**
 * The paired t-test of differences d (as scipy.stats.ttest_rel(b, a) on d = b − a, two-sided):
 * t = mean(d) / (sd(d) / √n), sd with n − 1. Differences that are all equal have no test (scipy's
 * NaN; an infinite t when they are equal and not zero gives p = 0 there, and no test here either).
 */
export function pairedT(d: ArrayLike<number>): PairedT {
  const n = d.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += d[i];
  const mean = n ? sum / n : NaN;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (d[i] - mean) ** 2;
  const df = n - 1;
  if (n < 2 || ss === 0) return { n, mean_difference: mean, statistic: null, df, p_value: null };
  const statistic = mean / Math.sqrt(ss / df / n);
  return { n, mean_difference: mean, statistic, df, p_value: tTwoSided(statistic, df) };
}
