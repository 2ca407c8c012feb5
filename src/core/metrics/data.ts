import { mapInto } from '../arrays';
import { sortDesc } from './sort';
import { classKey } from '../table/classNames';

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

const POSITIVE_NAMES = ['1', 'true', 'yes', 'positive', 'pos'];
/** Names of the class nothing happened to: the other one is positive (`fraud` of fraud/legit). */
const NEGATIVE = /^((no|not|non)([\s_-].*|)|negative|neg|normal|benign|ham|legit(imate)?|ok|healthy|clean|none)$/i;

/**
 * The positive class of a binary task: `1`, `true`, `yes`, `positive` or `pos` (any case); else the
 * class beside a negative one (`fraud` of fraud/legit, `churn` of churn/no churn); else the second class.
 */
export function defaultPositive(classes: string[]): number | null {
  if (classes.length !== 2) return null;
  // By value, so 1.0 and True count as 1 and true.
  const i = classes.findIndex((c) => POSITIVE_NAMES.includes(c.toLowerCase()) || POSITIVE_NAMES.includes(classKey(c)));
  if (i >= 0) return i;
  const negative = classes.map((c) => NEGATIVE.test(c.trim()));
  return negative[1] && !negative[0] ? 0 : 1;
}

/**
 * Predictions from probabilities: the most probable class (ties to the first in sorted order) or,
 * for a binary task with a threshold, the positive class when p(positive) ≥ threshold.
 */
