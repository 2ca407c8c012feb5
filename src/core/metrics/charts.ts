import { ECE_BINS, rankMetrics, rowStats } from './classification';
import { finite } from './report';
import { classRank, type ClassificationData, type RegressionData } from './data';

export interface ClassCurves {
  class: string;
  /** [false positive rate, true positive rate], from (0, 0) to (1, 1). */
  roc: [number, number][];
  /** [recall, precision], highest threshold first. */
  pr: [number, number][];
  auc: number | null;
  ap: number | null;
  /** Share of positives: the precision of a random ranking. */
  prevalence: number;
}

/** ROC and precision–recall curves of each class against the rest (binary: the positive class only). */
export function curves(d: ClassificationData, maxPoints = 300): ClassCurves[] {
  if (!d.probs) return [];
  const which = d.positive !== null ? [d.positive] : d.classes.map((_, c) => c);
  return which.map((c) => {
    const { order, pos, last } = classRank(d, c);
    let P = 0;
    for (let r = 0; r < order.length; r++) P += pos[r];
    const N = d.n - P;
    // Keep about maxPoints thresholds, evenly spread over the rows, plus the ends.
    const step = Math.max(1, Math.floor(d.n / maxPoints));
    const roc: [number, number][] = [[0, 0]];
    const pr: [number, number][] = [];
    let tp = 0;
    let fp = 0;
    let next = step;
    for (let r = 0; r < order.length; r++) {
      if (pos[r]) tp++;
      else fp++;
      if (!last[r]) continue;
      if (r + 1 >= next || r + 1 === order.length) {
        roc.push([N ? fp / N : 0, P ? tp / P : 0]);
        if (P) pr.push([tp / P, tp / (tp + fp)]);
        next = r + 1 + step;
      }
    }
    const { auc, ap } = rankMetrics(d, c);
    return { class: d.classes[c], roc, pr, auc: finite(auc), ap: finite(ap), prevalence: d.n ? P / d.n : 0 };
  });
}

export interface ReliabilityBin {
  lo: number;
  hi: number;
  count: number;
  confidence: number | null;
  accuracy: number | null;
}

/** The 15 confidence bins behind the ECE: rows, mean top-label confidence and accuracy in each. */
export function reliability(d: ClassificationData): ReliabilityBin[] {
  if (!d.probs) return [];
  const { conf, bin, hit } = rowStats(d);
  const count = new Float64Array(ECE_BINS);
  const confSum = new Float64Array(ECE_BINS);
  const hits = new Float64Array(ECE_BINS);
  for (let i = 0, n = d.n; i < n; i++) {
    if (!Number.isFinite(conf[i])) continue;
    const b = bin[i];
    count[b]++;
    confSum[b] += conf[i];
    hits[b] += hit[i];
  }
  return Array.from(count, (n, b) => ({
    lo: b / ECE_BINS,
    hi: (b + 1) / ECE_BINS,
    count: n,
    confidence: n ? confSum[b] / n : null,
    accuracy: n ? hits[b] / n : null,
  }));
}

export interface RegressionCharts {
  residuals: { lo: number; hi: number; count: number }[];
  /** Predicted vs actual: every point when there are few, else counts on a grid. */
  scatter: { points: [number, number][] } | { grid: number[]; size: number; min: number; max: number };
  /** The shared range of actual and predicted values. */
  range: [number, number];
}

const SCATTER_POINTS = 3000;

/** Residual (y − ŷ) histogram and predicted-vs-actual, binned on a size × size grid for large data. */
export function regressionCharts(d: RegressionData, bins = 30, size = 60): RegressionCharts {
  let rlo = Infinity;
  let rhi = -Infinity;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < d.n; i++) {
    const r = d.y[i] - d.pred[i];
    rlo = Math.min(rlo, r);
    rhi = Math.max(rhi, r);
    lo = Math.min(lo, d.y[i], d.pred[i]);
    hi = Math.max(hi, d.y[i], d.pred[i]);
  }
  if (d.n === 0) return { residuals: [], scatter: { points: [] }, range: [0, 1] };
  const width = (rhi - rlo) / bins || 1;
  const residuals = Array.from({ length: bins }, (_, b) => ({
    lo: rlo + b * width,
    hi: rlo + (b + 1) * width,
    count: 0,
  }));
  for (let i = 0; i < d.n; i++) residuals[Math.min(bins - 1, Math.floor((d.y[i] - d.pred[i] - rlo) / width))].count++;
  let scatter: RegressionCharts['scatter'];
  if (d.n <= SCATTER_POINTS) {
    scatter = { points: Array.from({ length: d.n }, (_, i) => [d.y[i], d.pred[i]] as [number, number]) };
  } else {
    const grid = new Array<number>(size * size).fill(0);
    const cell = (hi - lo) / size || 1;
    const at = (v: number) => Math.min(size - 1, Math.floor((v - lo) / cell));
    for (let i = 0; i < d.n; i++) grid[at(d.pred[i]) * size + at(d.y[i])]++;
    scatter = { grid, size, min: lo, max: hi };
  }
  return { residuals, scatter, range: [lo, hi] };
}
