import { mulberry32 } from '../metrics/bootstrap';
import type { Neighbors } from './knn';

/** umap-learn's curve for min_dist = 0.1, spread = 1 (`find_ab_params`): 1 / (1 + a·d^(2b)). */
const A = 1.5769434603113077;
const B = 0.8950608779109733;
const NEGATIVE_SAMPLES = 5;

/**
 * UMAP (McInnes, Healy & Melville 2018) as umap-learn fits it with its defaults, on typed arrays:
 * the fuzzy graph of each row's k nearest neighbours (the graph given; with the row itself, umap-learn's
 * n_neighbors is k + 1), made symmetric, then laid out in 2-D by stochastic gradient descent with
 * negative sampling, 500 epochs up to 10,000 rows and 200 beyond. It starts from `init` (the PCA map,
 * scaled so its largest coordinate is 10, as umap-learn's `init="pca"`) rather than a spectral layout.
 * Seeded: the same input gives the same map.
 */
export class Umap {
  /** x at 2i, y at 2i + 1. */
  readonly xy: Float32Array;
  readonly epochs: number;
  private readonly head: Int32Array;
  private readonly tail: Int32Array;
  private readonly epochsPerSample: Float64Array;
  private readonly rand: () => number;

  constructor(
    private readonly graph: Neighbors,
    init: Float32Array,
    seed = 42,
  ) {
    const { n } = graph;
    this.epochs = n <= 10_000 ? 500 : 200;
    const edges = fuzzyGraph(graph);
    // Edges too weak to be sampled once in all the epochs are left out.
    let max = 0;
    for (const w of edges.weights) max = Math.max(max, w);
    const kept = edges.weights.reduce((c, w) => c + Number(w >= max / this.epochs), 0);
    this.head = new Int32Array(kept);
    this.tail = new Int32Array(kept);
    this.epochsPerSample = new Float64Array(kept);
    let e = 0;
    edges.weights.forEach((w, i) => {
      if (w < max / this.epochs) return;
      this.head[e] = edges.head[i];
      this.tail[e] = edges.tail[i];
      this.epochsPerSample[e++] = max / w;
    });
    this.rand = mulberry32(seed);
    let scale = 0;
    for (const v of init) scale = Math.max(scale, Math.abs(v));
    this.xy = Float32Array.from(init, (v) => (v * 10) / (scale || 1) + 1e-4 * (this.rand() - 0.5));
  }

  /** The epochs, yielding the share done after each, so a caller can report progress and stop between them. */
  *run(): Generator<number> {
    const { head, tail, epochsPerSample, xy, rand, epochs } = this;
    const n = this.graph.n;
    const m = head.length;
    const nextSample = epochsPerSample.slice();
    const perNegative = epochsPerSample.map((e) => e / NEGATIVE_SAMPLES);
    const nextNegative = perNegative.slice();
    const clip = (g: number) => (g > 4 ? 4 : g < -4 ? -4 : g);
    for (let epoch = 0; epoch < epochs; epoch++) {
      const alpha = 1 - epoch / epochs;
      for (let e = 0; e < m; e++) {
        if (nextSample[e] > epoch) continue;
        const j = 2 * head[e];
        const k = 2 * tail[e];
        let dx = xy[j] - xy[k];
        let dy = xy[j + 1] - xy[k + 1];
        let d2 = dx * dx + dy * dy;
        if (d2 > 0) {
          const pb = Math.exp(B * Math.log(d2)); // d2^B, twice as fast as Math.pow here
          const c = (-2 * A * B * (pb / d2)) / (A * pb + 1);
          const gx = clip(c * dx) * alpha;
          const gy = clip(c * dy) * alpha;
          xy[j] += gx;
          xy[j + 1] += gy;
          xy[k] -= gx;
          xy[k + 1] -= gy;
        }
        nextSample[e] += epochsPerSample[e];
        const negatives = Math.floor((epoch - nextNegative[e]) / perNegative[e]);
        for (let p = 0; p < negatives; p++) {
          const o = 2 * Math.floor(rand() * n);
          if (o === j) continue;
          dx = xy[j] - xy[o];
          dy = xy[j + 1] - xy[o + 1];
          d2 = dx * dx + dy * dy;
          // Two rows at the same place push nothing (as umap-learn now does).
          if (d2 > 0) {
            const c = (2 * B) / ((0.001 + d2) * (A * Math.exp(B * Math.log(d2)) + 1));
            xy[j] += clip(c * dx) * alpha;
            xy[j + 1] += clip(c * dy) * alpha;
          }
        }
        nextNegative[e] += negatives * perNegative[e];
      }
      yield (epoch + 1) / epochs;
    }
  }
}

