import { confusionMetrics } from '../metrics/classification';
import { sortClasses } from '../table/classNames';

/** Labels of the same items by two or more reviewers: `labels[r][i]` is reviewer r's label of item i. */
export interface AgreementInput {
  reviewers: string[];
  labels: string[][];
}

export interface Agreement {
  items: number;
  /** Per pair of reviewers; numeric labels (a regression's) have the mean absolute difference and no kappa. */
  pairs: Record<string, { cohen_kappa: number | null; percent_agreement: number; mean_abs_difference?: number }>;
  fleiss_kappa: number | null;
  /** Numeric labels: Krippendorff's alpha with the interval metric, over every id two or more reviewers labelled. */
  krippendorff_alpha?: number | null;
}

const finiteOrNull = (v: number) => (Number.isFinite(v) ? v : null);

/** Cohen's kappa of two reviewers (as scikit-learn's cohen_kappa_score: classes = both reviewers' labels). */
export function cohenKappa(a: string[], b: string[]): number {
  const classes = sortClasses([...a, ...b]);
  const at = new Map(classes.map((c, i) => [c, i]));
  const k = classes.length;
  const m = new Float64Array(k * k);
  for (let i = 0; i < a.length; i++) m[at.get(a[i])! * k + at.get(b[i])!]++;
  return confusionMetrics(m, k).cohen_kappa;
}

/**
 * Fleiss' kappa over items each labelled by the same number of reviewers (as statsmodels'
 * fleiss_kappa on the items × categories count table): (P̄ − P̄e) / (1 − P̄e).
 */
export function fleissKappa(labels: string[][]): number {
  const n = labels.length;
  const items = labels[0]?.length ?? 0;
  const classes = sortClasses(labels.flat());
  const at = new Map(classes.map((c, i) => [c, i]));
  const totals = new Float64Array(classes.length);
  let pSum = 0;
  for (let i = 0; i < items; i++) {
    const counts = new Float64Array(classes.length);
    for (const r of labels) counts[at.get(r[i])!]++;
    let sq = 0;
    counts.forEach((c, j) => ((sq += c * c), (totals[j] += c)));
    pSum += (sq - n) / (n * (n - 1));
  }
  const pBar = pSum / items;
  let pe = 0;
  for (const t of totals) pe += (t / (items * n)) ** 2;
  return (pBar - pe) / (1 - pe);
}

/** Percent agreement and Cohen's kappa per pair of reviewers, Fleiss' kappa over all. */
export function agreement({ reviewers, labels }: AgreementInput): Agreement {
  const pairs: Agreement['pairs'] = {};
  for (let a = 0; a < reviewers.length; a++) {
    for (let b = a + 1; b < reviewers.length; b++) {
      let same = 0;
      labels[a].forEach((l, i) => (same += l === labels[b][i] ? 1 : 0));
      pairs[`${reviewers[a]}|${reviewers[b]}`] = {
        cohen_kappa: finiteOrNull(cohenKappa(labels[a], labels[b])),
        percent_agreement: labels[a].length ? same / labels[a].length : 0,
      };
    }
  }
  return {
    items: labels[0]?.length ?? 0,
    pairs,
    fleiss_kappa: reviewers.length >= 2 ? finiteOrNull(fleissKappa(labels)) : null,
  };
}

/**
 * Agreement per class (specific agreement, Fleiss 1971): of the pairs of reviewers' labels on the
 * same item where one of them chose the class, the share where the other chose it too —
 * Σᵢ nᵢⱼ(nᵢⱼ − 1) / Σᵢ nᵢⱼ(n − 1), nᵢⱼ the reviewers choosing class j for item i. For two reviewers
 * it is 2a / (2a + b + c). Null for a class nobody chose.
 */
export function perClassAgreement(labels: string[][]): Record<string, number | null> {
  const n = labels.length;
  const items = labels[0]?.length ?? 0;
  const classes = sortClasses(labels.flat());
  const at = new Map(classes.map((c, i) => [c, i]));
  const num = new Float64Array(classes.length);
  const den = new Float64Array(classes.length);
  const counts = new Float64Array(classes.length);
  for (let i = 0; i < items; i++) {
    counts.fill(0);
    for (const r of labels) counts[at.get(r[i])!]++;
    counts.forEach((c, j) => ((num[j] += c * (c - 1)), (den[j] += c * (n - 1))));
  }
  return Object.fromEntries(classes.map((c, j) => [c, den[j] ? num[j] / den[j] : null]));
}

export interface Vote {
  id: string;
  /** Each reviewer's label, in the order of the reviewers given (null: not labelled by them). */
  labels: (string | null)[];
  /** The most frequent label (null on a tie); of numeric labels, their median. */
  merged: string | null;
  /**
   * agreed: two or more reviewers, one label; single: only one reviewer labelled it (no agreement
   * to speak of); median: numeric labels that differ, merged to their median.
   */
  status: 'agreed' | 'single' | 'majority' | 'tie' | 'median';
  /** Numeric labels: the largest minus the smallest (0 when they agree). */
  spread?: number;
}

/**
 * Merge by majority vote: for every id labelled by at least one reviewer, the label most of its
 * reviewers chose; a tie is left open (null) to be settled by review. Ids in first-seen order.
 */
