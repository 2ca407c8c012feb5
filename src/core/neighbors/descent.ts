import { mulberry32 } from '../metrics/bootstrap';
import { checkSearch, NearestNeighbors, searchedRows, type Matrix, type Metric, type Neighbors } from './knn';

/**
 * Approximate k nearest neighbours of every row, for tables too large for the exact search: NN-descent
 * (Dong, Charikar & Li 2011; the graph PyNNDescent builds for UMAP). Random projection trees give each
 * row first candidates (the rows sharing its leaves); then each round compares the neighbours of a
 * row's neighbours with one another and keeps the nearest, until a round changes almost nothing. Its
 * work grows with rows × candidates², not rows², whatever the shape of the data.
 *
 * Every distance kept is measured as NearestNeighbors measures it (the same sum in the same order), and
 * ties go to the lower row; what the search can miss is a true neighbour, which `recall` measures.
 * The rows are copied in the first tree's leaf order, so rows that are near are near in memory too.
 */
export class DescentNeighbors {
  readonly out: Neighbors;
  /** Neighbours kept per row while searching: more than k, since the extra ones lead to the true k sooner. */
  readonly keep: number;
  /** Random projection trees giving the first candidates (more changed little on the benchmarks' data). */
  readonly trees = 4;
  /** At most log₂ n rounds (at least 8), as PyNNDescent. */
  readonly maxRounds: number;
  /** Rounds run (they stop once one changes fewer than 0.1% of the kept neighbours). */
  rounds = 0;
  private readonly n: number;
  private readonly d: number;
  private readonly cosine: boolean;
  /** The rows as searched (unit rows for cosine), row `order[p]` at place p; every index below is a place. */
  private x: Float64Array = new Float64Array(0);
  private order: Int32Array = new Int32Array(0);
  private readonly dist: Float64Array;
  private readonly idx: Int32Array;
  /** 1 while a kept neighbour has not yet been compared with the row's others. */
  private readonly fresh: Uint8Array;
  private readonly rand = mulberry32(1);

  constructor(
    private readonly m: Matrix,
    readonly k: number,
    readonly metric: Metric,
  ) {
    checkSearch(m, k);
    this.n = m.n;
    this.d = m.d;
    this.cosine = metric === 'cosine';
    this.keep = Math.min(m.n - 1, Math.max(20, 2 * k));
    this.maxRounds = Math.max(8, Math.round(Math.log2(m.n)));
    this.out = { n: m.n, k, metric, distances: new Float64Array(m.n * k), indices: new Int32Array(m.n * k) };
    this.dist = new Float64Array(m.n * this.keep).fill(Infinity);
    this.idx = new Int32Array(m.n * this.keep).fill(-1);
    this.fresh = new Uint8Array(m.n * this.keep);
  }

