import { wilson, type Interval } from '../stats/intervals';

/** A group's rates for a binary task (null where undefined: no positives for the TPR, say). */
export interface GroupRates {
  rows: number;
  selection_rate: number | null;
  tpr: number | null;
  fpr: number | null;
  precision: number | null;
  accuracy: number | null;
  /** 95% Wilson intervals of each rate. */
  intervals: Record<'selection_rate' | 'tpr' | 'fpr' | 'precision' | 'accuracy', Interval | null>;
}

export interface Fairness {
  task?: undefined;
  positive: string;
  demographic_parity_difference: number | null;
  demographic_parity_ratio: number | null;
  equalized_odds_difference: number | null;
  equalized_odds_ratio: number | null;
  by_group: Record<string, GroupRates>;
}

/** A group's errors and means for a regression task. */
export interface RegressionGroup {
  rows: number;
  mae: number;
  rmse: number;
  mean_prediction: number;
  mean_label: number;
}

/**
 * Group fairness of a regression model, as fairlearn's MetricFrame gives it: per group the mean
 * absolute error, root mean squared error, mean prediction and mean label; between groups
 * (`MetricFrame.difference()` and `.ratio()`) the largest minus the smallest and the smallest over
 * the largest of the mean absolute errors and of the mean predictions.
 */
export interface RegressionFairness {
  task: 'regression';
  mae_difference: number | null;
  mae_ratio: number | null;
  mean_prediction_difference: number | null;
  mean_prediction_ratio: number | null;
  by_group: Record<string, RegressionGroup>;
}

/** `RegressionFairness` of labels `y` and predictions `pred`; `group[i]` is row i's group (−1: left out). */
export function regressionFairness(
  y: ArrayLike<number>,
  pred: ArrayLike<number>,
  group: Int32Array,
  groups: string[],
): RegressionFairness {
  const k = groups.length;
  const [n, abs, sq, sp, sy] = Array.from({ length: 5 }, () => new Float64Array(k));
  for (let i = 0; i < group.length; i++) {
    const g = group[i];
    if (g < 0) continue;
    const e = y[i] - pred[i];
    n[g]++;
    abs[g] += Math.abs(e);
    sq[g] += e * e;
    sp[g] += pred[i];
    sy[g] += y[i];
  }
  const by_group: Record<string, RegressionGroup> = Object.create(null); // keyed by values of the data
  groups.forEach((name, g) => {
    if (n[g])
      by_group[name] = {
        rows: n[g],
        mae: abs[g] / n[g],
        rmse: Math.sqrt(sq[g] / n[g]),
        mean_prediction: sp[g] / n[g],
        mean_label: sy[g] / n[g],
      };
  });
  const shown = Object.values(by_group);
  const mae = spread(shown.map((r) => r.mae));
  const mean = spread(shown.map((r) => r.mean_prediction));
  return {
    task: 'regression',
    mae_difference: mae.difference,
    mae_ratio: mae.ratio,
    mean_prediction_difference: mean.difference,
    mean_prediction_ratio: mean.ratio,
    by_group,
  };
}

const rate = (k: number, n: number) => (n > 0 ? k / n : null);

/** Largest minus smallest, and smallest over largest (null when undefined, as fairlearn's NaN), of the defined values. */
function spread(values: (number | null)[]): { difference: number | null; ratio: number | null } {
  const v = values.filter((x): x is number => x !== null);
  if (!v.length) return { difference: null, ratio: null };
  const lo = Math.min(...v);
  const hi = Math.max(...v);
  return { difference: hi - lo, ratio: hi > 0 ? lo / hi : null };
}

/**
 * Group fairness of a binary classifier, as fairlearn 0.11 defines it: per group the selection
 * rate P(ŷ = +), TPR and FPR (and precision and accuracy); demographic parity difference and ratio
 * = max − min and min / max of the selection rates over groups; equalized odds difference =
 * the larger of the TPR and FPR differences, ratio = the smaller of their ratios.
 * `group[i]` is row i's group (−1: left out); `y` and `pred` are 1 for the positive class.
 */
export function fairness(
  y: ArrayLike<number>,
  pred: ArrayLike<number>,
  group: Int32Array,
  groups: string[],
  positive: string,
): Fairness {
  const k = groups.length;
  const tp = new Float64Array(k);
  const fp = new Float64Array(k);
  const fn = new Float64Array(k);
  const tn = new Float64Array(k);
  for (let i = 0; i < group.length; i++) {
    const g = group[i];
    if (g < 0) continue;
    if (y[i]) pred[i] ? tp[g]++ : fn[g]++;
    else pred[i] ? fp[g]++ : tn[g]++;
  }
  const counts = groups.map((_, g) => ({ tp: tp[g], fp: fp[g], fn: fn[g], tn: tn[g] }));
  return fairnessOfCounts(counts, groups, positive);
}