/**
 * umap-learn's membership strengths (`smooth_knn_dist`, `compute_membership_strengths`): row i's
 * neighbour j weighs exp(−(d − ρᵢ) / σᵢ), ρᵢ its nearest positive distance and σᵢ found by bisection so
 * that its weights sum to log₂(k + 1); row by row, as the graph's indices.
 */
export function memberships(g: Neighbors): Float64Array {
  const { n, k, distances } = g;
  const w = new Float64Array(n * k);
  const target = Math.log2(k + 1);
  // Means as umap-learn takes them, over k + 1 distances: the row's own (0) among them.
  let meanAll = 0;
  for (const d of distances) meanAll += d / (n * (k + 1));
  for (let i = 0; i < n; i++) {
    const row = distances.subarray(i * k, i * k + k);
    let rho = 0;
    for (const d of row)
      if (d > 0) {
        rho = d;
        break;
      }
    let lo = 0;
    let hi = Infinity;
    let sigma = 1;
    for (let it = 0; it < 64; it++) {
      let sum = 0;
      for (const d of row) sum += d - rho > 0 ? Math.exp(-(d - rho) / sigma) : 1;
      if (Math.abs(sum - target) < 1e-5) break;
      if (sum > target) {
        hi = sigma;
        sigma = (lo + hi) / 2;
      } else {
        lo = sigma;
        sigma = hi === Infinity ? sigma * 2 : (lo + hi) / 2;
      }
    }
    // umap-learn's floor on σ: a thousandth of the mean distance (the row's, or all rows' when ρ is 0).
    const mean = row.reduce((s, d) => s + d, 0) / (k + 1);
    sigma = Math.max(sigma, 1e-3 * (rho > 0 ? mean : meanAll));
    for (let p = 0; p < k; p++) w[i * k + p] = row[p] - rho <= 0 ? 1 : Math.exp(-(row[p] - rho) / sigma);
  }
  return w;
}

/** umap-learn's `fuzzy_simplicial_set`: the memberships A made symmetric, A + Aᵀ − A∘Aᵀ; every edge both ways. */
export function fuzzyGraph(g: Neighbors): { head: Int32Array; tail: Int32Array; weights: Float64Array } {
  const { n, k, indices } = g;
  const w = memberships(g);
  /** A[j][i], or 0 when i is not among j's neighbours. */
  const back = (i: number, j: number) => {
    for (let p = j * k; p < j * k + k; p++) if (indices[p] === i) return w[p];
    return 0;
  };
  const head: number[] = [];
  const tail: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < n; i++)
    for (let p = i * k; p < i * k + k; p++) {
      const j = indices[p];
      if (j < 0 || j === i) continue;
      const b = back(i, j);
      const v = w[p] + b - w[p] * b;
      head.push(i);
      tail.push(j);
      weights.push(v);
      // An edge only one way in A appears once there; the symmetric graph holds it both ways.
      if (b === 0) {
        head.push(j);
        tail.push(i);
        weights.push(v);
      }
    }
  return { head: Int32Array.from(head), tail: Int32Array.from(tail), weights: Float64Array.from(weights) };
}