  /**
   * The search, in pieces of a few million distances: yields an estimate of the share done (rounds
   * stop early once they change little), so a caller can report progress, and stop by not going on.
   */
  *run(): Generator<number> {
    const { n, keep, rand } = this;
    const units = this.trees + this.maxRounds;
    // The first tree splits the rows as given and sets the order they are searched in.
    const first = this.tree(this.m.data, this.cosine);
    this.order = first.rows;
    this.x = searchedRows(this.m, this.cosine, this.order);
    this.offerLeaves(
      Int32Array.from({ length: n }, (_, p) => p),
      first.leaves,
    );
    yield 1 / units;
    for (let t = 1; t < this.trees; t++) {
      const { rows, leaves } = this.tree(this.x, false);
      this.offerLeaves(rows, leaves);
      yield (t + 1) / units;
    }
    for (let i = 0; i < n; i++)
      for (let tries = 0; tries < 4 * keep && this.idx[i * keep + keep - 1] < 0; tries++) {
        const j = Math.floor(rand() * n);
        if (j !== i) this.offer(i, j, this.measure(i, j));
      }

    // Candidates per row and round: twice the neighbours kept. On isotropic data (the benchmarks' Gaussian
    // clusters) this found 95% of the neighbours at 100k × 64 where S = keep found 85%, for ~20% more time.
    const S = 2 * keep;
    const fresh = new Int32Array(n * S);
    const old = new Int32Array(n * S);
    const freshCount = new Int32Array(n);
    const oldCount = new Int32Array(n);
    const freshSeen = new Int32Array(n);
    const oldSeen = new Int32Array(n);
    const to = new Int32Array(2 * S);
    const at = new Float64Array(2 * S);
    /** Offers j as a candidate of row i: each row keeps a uniform sample of S of its candidates (reservoir sampling). */
    const sample = (list: Int32Array, count: Int32Array, seen: Int32Array, i: number, j: number) => {
      const o = i * S;
      for (let p = 0; p < count[i]; p++) if (list[o + p] === j) return;
      const s = seen[i]++;
      if (count[i] < S) list[o + count[i]++] = j;
      else {
        const r = Math.floor(rand() * (s + 1));
        if (r < S) list[o + r] = j;
      }
    };
    const piece = Math.max(1, Math.floor(2e7 / (this.d * S * S)));
    for (this.rounds = 0; this.rounds < this.maxRounds;) {
      freshCount.fill(0);
      oldCount.fill(0);
      freshSeen.fill(0);
      oldSeen.fill(0);
      // A row's candidates: its neighbours and the rows it is a neighbour of, new and old apart.
      for (let i = 0; i < n; i++)
        for (let p = i * keep; p < i * keep + keep; p++) {
          const j = this.idx[p];
          if (j < 0) continue;
          if (this.fresh[p]) {
            sample(fresh, freshCount, freshSeen, i, j);
            sample(fresh, freshCount, freshSeen, j, i);
          } else {
            sample(old, oldCount, oldSeen, i, j);
            sample(old, oldCount, oldSeen, j, i);
          }
        }
      // A neighbour sampled as new is compared in this round.
      for (let i = 0; i < n; i++)
        for (let p = i * keep; p < i * keep + keep; p++)
          if (this.fresh[p])
            for (let q = i * S; q < i * S + freshCount[i]; q++) if (fresh[q] === this.idx[p]) this.fresh[p] = 0;
      let changed = 0;
      for (let i = 0; i < n; i++) {
        const o = i * S;
        for (let a = 0; a < freshCount[i]; a++) {
          const u = fresh[o + a];
          let count = 0;
          for (let b = a + 1; b < freshCount[i]; b++) to[count++] = fresh[o + b];
          for (let b = 0; b < oldCount[i]; b++) if (old[o + b] !== u) to[count++] = old[o + b];
          this.measureMany(u, to, count, at);
          for (let c = 0; c < count; c++) changed += this.offer(u, to[c], at[c]) + this.offer(to[c], u, at[c]);
        }
        if ((i + 1) % piece === 0) yield (this.trees + this.rounds + (i + 1) / n) / units;
      }
      this.rounds++;
      if (changed <= 0.001 * n * keep) break;
    }
    this.finish();
    yield 1;
  }

  /**
   * A random projection tree over `data`'s rows (divided by their length when `unit`): at each level
   * the rows are split at the median of their projections on a random direction, until a leaf holds
   * at most max(10, keep) rows. Gives the rows in leaf order and where each leaf starts (and the end).
   */
  private tree(data: Float64Array, unit: boolean): { rows: Int32Array; leaves: Int32Array } {
    const { n, d, rand } = this;
    const leaf = Math.max(10, this.keep);
    const depth = Math.max(1, Math.ceil(Math.log2(n / leaf)));
    const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    const directions = Float64Array.from({ length: depth * d }, gauss);
    // Each row's projections, one per level, computed in one pass over the rows in memory order.
    const proj = new Float32Array(n * depth);
    for (let i = 0; i < n; i++) {
      const o = i * d;
      let len = 1;
      if (unit) {
        let s = 0;
        for (let t = 0; t < d; t++) s += data[o + t] * data[o + t];
        len = Math.sqrt(s) || 1;
      }
      for (let l = 0; l < depth; l++) {
        let s = 0;
        for (let t = 0; t < d; t++) s += directions[l * d + t] * data[o + t];
        proj[i * depth + l] = s / len;
      }
    }
    const rows = Int32Array.from({ length: n }, (_, i) => i);
    const leaves: number[] = [];
    const split = (from: number, to: number, level: number) => {
      if (to - from <= leaf || level === depth) {
        leaves.push(from);
        return;
      }
      const mid = from + ((to - from) >> 1);
      // Quickselect: rows[from…mid) project at most as far as rows[mid…to).
      let lo = from;
      let hi = to - 1;
      while (lo < hi) {
        const pivot = proj[rows[lo + Math.floor(rand() * (hi - lo + 1))] * depth + level];
        let i = lo;
        let j = hi;
        while (i <= j) {
          while (proj[rows[i] * depth + level] < pivot) i++;
          while (proj[rows[j] * depth + level] > pivot) j--;
          if (i <= j) {
            const r = rows[i];
            rows[i++] = rows[j];
            rows[j--] = r;
          }
        }
        if (mid <= j) hi = j;
        else if (mid >= i) lo = i;
        else break;
      }
      split(from, mid, level + 1);
      split(mid, to, level + 1);
    };
    split(0, n, 0);
    leaves.push(n);
    return { rows, leaves: Int32Array.from(leaves) };
  }

