import { mapInto, nthSmallest } from '../arrays';
import { sortDesc } from '../metrics/sort';

/**
 * Confident learning (Northcutt, Jiang & Chuang, "Confident Learning: Estimating Uncertainty in
 * Dataset Labels", JAIR 2021), computed as cleanlab 2.9's `find_label_issues` computes it, so that
 * the same examples come out in the same order. Labels are class indexes 0…K−1; probabilities one
 * column per class. Where cleanlab's NumPy argsort leaves ties in no particular order, ties here go
 * by row order.
 */

export const FILTERS = [
  'prune_by_noise_rate',
  'prune_by_class',
  'both',
  'confident_learning',
  'predicted_neq_given',
] as const;
export const RANKINGS = ['self_confidence', 'normalized_margin', 'confidence_weighted_entropy'] as const;
export type FilterBy = (typeof FILTERS)[number];
export type RankBy = (typeof RANKINGS)[number];

/** cleanlab's constants: FLOATING_POINT_COMPARISON, CONFIDENT_THRESHOLDS_LOWER_BOUND, CLIPPING_LOWER_BOUND, TINY_VALUE. */
const FLOAT_CMP = 1e-6;
const THRESHOLD_LOWER = 2 * FLOAT_CMP;
const CLIP_LOWER = 1e-6;
const TINY = 1e-100;

/** NumPy's pairwise summation (8-way unrolled blocks of up to 128), so sums round as NumPy's do. */
export function npSum(a: ArrayLike<number>, from = 0, to = a.length): number {
  const n = to - from;
  if (n < 8) {
    let s = 0;
    for (let i = from; i < to; i++) s += a[i];
    return s;
  }
  if (n <= 128) {
    const r = [a[from], a[from + 1], a[from + 2], a[from + 3], a[from + 4], a[from + 5], a[from + 6], a[from + 7]];
    let i = from + 8;
    for (; i < to - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] += a[i + j];
    let s = r[0] + r[1] + (r[2] + r[3]) + (r[4] + r[5] + (r[6] + r[7]));
    for (; i < to; i++) s += a[i];
    return s;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return npSum(a, from, from + half) + npSum(a, from + half, to);
}

/** Round half to even, as NumPy's round. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Indexes sorting `v` ascending, ties by index. */
function argsortStable(v: ArrayLike<number>): number[] {
  return Array.from({ length: v.length }, (_, i) => i).sort((a, b) => v[a] - v[b] || a - b);
}

/** Integers near `row` with the same (rounded) total: cleanlab's round_preserving_sum. */
export function roundPreservingSum(row: number[]): number[] {
  const ints = row.map(roundHalfEven);
  const orig = roundHalfEven(npSum(row));
  let sum = roundHalfEven(npSum(ints));
  while (Math.abs(sum - orig) > FLOAT_CMP) {
    const diff = roundHalfEven(orig - sum);
    const inc = diff < 0 ? -1 : 1;
    const changes = Math.min(Math.abs(diff), row.length);
    // Small arrays: NumPy sorts them by insertion sort, which is stable; [::-1] reverses ties too.
    const order = argsortStable(row.map((f, i) => f - ints[i]));
    if (inc === 1) order.reverse();
    for (const i of order.slice(0, changes)) ints[i] += inc;
    sum = roundHalfEven(npSum(ints));
  }
  return ints;
}

/** Per-class thresholds: the mean probability of class k over rows labelled k (2 when none is), at least 2e-6. */
export function confidentThresholds(labels: Int32Array, probs: Float64Array[]): number[] {
  return probs.map((col, k) => {
    const xs: number[] = [];
    for (let i = 0; i < labels.length; i++) if (labels[i] === k) xs.push(col[i]);
    return Math.max(xs.length ? npSum(xs) / xs.length : 2, THRESHOLD_LOWER);
  });
}

/** First index of the largest value of row i (NumPy's argmax). */
function argmaxRow(probs: Float64Array[], i: number): number {
  let best = 0;
  for (let c = 1; c < probs.length; c++) if (probs[c][i] > probs[best][i]) best = c;
  return best;
}

export interface ConfidentJoint {
  /** Calibrated confident joint, K × K: rows given label, columns true label. */
  joint: number[][];
  /** Rows counted off the diagonal (confidently another class than their label), ascending. */
  offDiagonal: number[];
}

/** cleanlab's compute_confident_joint (calibrated) with return_indices_of_off_diagonals. */
export function computeConfidentJoint(labels: Int32Array, probs: Float64Array[]): ConfidentJoint {
  const K = probs.length;
  const t = confidentThresholds(labels, probs);
  const joint = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  const offDiagonal: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    let confident = 0;
    let first = -1;
    for (let c = 0; c < K; c++) {
      if (probs[c][i] >= t[c] - 1e-6) {
        confident++;
        if (first < 0) first = c;
      }
    }
    if (!confident) continue;
    const guess = confident > 1 ? argmaxRow(probs, i) : first;
    joint[labels[i]][guess]++;
    if (guess !== labels[i]) offDiagonal.push(i);
  }
  for (let k = 0; k < K; k++) joint[k][k] = Math.max(joint[k][k], 1);
  return { joint: calibrate(joint, labelCounts(labels, K)), offDiagonal };
}

