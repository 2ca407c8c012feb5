/**
 * Data issues beyond labels, with the definitions of cleanlab 2.9's Datalab
 * (cleanlab/datalab/internal/issue_manager/{duplicate,outlier,imbalance}.py and
 * cleanlab/internal/neighbor/knn_graph.py). Every function works on one kNN graph of the rows.
 */
import { mapInto } from '../arrays';
import { quantileSorted } from '../stats/intervals';
import type { Matrix, Neighbors } from '../neighbors/knn';

/** cleanlab's EPSILON: keeps a zero median from becoming a zero threshold or scale. */
const EPSILON = 1e-6;
const F64_EPS = 2 ** -52;
const F64_EPSNEG = 2 ** -53;

/** Datalab's default thresholds. */
export const NEAR_DUPLICATE_THRESHOLD = 0.13;
export const OUTLIER_THRESHOLD = 0.37037;
export const CLASS_IMBALANCE_THRESHOLD = 0.1;

const median = (v: Float64Array) => quantileSorted(Float64Array.from(v).sort(), 0.5);

/** Groups of two or more identical rows (−0 equals 0), each ascending; as `np.unique(axis=0)`. */
export function exactDuplicateSets(m: Matrix): number[][] {
  const { n, d, data } = m;
  const buckets = new Map<number, number[][]>();
  const same = (a: number, b: number) => {
    for (let t = 0; t < d; t++) if (data[a * d + t] !== data[b * d + t]) return false;
    return true;
  };
  const bits = new Float64Array(1);
  const words = new Uint32Array(bits.buffer);
  for (let i = 0; i < n; i++) {
    let h = 0x811c9dc5;
    for (let t = 0; t < d; t++) {
      bits[0] = data[i * d + t] + 0; // −0 → 0
      h = Math.imul(h ^ words[0], 0x01000193);
      h = Math.imul(h ^ words[1], 0x01000193);
    }
    const list = buckets.get(h);
    const group = list?.find((g) => same(g[0], i));
    if (group) group.push(i);
    else if (list) list.push([i]);
    else buckets.set(h, [[i]]);
  }
  return [...buckets.values()].flat().filter((g) => g.length > 1);
}

/**
 * Makes exact duplicates each other's nearest neighbours at distance 0, as cleanlab's
 * `correct_knn_graph`: within a set, a row's first neighbours are the other members (up to k, in
 * row order), then its own nearest non-members.
 */
export function correctExactDuplicates(g: Neighbors, sets: number[][]): void {
  const { k, distances: dist, indices: idx } = g;
  for (const dup of sets) {
    const m = Math.min(dup.length - 1, k);
    const base = dup.slice(0, m + 1);
    if (dup.length >= k + 1) {
      dup.forEach((r, i) => {
        const others = i <= k ? base.filter((_, j) => j !== i) : dup.slice(0, k);
        idx.set(others, r * k);
        dist.fill(0, r * k, r * k + k);
      });
      continue;
    }
    const members = new Set(dup);
    dup.forEach((r, i) => {
      const o = r * k;
      const row = Array.from(idx.subarray(o, o + k));
      const rowDist = Array.from(dist.subarray(o, o + k));
      // Non-members first, in their order, then members (a stable sort on "is a member").
      const order = [...row.keys()].sort((a, b) => Number(members.has(row[a])) - Number(members.has(row[b])));
      const keep = order.slice(0, k - m);
      keep.forEach((p, q) => {
        idx[o + m + q] = row[p];
        dist[o + m + q] = rowDist[p];
      });
      base
        .filter((_, j) => j !== i)
        .forEach((x, q) => {
          idx[o + q] = x;
          dist[o + q] = 0;
        });
    });
  }
}

export interface NearDuplicates {
  /** Per row, the rows within the threshold of it (Datalab's `near_duplicate_sets`). */
  sets: number[][];
  isIssue: Uint8Array;
  /** 1 − exp(−d/median) of the distance d to the nearest row; 0 for an exact duplicate. */
  scores: Float64Array;
  median: number;
  threshold: number;
}

