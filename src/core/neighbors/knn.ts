import { LoupeError } from '../errors';
import type { METRICS } from '../options';

/** Distances nearest neighbours are found by, as scikit-learn names them (core/options.ts METRICS). */
export type Metric = (typeof METRICS)[number];

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

/** A search for k neighbours needs a whole k below the row count and every value finite. */
export function checkSearch(m: Matrix, k: number): void {
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
}

/**
 * The rows as a search reads them: each divided by its length when `unit` (a zero row stays zero), as
 * scikit-learn's `normalize`; row `order[p]` copied to place p when an order is given.
 */
export function searchedRows(m: Matrix, unit: boolean, order?: Int32Array): Float64Array {
  const { d } = m;
  const out = new Float64Array(m.n * d);
  for (let p = 0; p < m.n; p++) {
    const o = (order ? order[p] : p) * d;
    let len = 1;
    if (unit) {
      let s = 0;
      for (let t = 0; t < d; t++) s += m.data[o + t] * m.data[o + t];
      len = Math.sqrt(s) || 1;
    }
    for (let t = 0; t < d; t++) out[p * d + t] = m.data[o + t] / len;
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
  /** The rows as searched: unit rows for cosine, else the rows themselves. */
  readonly x: Float64Array;
  /** Squared lengths of the rows (Euclidean). */
  readonly norms: Float64Array;

  constructor(
    private readonly m: Matrix,
    readonly k: number,
    readonly metric: Metric,
  ) {
    checkSearch(m, k);
    this.x = metric === 'cosine' ? searchedRows(m, true) : m.data;
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
   * Every row, in steps of about 20 million multiply-adds (whole blocks of four rows, as the kernel
   * works): yields the share done after each, so a caller can report progress and stop between steps.
   */
  *run(): Generator<number> {
    const { n, d } = this.m;
    const step = 4 * Math.max(1, Math.floor(5e6 / Math.max(1, n * d)));
    for (let from = 0; from < n; from += step) {
      this.rows(from, Math.min(n, from + step));
      yield Math.min(n, from + step) / n;
    }
  }

  /** Rows `from…to` against every row. */
  rows(from: number, to: number): void {
    const queries = Int32Array.from({ length: to - from }, (_, q) => from + q);
    const all = Int32Array.from({ length: this.m.n }, (_, j) => j);
    const found = this.heaps(queries.length);
    this.scan(
      queries,
      all,
      found,
      queries.map((_, q) => q),
    );
    this.finish(queries, found);
  }

  /** Room for the best candidates of `count` queries: k for cosine, k + 8 for Euclidean (see scan). */
  heaps(count: number): Heaps {
    const keep = this.metric === 'cosine' ? this.k : Math.min(this.m.n - 1, this.k + 8);
    return { keep, dist: new Float64Array(count * keep).fill(Infinity), idx: new Int32Array(count * keep).fill(-1) };
  }

  /** Offers candidate rows to the query rows' heaps (see scanRows); `finish` re-measures Euclidean ones exactly. */
  scan(queries: Int32Array, candidates: Int32Array, h: Heaps, slots: Int32Array): void {
    const against = { rows: this.x, norms: this.norms, self: true };
    scanRows(this.x, this.norms, this.m.d, this.metric === 'cosine', queries, against, candidates, h, slots);
  }

  /** The queries' neighbours into `out`: cosine as kept; Euclidean re-measured exactly and re-ranked. */
  finish(queries: Int32Array, h: Heaps): void {
    const { k, x } = this;
    const d = this.m.d;
    queries.forEach((i, q) => {
      const o = i * k;
      const from = q * h.keep;
      if (this.metric === 'cosine') {
        this.out.distances.set(h.dist.subarray(from, from + k), o);
        this.out.indices.set(h.idx.subarray(from, from + k), o);
        return;
      }
      const exact = Array.from(h.idx.subarray(from, from + h.keep), (j) => {
        if (j < 0) return { j, s: Infinity };
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
    });
  }
}

/**
 * Offers candidate rows (of `against.rows`: the same rows, or other vectors such as list centres) to
 * the query rows' heaps (query `queries[q]` fills heap `slots[q]`), four queries against two
 * candidates at a time, so each number loaded serves several products. Cosine distance is 1 − the
 * dot product of unit rows, as scikit-learn computes it; Euclidean candidates are ranked by
 * |a|² + |b|² − 2a·b (re-measured exactly in `finish`). Ties keep the lower row; `self` skips a
 * query's own row.
 */
export function scanRows(
  x: Float64Array,
  norms: Float64Array,
  d: number,
  cosine: boolean,
  queries: Int32Array,
  against: { rows: Float64Array; norms: Float64Array; self: boolean },
  candidates: Int32Array,
  h: Heaps,
  slots: Int32Array,
): void {
  const y = against.rows;
  const yNorms = against.norms;
  const self = against.self;
  const { keep, dist, idx } = h;
  const offer = (q: number, j: number, dot: number) => {
    const i = queries[q];
    if (self && j === i) return;
    let v: number;
    if (cosine) {
      v = 1 - dot;
      v = v < 0 ? 0 : v > 2 ? 2 : v;
    } else v = norms[i] + yNorms[j] - 2 * dot;
    const o = slots[q] * keep;
    const last = o + keep - 1;
    if (v > dist[last] || (v === dist[last] && idx[last] >= 0 && j > idx[last])) return;
    let p = last;
    while (p > o && (dist[p - 1] > v || (dist[p - 1] === v && idx[p - 1] > j))) {
      dist[p] = dist[p - 1];
      idx[p] = idx[p - 1];
      p--;
    }
    dist[p] = v;
    idx[p] = j;
  };
  const nq = queries.length;
  const nc = candidates.length;
  for (let q0 = 0; q0 < nq; q0 += 4) {
    const m = Math.min(4, nq - q0);
    // Queries past the block's end repeat its last one (their results are dropped).
    const a0 = queries[q0] * d;
    const a1 = queries[q0 + Math.min(1, m - 1)] * d;
    const a2 = queries[q0 + Math.min(2, m - 1)] * d;
    const a3 = queries[q0 + Math.min(3, m - 1)] * d;
    let c = 0;
    for (; c + 1 < nc; c += 2) {
      const j = candidates[c];
      const j2 = candidates[c + 1];
      const b = j * d;
      const e = j2 * d;
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0,
        t0 = 0,
        t1 = 0,
        t2 = 0,
        t3 = 0;
      for (let t = 0; t < d; t++) {
        const yb = y[b + t];
        const z = y[e + t];
        const u0 = x[a0 + t];
        const u1 = x[a1 + t];
        const u2 = x[a2 + t];
        const u3 = x[a3 + t];
        s0 += u0 * yb;
        s1 += u1 * yb;
        s2 += u2 * yb;
        s3 += u3 * yb;
        t0 += u0 * z;
        t1 += u1 * z;
        t2 += u2 * z;
        t3 += u3 * z;
      }
      const S = [s0, s1, s2, s3];
      const T = [t0, t1, t2, t3];
      for (let q = 0; q < m; q++) {
        offer(q0 + q, j, S[q]);
        offer(q0 + q, j2, T[q]);
      }
    }
    for (; c < nc; c++) {
      const j = candidates[c];
      for (let q = 0; q < m; q++) {
        const a = queries[q0 + q] * d;
        let s = 0;
        for (let t = 0; t < d; t++) s += x[a + t] * y[j * d + t];
        offer(q0 + q, j, s);
      }
    }
  }
}

/** The best candidates found so far for a set of queries, `keep` per query, nearest first. */
export interface Heaps {
  keep: number;
  dist: Float64Array;
  idx: Int32Array;
}

/** All rows at once (for small inputs and tests). */
export function nearestNeighbors(m: Matrix, k: number, metric: Metric = defaultMetric(m.d)): Neighbors {
  const nn = new NearestNeighbors(m, k, metric);
  for (const _ of nn.run());
  return nn.out;
}