function labelCounts(labels: Int32Array, K: number): number[] {
  const counts = new Array<number>(K).fill(0);
  for (const l of labels) counts[l]++;
  return counts;
}

/** cleanlab's calibrate_confident_joint: rows scaled to the label counts, the whole to N, rounded preserving row totals. */
function calibrate(joint: number[][], counts: number[]): number[][] {
  const scaled = joint.map((row, i) => {
    const total = Math.max(
      row.reduce((a, x) => a + x, 0),
      TINY,
    );
    return row.map((x) => (x / total) * counts[i]);
  });
  // NumPy sums this (a transposed view) in memory order: column by column.
  const all = Math.max(npSum(scaled[0].flatMap((_, j) => scaled.map((row) => row[j]))), TINY);
  const n = counts.reduce((a, x) => a + x, 0);
  return scaled.map((row) => roundPreservingSum(row.map((x) => (x / all) * n)));
}

/** cleanlab's _keep_at_least_n_per_class (frac_noise = 1) on the transposed joint; counts truncated to integers as it does. */
function keepAtLeastNPerClass(pcm: number[][], n: number): number[][] {
  const K = pcm.length;
  const diag = pcm.map((r, k) => r[k]);
  const newDiag = diag.map((d) => Math.max(d, n));
  const out = pcm.map((r) => [...r]);
  for (let j = 0; j < K; j++) {
    let nonzero = 0;
    for (let i = 0; i < K; i++) if (pcm[i][j] !== 0) nonzero++;
    const per = (newDiag[j] - diag[j]) / Math.max(nonzero - 1, 1);
    for (let i = 0; i < K; i++) out[i][j] = Math.max(0, pcm[i][j] - per);
  }
  for (let k = 0; k < K; k++) out[k][k] = newDiag[k];
  return out.map((r) => r.map((x) => Math.trunc(x)));
}

/** Label quality of every row, higher is better (cleanlab's get_label_quality_scores). */
export function qualityScores(labels: Int32Array, probs: Float64Array[], method: RankBy): Float64Array {
  const K = probs.length;
  const out = new Float64Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const self = probs[labels[i]][i];
    if (method === 'self_confidence') out[i] = self;
    else if (method === 'normalized_margin') {
      let other = -Infinity;
      for (let c = 0; c < K; c++) if (c !== labels[i]) other = Math.max(other, probs[c][i]);
      out[i] = (self - other + 1) / 2;
    } else {
      const terms: number[] = [];
      for (let c = 0; c < K; c++) {
        const p = probs[c][i];
        terms.push(p === 0 ? 0 : p * Math.log(p));
      }
      const entropy = -npSum(terms) / Math.log(K);
      const score = entropy / Math.max(self, CLIP_LOWER);
      out[i] = Math.log(score + 1) / Math.max(score, CLIP_LOWER);
    }
  }
  return out;
}

/**
 * cleanlab's find_label_issues(labels, pred_probs, filter_by, return_indices_ranked_by): the rows
 * with label issues, most likely first. An example whose most probable class is its label is never
 * flagged.
 */
