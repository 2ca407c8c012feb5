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
    this.out = { n: m.n, k, metric, distances: new Float64Array(m.n * k), indices: new Int32Array(m.n * k) };
  }

  rows(from: number, to: number): void {
    const { n, d } = this.m;
    const { k, x } = this;
    const cosine = this.metric === 'cosine';
    const dist = new Float64Array(k);
    const idx = new Int32Array(k);
    for (let i = from; i < to; i++) {
      dist.fill(Infinity);
      idx.fill(-1);
      const a = i * d;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const b = j * d;
        let s = 0;
        if (cosine) {
          for (let t = 0; t < d; t++) s += x[a + t] * x[b + t];
          s = 1 - s;
          s = s < 0 ? 0 : s > 2 ? 2 : s;
        } else {
          for (let t = 0; t < d; t++) {
            const e = x[a + t] - x[b + t];
            s += e * e;
          }
        }
        if (s >= dist[k - 1]) continue;
        // Insert after every kept neighbour at the same distance: ties keep the lower row number.
        let p = k - 1;
        while (p > 0 && dist[p - 1] > s) {
          dist[p] = dist[p - 1];
          idx[p] = idx[p - 1];
          p--;
        }
        dist[p] = s;
        idx[p] = j;
      }
      const o = i * k;
      for (let p = 0; p < k; p++) this.out.distances[o + p] = cosine ? dist[p] : Math.sqrt(dist[p]);
      this.out.indices.set(idx, o);
    }
  }
}

/** All rows at once (for small inputs and tests). */
export function nearestNeighbors(m: Matrix, k: number, metric: Metric = defaultMetric(m.d)): Neighbors {
  const nn = new NearestNeighbors(m, k, metric);
  nn.rows(0, m.n);
  return nn.out;
}
