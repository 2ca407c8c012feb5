import { mulberry32 } from '../metrics/bootstrap';
import { NearestNeighbors, scanRows, type Matrix, type Metric, type Neighbors } from './knn';

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
    this.centres = kMeans(this.x, this.exact.norms, n, d, this.lists, metric);
    const of = new Int32Array(n);
    const count = new Int32Array(this.lists + 1);
    for (let from = 0; from < n; from += 4096) {
      const rows = Int32Array.from({ length: Math.min(4096, n - from) }, (_, q) => from + q);
      of.set(nearestCentres(this.x, this.exact.norms, d, metric === 'cosine', rows, this.centres, 1), from);
    }
    for (let i = 0; i < n; i++) count[of[i] + 1]++;
    for (let c = 0; c < this.lists; c++) count[c + 1] += count[c];
    this.start = count.slice();
    this.members = new Int32Array(n);
    const at = count.slice(0, this.lists);
    for (let i = 0; i < n; i++) this.members[at[of[i]]++] = i;
  }

  /**
   * Rows `from…to`: each probes its nearest lists; list by list, the queries probing it are scanned
   * against its rows with the exact search's kernel.
   */
  rows(from: number, to: number): void {
    const queries = Int32Array.from({ length: to - from }, (_, q) => from + q);
    const byList: number[][] = Array.from({ length: this.lists }, () => []);
    const { x, m, metric, probes } = this;
    const probed = nearestCentres(x, this.exact.norms, m.d, metric === 'cosine', queries, this.centres, probes);
    queries.forEach((i, q) => {
      for (const c of probed.subarray(q * probes, (q + 1) * probes)) if (c >= 0) byList[c].push(i);
    });
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
      ); // a query's heap is its place in `queries`
    });
    this.exact.finish(queries, found);
  }
}

/** Each query row's `p` nearest centres, nearest first: row-major [queries × p] (cosine: centres of unit length). */
function nearestCentres(
  x: Float64Array,
  norms: Float64Array,
  d: number,
  cosine: boolean,
  queries: Int32Array,
  centres: Float64Array,
  p: number,
): Int32Array {
  const lists = centres.length / d;
  const centreNorms = new Float64Array(lists);
  for (let c = 0; c < lists; c++) for (let t = 0; t < d; t++) centreNorms[c] += centres[c * d + t] ** 2;
  const h = {
    keep: p,
    dist: new Float64Array(queries.length * p).fill(Infinity),
    idx: new Int32Array(queries.length * p).fill(-1),
  };
  const all = Int32Array.from({ length: lists }, (_, c) => c);
  scanRows(
    x,
    norms,
    d,
    cosine,
    queries,
    { rows: centres, norms: centreNorms, self: false },
    all,
    h,
    queries.map((_, q) => q),
  );
  return h.idx;
}

/** `lists` centres by Lloyd's k-means (8 rounds) on an evenly spaced sample (seeded; cosine: centres kept unit length). */
function kMeans(
  x: Float64Array,
  norms: Float64Array,
  n: number,
  d: number,
  lists: number,
  metric: Metric,
): Float64Array {
  const rand = mulberry32(1);
  const step = Math.max(1, Math.floor(n / Math.min(n, 40 * lists)));
  const sample = Int32Array.from({ length: Math.ceil(n / step) }, (_, s) => s * step);
  const centres = new Float64Array(lists * d);
  const order = Array.from(sample, (i) => [rand(), i] as const).sort((a, b) => a[0] - b[0]);
  for (let c = 0; c < lists; c++)
    centres.set(x.subarray(order[c % order.length][1] * d, order[c % order.length][1] * d + d), c * d);
  for (let iter = 0; iter < 8; iter++) {
    const sums = new Float64Array(lists * d);
    const counts = new Int32Array(lists);
    const best = nearestCentres(x, norms, d, metric === 'cosine', sample, centres, 1);
    sample.forEach((i, q) => {
      counts[best[q]]++;
      for (let t = 0; t < d; t++) sums[best[q] * d + t] += x[i * d + t];
    });
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