export function findLabelIssues(
  labels: Int32Array,
  probs: Float64Array[],
  filterBy: FilterBy = 'prune_by_noise_rate',
  rankBy: RankBy = 'self_confidence',
  cj: ConfidentJoint = computeConfidentJoint(labels, probs),
): number[] {
  const N = labels.length;
  const K = probs.length;
  const mask = new Uint8Array(N);
  const { joint, offDiagonal } = cj;
  const byClass = Array.from({ length: K }, () => [] as number[]);
  for (let i = 0; i < N; i++) byClass[labels[i]].push(i);
  // Transposed: pcm[true][given].
  const pcm = keepAtLeastNPerClass(
    joint[0].map((_, j) => joint.map((row) => row[j])),
    1,
  );
  const byClassMask = new Uint8Array(N);
  const pruneByClass = filterBy === 'prune_by_class' || filterBy === 'both';
  const pruneByNoise = filterBy === 'prune_by_noise_rate' || filterBy === 'both';
  for (let k = 0; k < K; k++) {
    const rows = byClass[k];
    const pk = probs[k];
    if (rows.length <= 1) continue; // cleanlab neither prunes nor marks classes of one example
    if (pruneByClass) {
      // The rows labelled k with the smallest p(k).
      const drop = rows.length - pcm[k][k];
      if (drop >= 1)
        largest(
          mapInto(new Float64Array(rows.length), rows, (i) => -pk[i]),
          drop,
          (r) => (byClassMask[rows[r]] = 1),
        );
    }
    if (pruneByNoise) {
      for (let j = 0; j < K; j++) {
        const count = pcm[j][k];
        if (j === k || count <= 0) continue;
        const pj = probs[j];
        // The rows labelled k with the largest p(j) − p(k).
        largest(
          mapInto(new Float64Array(rows.length), rows, (i) => pj[i] - pk[i]),
          count,
          (r) => (mask[rows[r]] = 1),
        );
      }
    }
  }
  if (filterBy === 'prune_by_class') mask.set(byClassMask);
  if (filterBy === 'both') for (let i = 0; i < N; i++) mask[i] &= byClassMask[i];
  if (filterBy === 'confident_learning') for (const i of offDiagonal) mask[i] = 1;
  if (filterBy === 'predicted_neq_given')
    for (let i = 0; i < N; i++) mask[i] = argmaxRow(probs, i) !== labels[i] ? 1 : 0;
  for (let i = 0; i < N; i++) if (argmaxRow(probs, i) === labels[i]) mask[i] = 0;
  const scores = qualityScores(labels, probs, rankBy);
  const flagged: number[] = [];
  for (let i = 0; i < N; i++) if (mask[i]) flagged.push(i);
  const out: number[] = [];
  firstInOrder(
    mapInto(new Float64Array(flagged.length), flagged, (i) => -scores[i]),
    flagged.length,
    (r) => out.push(flagged[r]),
  );
  return out;
}

/** Calls `take` with the positions of the `count` largest values, largest first, ties by position (a stable radix sort). */
function firstInOrder(values: Float64Array, count: number, take: (position: number) => void): void {
  const { order } = sortDesc(values);
  for (let r = 0; r < Math.min(count, order.length); r++) take(order[r]);
}

/**
 * The positions `firstInOrder` takes, in position order, where only which ones matters (a mask): the
 * `count` largest values, ties to the earlier position, NaN below every number. Found by selecting
 * the count-th largest value rather than sorting (90 sorts of 100k rows for 10 classes: ~0.35 s).
 */
export function largest(values: Float64Array, count: number, take: (position: number) => void): void {
  const n = values.length;
  let numbers = 0;
  for (let i = 0; i < n; i++) if (values[i] === values[i]) numbers++;
  if (count >= numbers) {
    // Every number, then the first NaN positions.
    let nan = Math.min(count, n) - numbers;
    for (let i = 0; i < n; i++) if (values[i] === values[i] || nan-- > 0) take(i);
    return;
  }
  if (count <= 0) return;
  const a = new Float64Array(numbers);
  for (let i = 0, m = 0; i < n; i++) if (values[i] === values[i]) a[m++] = values[i];
  const t = nthSmallest(a, numbers - count);
  let ties = count;
  for (let i = 0; i < n; i++) if (values[i] > t) ties--;
  for (let i = 0; i < n; i++) if (values[i] > t || (values[i] === t && ties-- > 0)) take(i);
}

/**
 * Classes the model fails on (it gets under 10% of their rows right, with 10 rows or more): their
 * labels are flagged because of the model, so the reviewer should hear that before relabelling.
 */
export function modelFailsOn(perClass: Record<string, { rows: number; model_right: number }>): string[] {
  return Object.entries(perClass)
    .filter(([, p]) => p.rows >= 10 && p.model_right < 0.1 * p.rows)
    .map(([c]) => c);
}
