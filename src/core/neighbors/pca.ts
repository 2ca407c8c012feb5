import type { Matrix } from './knn';
import { mulberry32 } from '../metrics/bootstrap';

export interface Projection {
  /** Each row's position: x at 2i, y at 2i + 1. */
  xy: Float32Array;
  /** Share of the variance each of the two axes explains (of the rows the axes were fitted on). */
  explained: [number, number];
}

/** Fitted on at most this many numbers (rows × dimensions: one row per block of rows, at most 10,000 rows). */
const FIT_CELLS = 2_000_000;
/** At most this many multiply-adds of iteration: nearly equal variances converge slowly, and then the axes barely matter. */
const FIT_WORK = 1.5e9;

/**
 * The first two principal components of the rows (PCA), found by subspace iteration on a sample
 * spread over the rows (all rows up to 10,000 rows of 200 dimensions) and applied to every row; the rows
 * are centred (see `standardised` for features in different units). Signs are fixed so the largest
 * loading of each axis is positive, so the same data always draws the same way.
 */
export function pca(m: Matrix): Projection {
  const { n, d, data } = m;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) mean[t] += data[i * d + t] / n;
  const step = Math.max(1, Math.floor(n / Math.min(10_000, Math.max(1000, FIT_CELLS / d))));
  const f = Math.ceil(n / step);
  // The fitted rows, centred, once: one row from each block of `step`, at a seeded random place in
  // it (a fixed stride would alias with data whose rows repeat a pattern, e.g. classes in turn).
  const rand = mulberry32(0x9ca);
  const X = new Float64Array(f * d);
  for (let r = 0; r < f; r++) {
    const i = Math.min(n - 1, r * step + (step > 1 ? Math.floor(rand() * step) : 0));
    for (let t = 0; t < d; t++) X[r * d + t] = data[i * d + t] - mean[t];
  }

  // Subspace iteration with Rayleigh–Ritz on p directions (more than the two kept, so it converges
  // fast even when the second and third variances are close): W = XᵀX V, then V ← orth(W Q) with Q
  // the eigenvectors of Vᵀ W, largest first.
  const p = Math.min(d, 8);
  let V: Float64Array[] = Array.from({ length: p }, (_, c) =>
    Float64Array.from({ length: d }, (_, t) => Math.sin(1 + t * (c + 2.3))),
  );
  orthonormalise(V);
  let values: Float64Array = new Float64Array(p);
  const iterations = Math.max(10, Math.min(100, Math.floor(FIT_WORK / (2 * f * d * p))));
  for (let iter = 0; iter < iterations; iter++) {
    const W = V.map(() => new Float64Array(d));
    const s = new Float64Array(p);
    for (let r = 0; r < f; r++) {
      const o = r * d;
      for (let c = 0; c < p; c++) {
        const v = V[c];
        let x = 0;
        for (let t = 0; t < d; t++) x += X[o + t] * v[t];
        s[c] = x;
      }
      for (let c = 0; c < p; c++) {
        const w = W[c];
        const sc = s[c];
        for (let t = 0; t < d; t++) w[t] += sc * X[o + t];
      }
    }
    const H = V.map((a) => W.map((w) => dot(a, w)));
    const { values: vals, vectors: Q } = symmetricEigen(H);
    const next = Q.map((q) => {
      const v = new Float64Array(d);
      q.forEach((w, c) => {
        for (let t = 0; t < d; t++) v[t] += w * W[c][t];
      });
      return v;
    });
    orthonormalise(next);
    const turned = Math.max(...[0, Math.min(1, p - 1)].map((c) => 1 - Math.abs(dot(next[c], V[c]))));
    V = next;
    values = vals;
    if (turned < 1e-11) break;
  }
  V = V.slice(0, Math.min(2, d));
  const k = V.length;
  const variance = values;
  for (const v of V) {
    let big = 0;
    for (let t = 0; t < d; t++) if (Math.abs(v[t]) > Math.abs(v[big])) big = t;
    if (v[big] < 0) for (let t = 0; t < d; t++) v[t] = -v[t];
  }
  let total = 0;
  for (let i = 0; i < X.length; i++) total += X[i] * X[i];
  // Every row onto the axes: (x − mean) · v = x · v − mean · v.
  const xy = new Float32Array(2 * n);
  for (let c = 0; c < k; c++) {
    const w = V[c];
    const shift = dot(w, mean);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += data[i * d + t] * w[t];
      xy[2 * i + c] = s - shift;
    }
  }
  const share = (c: number) => (total > 0 && c < k ? variance[c] / total : 0);
  return { xy, explained: [share(0), share(1)] };
}

const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, x, i) => s + x * b[i], 0);

/** Eigenvalues (descending) and eigenvectors of a small symmetric matrix, by cyclic Jacobi rotations. */
function symmetricEigen(M: number[][]): { values: Float64Array; vectors: Float64Array[] } {
  const n = M.length;
  const A = M.map((r, i) => r.map((x, j) => (x + M[j][i]) / 2));
  const E = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => Number(i === j)));
  let size = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) size += A[i][j] ** 2;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += A[i][j] ** 2;
    if (off <= 1e-30 * size) break;
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) {
        if (A[i][j] === 0) continue;
        const theta = (A[j][j] - A[i][i]) / (2 * A[i][j]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const [a, b] = [A[k][i], A[k][j]];
          A[k][i] = c * a - s * b;
          A[k][j] = s * a + c * b;
        }
        for (let k = 0; k < n; k++) {
          const [a, b] = [A[i][k], A[j][k]];
          A[i][k] = c * a - s * b;
          A[j][k] = s * a + c * b;
        }
        for (let k = 0; k < n; k++) {
          const [a, b] = [E[k][i], E[k][j]];
          E[k][i] = c * a - s * b;
          E[k][j] = s * a + c * b;
        }
      }
  }
  const order = [...A.keys()].sort((a, b) => A[b][b] - A[a][a]);
  return {
    values: Float64Array.from(order, (i) => A[i][i]),
    vectors: order.map((i) => Float64Array.from(E, (r) => r[i])),
  };
}

/** Gram–Schmidt, in place (a zero vector stays zero). */
function orthonormalise(V: Float64Array[]): void {
  V.forEach((v, c) => {
    for (let p = 0; p < c; p++) {
      const r = dot(v, V[p]);
      for (let t = 0; t < v.length; t++) v[t] -= r * V[p][t];
    }
    const len = Math.sqrt(dot(v, v)) || 1;
    for (let t = 0; t < v.length; t++) v[t] /= len;
  });
}

/** Columns scaled to mean 0 and variance 1 (a constant column becomes 0): features in different units. */
export function standardised(m: Matrix): Matrix {
  const { n, d } = m;
  const data = Float64Array.from(m.data);
  for (let t = 0; t < d; t++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += data[i * d + t] / n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (data[i * d + t] - mean) ** 2 / Math.max(1, n - 1);
    const sd = Math.sqrt(v) || Infinity;
    for (let i = 0; i < n; i++) data[i * d + t] = (data[i * d + t] - mean) / sd;
  }
  return { n, d, data };
}
