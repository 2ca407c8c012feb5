import { mulberry32 } from '../metrics/bootstrap';
import { NearestNeighbors, type Matrix, type Metric, type Neighbors } from './knn';

/**
 * Approximate k nearest neighbours for tables too large for the exact search: an inverted file
 * (IVF). k-means cuts the rows into about √n lists; each row's neighbours are searched, exactly as
 * NearestNeighbors measures them, among the rows of the `probes` lists whose centres are nearest
 * to it. The distances found are exact; a true neighbour in a list not probed is missed, which is
 * what recall (measured against the exact search on a sample of rows) says.
 */
export class ApproximateNeighbors {
  readonly out: Neighbors;
  readonly lists: number;
  readonly probes: number;
  private readonly x: Float64Array;
  private readonly centres: Float64Array;
  /** Rows of list c: members[start[c] … start[c + 1]). */
  private readonly start: Int32Array;
  private readonly members: Int32Array;
  private readonly exact: NearestNeighbors;

  constructor(
    private readonly m: Matrix,
    readonly k: number,
    readonly metric: Metric,
    probes = 8,
  ) {
    // The exact search's checks (k, missing values), its view of the rows (unit rows for cosine) and its kernel.
    this.exact = new NearestNeighbors(m, k, metric);
    this.x = this.exact.x;
    this.out = this.exact.out;
    const { n, d } = m;
    this.lists = Math.max(1, Math.min(4096, Math.round(Math.sqrt(n))));
    this.probes = Math.min(this.lists, probes);
    this.centres = kMeans(this.x, n, d, this.lists, metric);
    const of = new Int32Array(n);
    const count = new Int32Array(this.lists + 1);
    for (let i = 0; i < n; i++) {
      of[i] = this.nearestCentres(i, 1)[0];
      count[of[i] + 1]++;
    }
    for (let c = 0; c < this.lists; c++) count[c + 1] += count[c];
    this.start = count.slice();
    this.members = new Int32Array(n);
    const at = count.slice(0, this.lists);
    for (let i = 0; i < n; i++) this.members[at[of[i]]++] = i;
  }

  /** The `p` centres nearest to row i (by the metric's distance), nearest first. */
  private nearestCentres(i: number, p: number): Int32Array {
    const { d } = this.m;
    const best = new Int32Array(p).fill(-1);
    const bestD = new Float64Array(p).fill(Infinity);
    for (let c = 0; c < this.lists; c++) {
      const v = distance(this.x, i * d, this.centres, c * d, d, this.metric);
      if (v >= bestD[p - 1]) continue;
      let q = p - 1;
      while (q > 0 && bestD[q - 1] > v) {
        bestD[q] = bestD[q - 1];
        best[q] = best[q - 1];
        q--;
      }
      bestD[q] = v;
      best[q] = c;
    }
    return best;
  }

  /**
   * Rows `from…to`: each probes its nearest lists; list by list, the queries probing it are scanned
   * against its rows with the exact search's kernel.
   */
  rows(from: number, to: number): void {
    const queries = Int32Array.from({ length: to - from }, (_, q) => from + q);
    const byList: number[][] = Array.from({ length: this.lists }, () => []);
    for (const i of queries) for (const c of this.nearestCentres(i, this.probes)) if (c >= 0) byList[c].push(i);
    const found = this.exact.heaps(queries.length);
    byList.forEach((rows, c) => {
      if (!rows.length) return;
      const members = this.members.subarray(this.start[c], this.start[c + 1]);
      const q = Int32Array.from(rows);
      this.exact.scan(
        q,
        members,
        found,
        q.map((i) => i - from),
      );
    });
    this.exact.finish(queries, found);
  }
}

/** Squared Euclidean distance, or cosine distance of unit rows (clipped to [0, 2]), as the exact search. */
function distance(a: Float64Array, ao: number, b: Float64Array, bo: number, d: number, metric: Metric): number {
  let s = 0;
  if (metric === 'cosine') {
    for (let t = 0; t < d; t++) s += a[ao + t] * b[bo + t];
    s = 1 - s;
    return s < 0 ? 0 : s > 2 ? 2 : s;
  }
  for (let t = 0; t < d; t++) {
    const e = a[ao + t] - b[bo + t];
    s += e * e;
  }
  return s;
}

/** `lists` centres by Lloyd's k-means on an evenly spaced sample (seeded; cosine: centres kept unit length). */
function kMeans(x: Float64Array, n: number, d: number, lists: number, metric: Metric): Float64Array {
  const rand = mulberry32(1);
  const step = Math.max(1, Math.floor(n / Math.min(n, 40 * lists)));
  const sample: number[] = [];
  for (let i = 0; i < n; i += step) sample.push(i);
  const centres = new Float64Array(lists * d);
  const order = sample.map((i) => [rand(), i] as const).sort((a, b) => a[0] - b[0]);
  for (let c = 0; c < lists; c++)
    centres.set(x.subarray(order[c % order.length][1] * d, order[c % order.length][1] * d + d), c * d);
  for (let iter = 0; iter < 8; iter++) {
    const sums = new Float64Array(lists * d);
    const counts = new Int32Array(lists);
    for (const i of sample) {
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < lists; c++) {
        const v = distance(x, i * d, centres, c * d, d, metric);
        if (v < bestD) [best, bestD] = [c, v];
      }
      counts[best]++;
      for (let t = 0; t < d; t++) sums[best * d + t] += x[i * d + t];
    }
    for (let c = 0; c < lists; c++) {
      if (!counts[c]) continue; // an empty list keeps its centre
      let len = 0;
      for (let t = 0; t < d; t++) len += (sums[c * d + t] / counts[c]) ** 2;
      const scale = metric === 'cosine' ? 1 / (Math.sqrt(len) || 1) : 1 / counts[c];
      for (let t = 0; t < d; t++)
        centres[c * d + t] = metric === 'cosine' ? (sums[c * d + t] / counts[c]) * scale : sums[c * d + t] * scale;
    }
  }
  return centres;
}

/**
 * Share of the exact k nearest neighbours that `found` holds too, measured on `blocks` evenly spaced
 * runs of four rows (the exact search works four rows at a time).
 */
export function recall(m: Matrix, found: Neighbors, blocks = 25): number {
  const exact = new NearestNeighbors(m, found.k, found.metric);
  const { k } = found;
  let hit = 0;
  let total = 0;
  for (let b = 0; b < blocks; b++) {
    const from = Math.min(Math.max(0, m.n - 4), Math.floor((b * m.n) / blocks));
    exact.rows(from, Math.min(m.n, from + 4));
    for (let i = from; i < Math.min(m.n, from + 4); i++) {
      const got = new Set(found.indices.subarray(i * k, i * k + k));
      for (const j of exact.out.indices.subarray(i * k, i * k + k)) hit += Number(got.has(j));
      total += k;
    }
  }
  return total ? hit / total : 1;
}
