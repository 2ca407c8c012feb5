import { LoupeError } from '../errors';

/** Distances nearest neighbours are found by, as scikit-learn names them. */
export type Metric = 'euclidean' | 'cosine';
export const METRICS: readonly Metric[] = ['euclidean', 'cosine'];

/** `n` rows of `d` numbers, row after row. */
export interface Matrix {
  n: number;
  d: number;
  data: Float64Array;
}

/** Each row's `k` nearest other rows, nearest first: row i's are at `i * k … i * k + k - 1`. */
export interface Neighbors {
  n: number;
  k: number;
  metric: Metric;
  distances: Float64Array;
  indices: Int32Array;
}

/** cleanlab's default: cosine distance for more than 3 dimensions, Euclidean otherwise. */
export function defaultMetric(d: number): Metric {
  return d > 3 ? 'cosine' : 'euclidean';
}

/** Each row divided by its length (a zero row stays zero), as scikit-learn's `normalize`. */
function unitRows(m: Matrix): Float64Array {
  const out = new Float64Array(m.data.length);
  for (let i = 0; i < m.n; i++) {
    const o = i * m.d;
    let s = 0;
    for (let t = 0; t < m.d; t++) s += m.data[o + t] * m.data[o + t];
    const len = Math.sqrt(s) || 1;
    for (let t = 0; t < m.d; t++) out[o + t] = m.data[o + t] / len;
  }
  return out;
}

/**
 * Exact k nearest neighbours of every row among the other rows, as scikit-learn's
 * `NearestNeighbors(n_neighbors=k, metric).kneighbors()`: Euclidean distance summed directly
 * (as its trees do), cosine distance `1 − x·y / (|x||y|)` clipped to [0, 2]. Ties go to the lower
 * row number. Computes rows `from…to` into `out`, so a caller can work in chunks, report progress
 * and stop between them.
 */
export class NearestNeighbors {
  readonly out: Neighbors;
  private readonly x: Float64Array;
  /** Squared lengths of the rows (Euclidean). */
  private readonly norms: Float64Array;

  constructor(
    private readonly m: Matrix,
    readonly k: number,
    readonly metric: Metric,
  ) {
    if (!Number.isInteger(k) || k < 1) throw new LoupeError('bad-usage', `k must be a whole number ≥ 1, not ${k}`);
    if (k >= m.n)
      throw new LoupeError(
        'bad-usage',
        `k=${k} nearest neighbours need more than ${k} rows; there are ${m.n}. Choose a smaller k.`,
      );
    for (let i = 0; i < m.data.length; i++)
      if (!Number.isFinite(m.data[i]))
        throw new LoupeError(
          'bad-roles',
          `row ${Math.floor(i / m.d)} has a missing or infinite value (at position ${i % m.d}); nearest neighbours need every value.`,
        );
    this.x = metric === 'cosine' ? unitRows(m) : m.data;
    this.norms = new Float64Array(m.n);
    if (metric === 'euclidean')
      for (let i = 0; i < m.n; i++) {
        let s = 0;
        for (let t = 0; t < m.d; t++) s += m.data[i * m.d + t] ** 2;
        this.norms[i] = s;
      }
    this.out = { n: m.n, k, metric, distances: new Float64Array(m.n * k), indices: new Int32Array(m.n * k) };
  }

