import { argsortDesc } from './sort';

/**
 * The columns metrics are computed from, as typed arrays (one entry per row of the dataset, in
 * file order). Classification: `y` and `pred` are indexes into `classes` (−1 = missing), `probs`
 * is row-major n × K in the order of `classes`. Regression: `y` and `pred` are numbers (NaN =
 * missing).
 */
export type EvalData = ClassificationData | RegressionData;

export interface ClassificationData {
  task: 'classification';
  /** Class names, sorted (numerically when every name is a number). */
  classes: string[];
  /** Index of the positive class of a binary task, else null. */
  positive: number | null;
  n: number;
  y: Int32Array;
  pred: Int32Array;
  probs: Float64Array | null;
  /** Row orders by each class's probability, highest first; filled on first use. */
  orders?: (Uint32Array | undefined)[];
}

export interface RegressionData {
  task: 'regression';
  n: number;
  y: Float64Array;
  pred: Float64Array;
}

/** Sorts class names as scikit-learn sorts labels: numerically when all are numbers, else by code point. */
export function sortClasses(names: Iterable<string>): string[] {
  const list = [...new Set(names)];
  const numeric = list.length > 0 && list.every((c) => c.trim() !== '' && Number.isFinite(Number(c)));
  return numeric ? list.sort((a, b) => Number(a) - Number(b)) : list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

const POSITIVE_NAMES = ['1', 'true', 'yes', 'positive'];

/** The positive class of a binary task: `1`, `true`, `yes` or `positive` (any case), else the second class. */
export function defaultPositive(classes: string[]): number | null {
  if (classes.length !== 2) return null;
  const i = classes.findIndex((c) => POSITIVE_NAMES.includes(c.toLowerCase()));
  return i >= 0 ? i : 1;
}

/**
 * Predictions from probabilities: the most probable class (ties to the first in sorted order) or,
 * for a binary task with a threshold, the positive class when p(positive) ≥ threshold.
 */
export function predictFromProbs(probs: Float64Array, k: number, n: number, threshold?: { positive: number; value: number }): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * k;
    if (threshold) {
      const p = probs[o + threshold.positive];
      out[i] = Number.isNaN(p) ? -1 : p >= threshold.value ? threshold.positive : 1 - threshold.positive;
      continue;
    }
    let best = -1;
    let bp = -Infinity;
    for (let c = 0; c < k; c++) {
      const p = probs[o + c];
      if (p > bp) {
        bp = p;
        best = c;
      }
    }
    out[i] = best;
  }
  return out;
}

/** Rows that can be scored: a label and a prediction present. */
export function scoredRows(d: EvalData): Uint32Array {
  const keep = new Uint32Array(d.n);
  let m = 0;
  if (d.task === 'classification') {
    for (let i = 0; i < d.n; i++) if (d.y[i] >= 0 && d.pred[i] >= 0) keep[m++] = i;
  } else {
    for (let i = 0; i < d.n; i++) if (!Number.isNaN(d.y[i]) && !Number.isNaN(d.pred[i])) keep[m++] = i;
  }
  return keep.slice(0, m);
}

/**
 * The rows `idx` (ascending row numbers) as a dataset of their own. Probability orders already
 * computed on `d` are carried over by filtering (O(n)), so a slice never sorts again.
 */
export function subset<T extends EvalData>(d: T, idx: Uint32Array): T {
  const m = idx.length;
  if (d.task === 'regression') {
    const y = new Float64Array(m);
    const pred = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      y[j] = d.y[idx[j]];
      pred[j] = d.pred[idx[j]];
    }
    return { task: 'regression', n: m, y, pred } as T;
  }
  const k = d.classes.length;
  const y = new Int32Array(m);
  const pred = new Int32Array(m);
  const probs = d.probs ? new Float64Array(m * k) : null;
  for (let j = 0; j < m; j++) {
    const i = idx[j];
    y[j] = d.y[i];
    pred[j] = d.pred[i];
    if (probs) probs.set(d.probs!.subarray(i * k, i * k + k), j * k);
  }
  let orders: (Uint32Array | undefined)[] | undefined;
  if (d.orders) {
    const at = new Int32Array(d.n).fill(-1);
    for (let j = 0; j < m; j++) at[idx[j]] = j;
    orders = d.orders.map((o) => {
      if (!o) return undefined;
      const out = new Uint32Array(m);
      let w = 0;
      for (let r = 0; r < o.length; r++) {
        const j = at[o[r]];
        if (j >= 0) out[w++] = j;
      }
      return out;
    });
  }
  return { ...d, n: m, y, pred, probs, orders };
}

/** Rows ordered by p(class c), highest first (cached on `d`). */
export function classOrder(d: ClassificationData, c: number): Uint32Array {
  d.orders ??= [];
  let o = d.orders[c];
  if (!o) {
    const k = d.classes.length;
    const v = new Float64Array(d.n);
    for (let i = 0; i < d.n; i++) v[i] = d.probs![i * k + c];
    o = d.orders[c] = argsortDesc(v);
  }
  return o;
}