export function predictFromProbs(
  probs: Float64Array[],
  n: number,
  threshold?: { positive: number; value: number },
): Int32Array {
  const out = new Int32Array(n);
  const k = probs.length;
  if (threshold) {
    const { positive, value } = threshold;
    const col = probs[positive];
    // Without a branch per row (the comparison is a coin flip to the CPU); NaN rows, if any, after.
    const negative = 1 - positive;
    const step = positive - negative;
    let nan = 0;
    for (let i = 0; i < n; i++) {
      const p = col[i];
      out[i] = negative + step * +(p >= value);
      nan |= +(p !== p);
    }
    if (nan) for (let i = 0; i < n; i++) if (col[i] !== col[i]) out[i] = -1;
    return out;
  }
  for (let i = 0; i < n; i++) {
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
  // The arrays are read before the loop: datasets come in many shapes, and reading `d.y` in the
  // loop would be a generic property read per row (3M rows: 20–70 ms against ~10 ms).
  const n = d.n;
  const keep = new Uint32Array(n);
  let m = 0;
  if (d.task === 'classification') {
    const { y, pred } = d;
    for (let i = 0; i < n; i++) if (y[i] >= 0 && pred[i] >= 0) keep[m++] = i;
  } else {
    const { y, pred } = d;
    for (let i = 0; i < n; i++) if (!Number.isNaN(y[i]) && !Number.isNaN(pred[i])) keep[m++] = i;
  }
  return keep.slice(0, m);
}

/**
 * The rows `idx` (ascending row numbers) as a dataset of their own. Ranks and per-row terms
 * already computed on `d` are carried over (ranks by one sweep, O(n)), so a slice never sorts again.
 */
export function subset<T extends EvalData>(d: T, idx: Uint32Array): T {
  return subsets(d, [idx])[0];
}

// One gather per element type keeps each loop monomorphic (fast); rows are read in ascending order.
function gatherF64(a: Float64Array, idx: Uint32Array): Float64Array {
  const out = new Float64Array(idx.length);
  for (let j = 0; j < idx.length; j++) out[j] = a[idx[j]];
  return out;
}
function gatherI32(a: Int32Array, idx: Uint32Array): Int32Array {
  const out = new Int32Array(idx.length);
  for (let j = 0; j < idx.length; j++) out[j] = a[idx[j]];
  return out;
}
function gatherU8(a: Uint8Array, idx: Uint32Array): Uint8Array {
  const out = new Uint8Array(idx.length);
  for (let j = 0; j < idx.length; j++) out[j] = a[idx[j]];
  return out;
}

/** Several subsets at once (they may overlap): ranks for all of them in one sweep per class. */
export function subsets<T extends EvalData>(d: T, lists: Uint32Array[]): T[] {
  if (d.task === 'regression')
    return lists.map(
      (idx) => ({ task: 'regression', n: idx.length, y: gatherF64(d.y, idx), pred: gatherF64(d.pred, idx) }) as T,
    );
  const ranks = d.ranks
    ? lists.length === 1
      ? d.ranks.map((r) => r && [filterRank(r, lists[0], new Uint32Array(d.n))])
      : d.ranks.map((r) => r && rankMany(r, lists))
    : undefined;
  return lists.map((idx, s) => {
    const st = d.stats;
    return {
      ...d,
      n: idx.length,
      y: gatherI32(d.y, idx),
      pred: gatherI32(d.pred, idx),
      probs: d.probs ? d.probs.map((col) => gatherF64(col, idx)) : null,
      ranks: ranks?.map((r) => r?.[s]),
      stats: st && {
        ll: gatherF64(st.ll, idx),
        sq: gatherF64(st.sq, idx),
        conf: gatherF64(st.conf, idx),
        bin: gatherU8(st.bin, idx),
        hit: gatherU8(st.hit, idx),
        above: gatherU8(st.above, idx),
      },
    };
  });
}

/**
 * Disjoint groups at once (a column's values or bins): `code[i]` is row i's group (−1: none).
 * Every array is read front to back once and written to its group, and each class's rank is
 * split in one sweep, so 50 groups cost about what one does.
 */
export function partition<T extends EvalData>(d: T, code: Int32Array, groups: number): T[] {
  const count = new Uint32Array(groups);
  const place = new Uint32Array(d.n);
  for (let i = 0; i < d.n; i++) if (code[i] >= 0) place[i] = count[code[i]]++;
  // Each array goes into one flat array in group order, viewed per group (one monomorphic pass per type).
  const start = new Uint32Array(groups + 1);
  for (let g = 0; g < groups; g++) start[g + 1] = start[g] + count[g];
  const to = new Int32Array(d.n);
  for (let i = 0; i < d.n; i++) to[i] = code[i] >= 0 ? start[code[i]] + place[i] : -1;
  const views = <A extends Float64Array | Int32Array | Uint8Array>(flat: A): A[] =>
    Array.from(count, (_, g) => flat.subarray(start[g], start[g + 1]) as A);
  const f64 = (a: Float64Array) => {
    const out = new Float64Array(start[groups]);
    for (let i = 0; i < a.length; i++) if (to[i] >= 0) out[to[i]] = a[i];
    return views(out);
  };
  const i32 = (a: Int32Array) => {
    const out = new Int32Array(start[groups]);
    for (let i = 0; i < a.length; i++) if (to[i] >= 0) out[to[i]] = a[i];
    return views(out);
  };
  const u8 = (a: Uint8Array) => {
    const out = new Uint8Array(start[groups]);
    for (let i = 0; i < a.length; i++) if (to[i] >= 0) out[to[i]] = a[i];
    return views(out);
  };
  if (d.task === 'regression') {
    const y = f64(d.y);
    const pred = f64(d.pred);
    return y.map((yy, g) => ({ task: 'regression', n: yy.length, y: yy, pred: pred[g] }) as T);
  }
  const y = i32(d.y);
  const pred = i32(d.pred);
  const probs = d.probs?.map(f64);
  const st = d.stats;
  const stats = st && {
    ll: f64(st.ll),
    sq: f64(st.sq),
    conf: f64(st.conf),
    bin: u8(st.bin),
    hit: u8(st.hit),
    above: u8(st.above),
  };
  const ranks = d.ranks?.map((rank) => {
    if (!rank) return undefined;
    const base = start;
    const order = new Uint32Array(base[groups]);
    const pos = new Uint8Array(order.length);
    const last = new Uint8Array(order.length);
    const runs = new Uint32Array(groups);
    const cursor = base.slice(0, groups);
    const runOf = new Int32Array(groups).fill(-1);
    let run = 0;
    for (let r = 0; r < rank.order.length; r++) {
      const i = rank.order[r];
      const g = code[i];
      if (g >= 0) {
        const w = cursor[g]++;
        if (w > base[g] && runOf[g] !== run) ((last[w - 1] = 1), runs[g]++);
        order[w] = place[i];
        pos[w] = rank.pos[r];
        runOf[g] = run;
      }
      if (rank.last[r]) run++;
    }
    return Array.from(count, (c, g) => {
      if (c) ((last[base[g + 1] - 1] = 1), runs[g]++);
      return {
        order: order.subarray(base[g], base[g + 1]),
        pos: pos.subarray(base[g], base[g + 1]),
        last: last.subarray(base[g], base[g + 1]),
        groups: runs[g],
      } as ClassRank;
    });
  });
  return y.map((yy, g) => ({
    ...d,
    n: yy.length,
    y: yy,
    pred: pred[g],
    probs: probs ? probs.map((p) => p[g]) : null,
    ranks: ranks?.map((r) => r?.[g]),
    stats: stats && {
      ll: stats.ll[g],
      sq: stats.sq[g],
      conf: stats.conf[g],
      bin: stats.bin[g],
      hit: stats.hit[g],
      above: stats.above[g],
    },
  }));
}

/**
 * A parent's rank restricted to each of several row lists, in one sweep of the parent's order:
 * each row points to the (list, position) pairs that hold it; two kept rows are equal in score
 * when they fall in the same run of equal parent scores.
 */
function rankMany(rank: ClassRank, lists: Uint32Array[]): ClassRank[] {
  const n = rank.order.length;
  const start = new Uint32Array(n + 1);
  for (const idx of lists) for (let j = 0; j < idx.length; j++) start[idx[j] + 1]++;
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const fill = start.slice(0, n);
  const list = new Uint32Array(start[n]);
  const at = new Uint32Array(start[n]);
  lists.forEach((idx, s) => {
    for (let j = 0; j < idx.length; j++) {
      const e = fill[idx[j]]++;
      list[e] = s;
      at[e] = j;
    }
  });
  // Every list's order / pos / last live in flat arrays (monomorphic loop); list s starts at base[s].
  const base = new Uint32Array(lists.length + 1);
  lists.forEach((idx, s) => (base[s + 1] = base[s] + idx.length));
  const order = new Uint32Array(base[lists.length]);
  const pos = new Uint8Array(order.length);
  const last = new Uint8Array(order.length);
  const groups = new Uint32Array(lists.length);
  const cursor = base.slice(0, lists.length);
  const runOf = new Int32Array(lists.length).fill(-1);
  let run = 0;
  for (let r = 0; r < n; r++) {
    const i = rank.order[r];
    for (let e = start[i]; e < start[i + 1]; e++) {
      const s = list[e];
      const w = cursor[s]++;
      if (w > base[s] && runOf[s] !== run) ((last[w - 1] = 1), groups[s]++);
      order[w] = at[e];
      pos[w] = rank.pos[r];
      runOf[s] = run;
    }
    if (rank.last[r]) run++;
  }
  return lists.map((idx, s) => {
    if (idx.length) ((last[base[s + 1] - 1] = 1), groups[s]++);
    return {
      order: order.subarray(base[s], base[s + 1]),
      pos: pos.subarray(base[s], base[s + 1]),
      last: last.subarray(base[s], base[s + 1]),
      groups: groups[s],
    };
  });
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
  /** ROC-AUC and average precision of this ranking (made by `rankMetrics`). */
  metrics?: { auc: number; ap: number };
}

/** Class c's rank from its sorted order and sorted keys (`sortDesc`): which rows are positive, where each run of equal scores ends. */
function rankFromOrder(
  d: ClassificationData,
  c: number,
  { order, hi, lo }: { order: Uint32Array; hi: Uint32Array; lo: Uint32Array },
): ClassRank {
  const n = order.length;
  const y = d.y;
  // Gathered from a byte per row rather than from the labels: a quarter of the memory to jump around in.
  const isC = new Uint8Array(n);
  for (let i = 0; i < n; i++) isC[i] = y[i] === c ? 1 : 0;
  const pos = new Uint8Array(n);
  const last = new Uint8Array(n);
  for (let r = 0; r < n; r++) pos[r] = isC[order[r]];
  let groups = 0;
  for (let r = 0; r < n - 1; r++) if (hi[r] !== hi[r + 1] || lo[r] !== lo[r + 1]) ((last[r] = 1), groups++);
  if (n) ((last[n - 1] = 1), groups++);
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
      if (w > 0 && boundary) ((last[w - 1] = 1), groups++);
      order[w] = s - 1;
      pos[w++] = rank.pos[r];
      boundary = false;
      slot[r] = 0;
    }
    if (rank.last[r]) boundary = true;
  }
  if (w > 0) ((last[w - 1] = 1), groups++);
  return { order, pos, last, groups };
}

/** The rank of class c's probabilities (cached on `d`; a subset derives it from its parent's). */
export function classRank(d: ClassificationData, c: number): ClassRank {
  d.ranks ??= [];
  let r = d.ranks[c];
  if (!r) {
    r = d.ranks[c] = rankFromOrder(d, c, sortDesc(d.probs![c]));
  }
  return r;
}

/** The same rows and scores with other labels: the probability ranks are kept (only which rows are positive changes). */
export function withLabels(d: ClassificationData, y: Int32Array): ClassificationData {
  // The order and its runs stay; which rows are positive, and so the metrics, change.
  const ranks = d.ranks?.map(
    (r, c) =>
      r && {
        order: r.order,
        last: r.last,
        groups: r.groups,
        place: r.place,
        pos: mapInto(new Uint8Array(r.order.length), r.order, (i) => (y[i] === c ? 1 : 0)),
      },
  );
  return { ...d, y, ranks, stats: undefined };
}