/** Each group's counts of the positive class from its confusion matrix (matrix[true][predicted]). */
export const countsOfConfusion = (matrix: number[][], pos: number): GroupCounts => {
  const tp = matrix[pos][pos];
  const fn = matrix[pos].reduce((a, x) => a + x, 0) - tp;
  const fp = matrix.reduce((a, row) => a + row[pos], 0) - tp;
  const all = matrix.reduce((a, row) => a + row.reduce((b, x) => b + x, 0), 0);
  return { tp, fp, fn, tn: all - tp - fn - fp };
};

export interface GroupCounts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

/** `fairness` from each group's counts (in the order of `groups`). */
export function fairnessOfCounts(counts: GroupCounts[], groups: string[], positive: string): Fairness {
  const by_group: Record<string, GroupRates> = Object.create(null); // keyed by values of the data
  groups.forEach((name, g) => {
    const { tp, fp, fn, tn } = counts[g];
    const n = tp + fp + fn + tn;
    if (!n) return;
    const parts = {
      selection_rate: [tp + fp, n],
      tpr: [tp, tp + fn],
      fpr: [fp, fp + tn],
      precision: [tp, tp + fp],
      accuracy: [tp + tn, n],
    } as const;
    const entries = Object.entries(parts) as [keyof typeof parts, readonly [number, number]][];
    by_group[name] = {
      rows: n,
      ...(Object.fromEntries(entries.map(([m, [a, b]]) => [m, rate(a, b)])) as Record<
        keyof typeof parts,
        number | null
      >),
      intervals: Object.fromEntries(entries.map(([m, [a, b]]) => [m, wilson(a, b)])) as GroupRates['intervals'],
    };
  });
  const list = Object.values(by_group);
  const dp = spread(list.map((r) => r.selection_rate));
  const tpr = spread(list.map((r) => r.tpr));
  const fpr = spread(list.map((r) => r.fpr));
  const worst = (a: number | null, b: number | null, pick: (x: number, y: number) => number) =>
    a === null || b === null ? null : pick(a, b);
  return {
    positive,
    demographic_parity_difference: dp.difference,
    demographic_parity_ratio: dp.ratio,
    equalized_odds_difference: worst(tpr.difference, fpr.difference, Math.max),
    equalized_odds_ratio: worst(tpr.ratio, fpr.ratio, Math.min),
    by_group,
  };
}

/** Rates at thresholds 0, 0.01, …, 1 of one group's positive-class scores: predicted positive when score ≥ t. */
export interface ThresholdCurve {
  thresholds: number[];
  selection_rate: number[];
  tpr: (number | null)[];
  fpr: (number | null)[];
}

export function thresholdCurves(
  score: Float64Array,
  y: ArrayLike<number>,
  group: Int32Array,
  k: number,
  steps = 100,
): ThresholdCurve[] {
  const thresholds = Array.from({ length: steps + 1 }, (_, s) => s / steps);
  // Per group, counts of scores in each step (the highest step whose threshold the score reaches).
  const pos = Array.from({ length: k }, () => new Float64Array(steps + 1));
  const neg = Array.from({ length: k }, () => new Float64Array(steps + 1));
  for (let i = 0; i < group.length; i++) {
    const g = group[i];
    const p = score[i];
    if (g < 0 || !(p >= 0)) continue;
    let s = Math.min(steps, Math.floor(p * steps));
    while (s < steps && p >= thresholds[s + 1]) s++;
    while (s > 0 && p < thresholds[s]) s--;
    (y[i] ? pos : neg)[g][s]++;
  }
  return pos.map((ps, g) => {
    const ns = neg[g];
    const P = ps.reduce((a, x) => a + x, 0);
    const N = ns.reduce((a, x) => a + x, 0);
    const out: ThresholdCurve = { thresholds, selection_rate: [], tpr: [], fpr: [] };
    let tp = P;
    let fp = N;
    for (let s = 0; s <= steps; s++) {
      out.selection_rate.push(P + N ? (tp + fp) / (P + N) : 0);
      out.tpr.push(rate(tp, P));
      out.fpr.push(rate(fp, N));
      tp -= ps[s];
      fp -= ns[s];
    }
    return out;
  });
}