export function majorityVote(byReviewer: Map<string, string>[]): Vote[] {
  const ids = new Set<string>();
  for (const m of byReviewer) for (const id of m.keys()) ids.add(id);
  return [...ids].map((id) => {
    const labels = byReviewer.map((m) => m.get(id) ?? null);
    const tally = new Map<string, number>();
    for (const l of labels) if (l !== null) tally.set(l, (tally.get(l) ?? 0) + 1);
    const ranked = [...tally].sort((a, b) => b[1] - a[1]);
    const status =
      ranked.length === 1
        ? ranked[0][1] === 1
          ? 'single'
          : 'agreed'
        : ranked[0][1] > ranked[1][1]
          ? 'majority'
          : 'tie';
    return { id, labels, merged: status === 'tie' ? null : ranked[0][0], status };
  });
}

/**
 * Merge of numeric labels (a regression's): for every id labelled by at least one reviewer, the
 * median of their values (of an even number, the mean of the middle two, as NumPy's median). Values
 * that are not numbers are left out; an id with none has no merged label. Ids in first-seen order.
 */
export function medianMerge(byReviewer: Map<string, string>[]): Vote[] {
  const ids = new Set<string>();
  for (const m of byReviewer) for (const id of m.keys()) ids.add(id);
  return [...ids].map((id) => {
    const labels = byReviewer.map((m) => m.get(id) ?? null);
    const xs = labels
      .map((l) => (l === null || l.trim() === '' ? NaN : Number(l)))
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
    const h = xs.length >> 1;
    const median = xs.length % 2 ? xs[h] : (xs[h - 1] + xs[h]) / 2;
    const spread = xs.length ? xs[xs.length - 1] - xs[0] : 0;
    const status = xs.length === 1 ? 'single' : spread === 0 ? 'agreed' : 'median';
    return { id, labels, merged: xs.length ? String(median) : null, status, spread };
  });
}

/** The merge of every id's labels: a majority vote, or of numeric labels (`numeric`) their median. */
export const mergeVotes = (byReviewer: Map<string, string>[], numeric: boolean): Vote[] =>
  numeric ? medianMerge(byReviewer) : majorityVote(byReviewer);

/**
 * Krippendorff's alpha with the interval metric (Krippendorff 2011, "Computing Krippendorff's
 * alpha-reliability"): 1 − D_o / D_e, where D_o is the mean squared difference between two values
 * of the same unit (each unit's pairs weighted 1 / (m_u − 1)) and D_e that between any two values.
 * `values[r][u]` is reviewer r's value of unit u, NaN where r gave none; units with fewer than two
 * values are left out. Null when fewer than two values can be paired or every value is the same.
 */
export function krippendorffInterval(values: ArrayLike<number>[]): number | null {
  const units = values[0]?.length ?? 0;
  let n = 0;
  let sum = 0;
  for (const r of values)
    for (let u = 0; u < units; u++) if (paired(values, u) && Number.isFinite(r[u])) (n++, (sum += r[u]));
  if (n < 2) return null;
  const mean = sum / n;
  // Σ over ordered pairs i ≠ j of (v_i − v_j)² = 2m Σ (v_i − v̄)²: per unit, and over all values.
  let within = 0;
  let total = 0;
  for (let u = 0; u < units; u++) {
    if (!paired(values, u)) continue;
    let m = 0;
    let s = 0;
    for (const r of values) if (Number.isFinite(r[u])) (m++, (s += r[u] - mean));
    const um = s / m;
    let sq = 0;
    for (const r of values) if (Number.isFinite(r[u])) ((sq += (r[u] - mean - um) ** 2), (total += (r[u] - mean) ** 2));
    within += (2 * m * sq) / (m - 1);
  }
  const dO = within / n;
  const dE = (2 * n * total) / (n * (n - 1));
  return dE > 0 ? 1 - dO / dE : null;
}

/** Whether unit u has two or more values. */
function paired(values: ArrayLike<number>[], u: number): boolean {
  let m = 0;
  for (const r of values) if (Number.isFinite(r[u]) && ++m === 2) return true;
  return false;
}

/**
 * Agreement of numeric labels: per pair of reviewers (over the ids both labelled) the share of equal
 * values and the mean absolute difference; Krippendorff's alpha (interval) over all. `labels[r]`
 * maps id → value as text; `items` counts the ids every reviewer labelled.
 */
export function numericAgreement(reviewers: string[], labels: Map<string, string>[]): Agreement {
  const ids = [...new Set(labels.flatMap((m) => [...m.keys()]))];
  const num = (v: string | undefined) => (v === undefined || v.trim() === '' ? NaN : Number(v));
  const values = labels.map((m) => Float64Array.from(ids, (id) => num(m.get(id))));
  const pairs: Agreement['pairs'] = {};
  for (let a = 0; a < reviewers.length; a++) {
    for (let b = a + 1; b < reviewers.length; b++) {
      let both = 0;
      let same = 0;
      let diff = 0;
      values[a].forEach((x, u) => {
        const y = values[b][u];
        if (Number.isFinite(x) && Number.isFinite(y)) (both++, (same += x === y ? 1 : 0), (diff += Math.abs(x - y)));
      });
      pairs[`${reviewers[a]}|${reviewers[b]}`] = {
        cohen_kappa: null,
        percent_agreement: both ? same / both : 0,
        mean_abs_difference: both ? diff / both : NaN,
      };
    }
  }
  const all = ids.filter((_, u) => values.every((v) => Number.isFinite(v[u]))).length;
  return { items: all, pairs, fleiss_kappa: null, krippendorff_alpha: krippendorffInterval(values) };
}