  /** The rows of each leaf (`rows[leaves[l]…leaves[l + 1])`) offered to one another. */
  private offerLeaves(rows: Int32Array, leaves: Int32Array): void {
    let most = 0;
    for (let l = 0; l + 1 < leaves.length; l++) most = Math.max(most, leaves[l + 1] - leaves[l]);
    const at = new Float64Array(most);
    for (let l = 0; l + 1 < leaves.length; l++)
      for (let a = leaves[l]; a < leaves[l + 1]; a++) {
        const u = rows[a];
        const to = rows.subarray(a + 1, leaves[l + 1]);
        this.measureMany(u, to, to.length, at);
        for (let c = 0; c < to.length; c++) {
          this.offer(u, to[c], at[c]);
          this.offer(to[c], u, at[c]);
        }
      }
  }

  /** Distance as the exact search measures it: squared Euclidean summed directly, or 1 − the dot product of unit rows. */
  private measure(i: number, j: number): number {
    const { x, d } = this;
    const a = i * d;
    const b = j * d;
    let s = 0;
    if (this.cosine) {
      for (let t = 0; t < d; t++) s += x[a + t] * x[b + t];
      const v = 1 - s;
      return v < 0 ? 0 : v > 2 ? 2 : v;
    }
    for (let t = 0; t < d; t++) {
      const e = x[a + t] - x[b + t];
      s += e * e;
    }
    return s;
  }

  /**
   * Distances from row u to rows `to[0…count)` into `out`, four at a time: each sum in the same order
   * as `measure` (so the same number), four sums interleaved so that no addition waits on the last.
   */
  private measureMany(u: number, to: Int32Array, count: number, out: Float64Array): void {
    const { x, d, cosine } = this;
    const a = u * d;
    let c = 0;
    for (; c + 3 < count; c += 4) {
      const b0 = to[c] * d;
      const b1 = to[c + 1] * d;
      const b2 = to[c + 2] * d;
      const b3 = to[c + 3] * d;
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0;
      if (cosine)
        for (let t = 0; t < d; t++) {
          const xa = x[a + t];
          s0 += xa * x[b0 + t];
          s1 += xa * x[b1 + t];
          s2 += xa * x[b2 + t];
          s3 += xa * x[b3 + t];
        }
      else
        for (let t = 0; t < d; t++) {
          const xa = x[a + t];
          const e0 = xa - x[b0 + t];
          const e1 = xa - x[b1 + t];
          const e2 = xa - x[b2 + t];
          const e3 = xa - x[b3 + t];
          s0 += e0 * e0;
          s1 += e1 * e1;
          s2 += e2 * e2;
          s3 += e3 * e3;
        }
      out[c] = s0;
      out[c + 1] = s1;
      out[c + 2] = s2;
      out[c + 3] = s3;
      if (cosine) for (let q = c; q < c + 4; q++) out[q] = out[q] > 1 ? 0 : out[q] < -1 ? 2 : 1 - out[q];
    }
    for (; c < count; c++) out[c] = this.measure(u, to[c]);
  }

  /** Offers place j, at distance v, to place i's neighbours (nearest first, ties to the lower row); 1 when kept. */
  private offer(i: number, j: number, v: number): number {
    const { keep, dist, idx, fresh, order } = this;
    const o = i * keep;
    const last = o + keep - 1;
    if (v > dist[last] || (v === dist[last] && idx[last] >= 0 && order[j] > order[idx[last]])) return 0;
    for (let p = o; p <= last; p++) if (idx[p] === j) return 0;
    let p = last;
    while (p > o && (dist[p - 1] > v || (dist[p - 1] === v && order[idx[p - 1]] > order[j]))) {
      dist[p] = dist[p - 1];
      idx[p] = idx[p - 1];
      fresh[p] = fresh[p - 1];
      p--;
    }
    dist[p] = v;
    idx[p] = j;
    fresh[p] = 1;
    return 1;
  }

  /** The k nearest kept, by row (Euclidean: the square root of the exact sum, as NearestNeighbors gives it). */
  private finish(): void {
    const { n, k, keep, order } = this;
    for (let p = 0; p < n; p++) {
      const i = order[p];
      for (let r = 0; r < k; r++) {
        const v = this.dist[p * keep + r];
        this.out.distances[i * k + r] = this.cosine ? v : Math.sqrt(v);
        this.out.indices[i * k + r] = order[this.idx[p * keep + r]];
      }
    }
  }
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
