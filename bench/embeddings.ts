// The generated embeddings of the neighbour benchmarks (bench/neighbors.ts, bench/neighborsWide.ts), seeded.

/** Gaussian clusters: 20 centres, unit noise in every dimension (the intrinsic dimension is the full width). */
export function clusters(n: number, d: number): Float64Array {
  let s = 7;
  const rand = () => ((s = (s * 16807) % 2147483647), s / 2147483647);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const centres = Array.from({ length: 20 }, () => Float64Array.from({ length: d }, () => 4 * gauss()));
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = centres[i % 20];
    for (let t = 0; t < d; t++) x[i * d + t] = c[t] + gauss();
  }
  return x;
}

/** Clusters in 8 latent dimensions, mapped linearly into d, plus noise of 0.1. */
export function lowRank(n: number, d: number, latent = 8): Float64Array {
  let s = 11;
  const rand = () => ((s = (s * 16807) % 2147483647), s / 2147483647);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const map = Float64Array.from({ length: latent * d }, gauss);
  const centres = Array.from({ length: 20 }, () => Float64Array.from({ length: latent }, () => 3 * gauss()));
  const x = new Float64Array(n * d);
  const z = new Float64Array(latent);
  for (let i = 0; i < n; i++) {
    for (let l = 0; l < latent; l++) z[l] = centres[i % 20][l] + gauss();
    for (let t = 0; t < d; t++) {
      let v = 0.1 * gauss();
      for (let l = 0; l < latent; l++) v += map[l * d + t] * z[l];
      x[i * d + t] = v;
    }
  }
  return x;
}
