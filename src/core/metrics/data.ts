import { sortDesc } from './sort';

/**
 * The columns metrics are computed from, as typed arrays (one entry per row of the dataset, in
 * file order). Classification: `y` and `pred` are indexes into `classes` (−1 = missing), `probs`
 * holds one column of n probabilities per class, in the order of `classes`. Regression: `y` and `pred` are numbers (NaN =
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
  probs: Float64Array[] | null;
  /** Per class: rows ordered by its probability, highest first; filled on first use (see `classRank`). */
  ranks?: (ClassRank | undefined)[];
  /** Per-row terms of the probability metrics; filled on first use (see `rowStats`). */
  stats?: RowStats;
}

/** Each row's log loss, Brier term, top-label confidence and its ECE bin, whether the top label is right, and how many classes rank above the true one. */
export interface RowStats {
  ll: Float64Array;
  sq: Float64Array;
  conf: Float64Array;
  bin: Uint8Array;
  hit: Uint8Array;
  above: Uint8Array;
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
export function predictFromProbs(probs: Float64Array[], n: number, threshold?: { positive: number; value: number }): Int32Array {
  const out = new Int32Array(n);
  const k = probs.length;
  for (let i = 0; i < n; i++) {
    if (threshold) {
      const p = probs[threshold.positive][i];
      out[i] = Number.isNaN(p) ? -1 : p >= threshold.value ? threshold.positive : 1 - threshold.positive;
      continue;
    }
    let best = -1;
    let bp = -Infinity;
    for (let c = 0; c < k; c++) {
      const p = probs[c][i];
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
  const y = new Int32Array(m);
  const pred = new Int32Array(m);
  for (let j = 0; j < m; j++) {
    y[j] = d.y[idx[j]];
    pred[j] = d.pred[idx[j]];
  }
  const probs = d.probs
    ? d.probs.map((col) => {
        const out = new Float64Array(m);
        for (let j = 0; j < m; j++) out[j] = col[idx[j]];
        return out;
      })
    : null;
  let ranks: (ClassRank | undefined)[] | undefined;
  if (d.ranks) {
    const slot = new Uint32Array(d.n);
    ranks = d.ranks.map((rank) => (rank ? filterRank(rank, idx, slot) : undefined));
  }
  let stats: RowStats | undefined;
  if (d.stats) {
    const st = d.stats;
    const pick = <T extends Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const out = make(m);
      for (let j = 0; j < m; j++) out[j] = a[idx[j]];
      return out;
    };
    const f = (n: number) => new Float64Array(n);
    const u = (n: number) => new Uint8Array(n);
    stats = { ll: pick(st.ll, f), sq: pick(st.sq, f), conf: pick(st.conf, f), bin: pick(st.bin, u), hit: pick(st.hit, u), above: pick(st.above, u) };
  }
  return { ...d, n: m, y, pred, probs, ranks, stats };
}

/**
 * Rows ranked by p(class c), highest first, with what a one-pass sweep over thresholds needs in
 * sweep order: whether each row is of class c, and whether it ends a run of equal scores (a
 * distinct threshold).
 */
export interface ClassRank {
  order: Uint32Array;
  pos: Uint8Array;
  last: Uint8Array;
  /** Number of distinct scores. */
  groups: number;
  /** Each row's place in `order` (made when a subset is first taken). */
  place?: Uint32Array;
}

function rankFromOrder(d: ClassificationData, c: number, order: Uint32Array, equalNext?: (r: number) => boolean): ClassRank {
  const v = d.probs![c];
  const n = order.length;
  const pos = new Uint8Array(n);
  const last = new Uint8Array(n);
  let groups = 0;
  for (let r = 0; r < n; r++) {
    pos[r] = d.y[order[r]] === c ? 1 : 0;
    if (r + 1 === n || !(equalNext ? equalNext(r) : v[order[r + 1]] === v[order[r]])) (last[r] = 1), groups++;
  }
  return { order, pos, last, groups };
}

/**
 * A parent's rank restricted to the rows `idx`: each kept row is written at its place in the
 * parent's order (`slot`, zeroed again before returning), then one sequential sweep reads them
 * off in rank order. Two kept rows are equal in score when no threshold of the parent lies
 * between them.
 */
function filterRank(rank: ClassRank, idx: Uint32Array, slot: Uint32Array): ClassRank {
  const m = idx.length;
  if (!rank.place) {
    rank.place = new Uint32Array(rank.order.length);
    for (let r = 0; r < rank.order.length; r++) rank.place[rank.order[r]] = r;
  }
  for (let j = 0; j < m; j++) slot[rank.place[idx[j]]] = j + 1;
  const order = new Uint32Array(m);
  const pos = new Uint8Array(m);
  const last = new Uint8Array(m);
  let w = 0;
  let groups = 0;
  let boundary = false;
  for (let r = 0; r < slot.length; r++) {
    const s = slot[r];
    if (s) {
      if (w > 0 && boundary) (last[w - 1] = 1), groups++;
      order[w] = s - 1;
      pos[w++] = rank.pos[r];
      boundary = false;
      slot[r] = 0;
    }
    if (rank.last[r]) boundary = true;
  }
  if (w > 0) (last[w - 1] = 1), groups++;
  return { order, pos, last, groups };
}

/** The rank of class c's probabilities (cached on `d`; a subset derives it from its parent's). */
export function classRank(d: ClassificationData, c: number): ClassRank {
  d.ranks ??= [];
  let r = d.ranks[c];
  if (!r) {
    const { order, hi, lo } = sortDesc(d.probs![c]);
    r = d.ranks[c] = rankFromOrder(d, c, order, (j) => hi[j] === hi[j + 1] && lo[j] === lo[j + 1]);
  }
  return r;
}