  /**
   * Rows `from…to`, four queries at a time against two candidates at a time (each number loaded
   * serves several products). Cosine distance is 1 − the dot product of unit rows, as scikit-learn
   * computes it. Euclidean candidates are ranked by |a|² + |b|² − 2a·b and the best k + 8 then
   * re-measured exactly (summed differences), so rounding in the shortcut never reaches the result.
   */
  rows(from: number, to: number): void {
    const { n, d } = this.m;
    const { k, x } = this;
    const cosine = this.metric === 'cosine';
    const keep = cosine ? k : Math.min(n - 1, k + 8);
    const norms = this.norms;
    const dist = Array.from({ length: 4 }, () => new Float64Array(keep));
    const idx = Array.from({ length: 4 }, () => new Int32Array(keep));
    const offer = (q: number, i: number, j: number, v: number) => {
      if (j === i) return;
      const D = dist[q];
      if (v >= D[keep - 1]) return;
      // Insert after every kept neighbour at the same distance: ties keep the lower row number.
      const I = idx[q];
      let p = keep - 1;
      while (p > 0 && D[p - 1] > v) {
        D[p] = D[p - 1];
        I[p] = I[p - 1];
        p--;
      }
      D[p] = v;
      I[p] = j;
    };
    const score = (i: number, j: number, dot: number) => {
      if (cosine) {
        const v = 1 - dot;
        return v < 0 ? 0 : v > 2 ? 2 : v;
      }
      return norms[i] + norms[j] - 2 * dot;
    };
    for (let i0 = from; i0 < to; i0 += 4) {
      const m = Math.min(4, to - i0);
      for (let q = 0; q < 4; q++) (dist[q].fill(Infinity), idx[q].fill(-1));
      // Rows past the block's end repeat its last row (their results are dropped).
      const a0 = i0 * d;
      const a1 = Math.min(i0 + 1, to - 1) * d;
      const a2 = Math.min(i0 + 2, to - 1) * d;
      const a3 = Math.min(i0 + 3, to - 1) * d;
      let j = 0;
      for (; j + 1 < n; j += 2) {
        const b = j * d;
        const c = b + d;
        let s0 = 0,
          s1 = 0,
          s2 = 0,
          s3 = 0,
          t0 = 0,
          t1 = 0,
          t2 = 0,
          t3 = 0;
        for (let t = 0; t < d; t++) {
          const y = x[b + t];
          const z = x[c + t];
          const u0 = x[a0 + t];
          const u1 = x[a1 + t];
          const u2 = x[a2 + t];
          const u3 = x[a3 + t];
          s0 += u0 * y;
          s1 += u1 * y;
          s2 += u2 * y;
          s3 += u3 * y;
          t0 += u0 * z;
          t1 += u1 * z;
          t2 += u2 * z;
          t3 += u3 * z;
        }
        const S = [s0, s1, s2, s3];
        const T = [t0, t1, t2, t3];
        for (let q = 0; q < m; q++) {
          offer(q, i0 + q, j, score(i0 + q, j, S[q]));
          offer(q, i0 + q, j + 1, score(i0 + q, j + 1, T[q]));
        }
      }
      for (; j < n; j++)
        for (let q = 0; q < m; q++) {
          const a = (i0 + q) * d;
          let s = 0;
          for (let t = 0; t < d; t++) s += x[a + t] * x[j * d + t];
          offer(q, i0 + q, j, score(i0 + q, j, s));
        }
      for (let q = 0; q < m; q++) this.finish(i0 + q, dist[q], idx[q]);
    }
  }

  /** Row i's neighbours into `out`: cosine as kept; Euclidean re-measured exactly and re-ranked. */
  private finish(i: number, dist: Float64Array, idx: Int32Array): void {
    const { k, x } = this;
    const d = this.m.d;
    const o = i * k;
    if (this.metric === 'cosine') {
      this.out.distances.set(dist.subarray(0, k), o);
      this.out.indices.set(idx.subarray(0, k), o);
      return;
    }
    const exact = Array.from(idx, (j) => {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const e = x[i * d + t] - x[j * d + t];
        s += e * e;
      }
      return { j, s };
    }).sort((a, b) => a.s - b.s || a.j - b.j);
    for (let p = 0; p < k; p++) {
      this.out.distances[o + p] = Math.sqrt(exact[p].s);
      this.out.indices[o + p] = exact[p].j;
    }
  }
}

/** All rows at once (for small inputs and tests). */
export function nearestNeighbors(m: Matrix, k: number, metric: Metric = defaultMetric(m.d)): Neighbors {
  const nn = new NearestNeighbors(m, k, metric);
  nn.rows(0, m.n);
  return nn.out;
}