/** Datalab's `near_duplicate` check on a (corrected) kNN graph. */
export function nearDuplicates(g: Neighbors, threshold = NEAR_DUPLICATE_THRESHOLD): NearDuplicates {
  const { n, k, distances, indices } = g;
  const nn = new Float64Array(n);
  for (let i = 0; i < n; i++) nn[i] = distances[i * k];
  const med = Math.max(median(nn), EPSILON);
  const radius = threshold * med;
  const sets: number[][] = [];
  for (let i = 0; i < n; i++) {
    const s: number[] = [];
    for (let p = 0; p < k; p++) if (distances[i * k + p] < radius) s.push(indices[i * k + p]);
    sets.push(s);
  }
  // Near duplication is mutual: add each row to the sets of its near duplicates (cleanlab's second
  // pass, which sees the rows it has already added).
  for (let i = 0; i < n; i++) for (const j of [...sets[i]]) if (!sets[j].includes(i)) sets[j].push(i);
  const isIssue = new Uint8Array(n);
  sets.forEach((s, i) => {
    if (s.length) {
      isIssue[i] = 1;
      for (const j of s) isIssue[j] = 1;
    }
  });
  const scores = nn.map((d) => (Math.abs(d) <= 1e-8 ? 0 : 1 - Math.exp(-d / med)));
  return { sets, isIssue, scores, median: med, threshold };
}

export interface Outliers {
  isIssue: Uint8Array;
  /** exp(−a/scale) of the mean distance a to the k nearest rows; lower is more unusual. */
  scores: Float64Array;
  /** Mean distances above this are outliers: Q3 + (1/threshold − 1)·IQR. */
  issueThreshold: number;
  threshold: number;
}

/** Datalab's `outlier` check on a (corrected) kNN graph. */
export function outliers(g: Neighbors, threshold = OUTLIER_THRESHOLD): Outliers {
  const { n, k, distances } = g;
  const avg = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += distances[i * k + p];
    avg[i] = s / k;
  }
  const sorted = Float64Array.from(avg).sort();
  const q3 = quantileSorted(sorted, 0.75);
  const iqr = q3 - quantileSorted(sorted, 0.25);
  const issueThreshold = q3 + (threshold === 0 ? Infinity : 1 / threshold - 1) * iqr;
  const scale = Math.max(quantileSorted(sorted, 0.5), 100 * F64_EPS);
  // Distances this small are rounding error: such rows sit on others and score 1.
  const tolerance = g.metric === 'cosine' ? 100 * F64_EPSNEG : Math.sqrt(100 * F64_EPS);
  const scores = avg.map((a) => (a < tolerance ? 1 : Math.exp(-a / Math.max(scale, EPSILON))));
  const isIssue = mapInto(new Uint8Array(avg.length), avg, (a) => Number(a > issueThreshold));
  return { isIssue, scores, issueThreshold, threshold };
}

export interface ClassImbalance {
  /** The rarest class when it holds under threshold/K of the rows, else null. */
  rarest: number | null;
  isIssue: Uint8Array;
  /** The rarest class's share for its rows, 1 for the others. */
  scores: Float64Array;
  threshold: number;
}

/** Datalab's `class_imbalance` check: `y` holds class numbers 0…K−1 of K classes present. */
export function classImbalance(
  y: ArrayLike<number>,
  classes: number,
  threshold = CLASS_IMBALANCE_THRESHOLD,
): ClassImbalance {
  const counts = new Float64Array(classes);
  for (let j = 0; j < y.length; j++) counts[y[j]]++;
  const share = counts.map((c) => c / y.length);
  let rarest = 0;
  for (let c = 1; c < classes; c++) if (share[c] < share[rarest]) rarest = c;
  const flagged = share[rarest] < threshold * (1 / classes);
  const isIssue = new Uint8Array(y.length);
  const scores = new Float64Array(y.length);
  for (let j = 0; j < y.length; j++) {
    scores[j] = y[j] === rarest ? share[rarest] : 1;
    isIssue[j] = Number(flagged && y[j] === rarest);
  }
  return { rarest: flagged ? rarest : null, isIssue, scores, threshold };
}

/**
 * A warning when the space has far fewer points than rows (at most half: a few numeric features of
 * few values, such as a 1–5 rating): most rows then have exact twins, and near duplicates and
 * outliers say more about the features than about the rows. Null otherwise.
 */
export function spaceNote(
  space: { source: 'embedding' | 'features'; columns: string[]; distinct: number },
  rows: number,
): string | null {
  if (space.distinct > rows / 2) return null;
  const on = space.source === 'embedding' ? 'the embedding' : `the numeric features (${space.columns.join(', ')})`;
  return (
    `The ${rows.toLocaleString('en-US')} rows are only ${space.distinct.toLocaleString('en-US')} distinct points of ${on}: ` +
    'most rows have exact twins there, so near duplicates and outliers say little about the rows themselves. ' +
    'An embedding of the text or images (a list column, or emb_0 … emb_n) makes them meaningful.'
  );
}
