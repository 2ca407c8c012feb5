// Benchmark of the map's projection and the exact nearest neighbours behind near duplicates and
// outliers (src/core/neighbors), in Node on this machine, beside scikit-learn's NearestNeighbors
// (algorithm="brute", all cores) and PCA on the same numbers when Debian's python3-sklearn is
// installed. Data: Gaussian clusters, 10k / 100k / 1M rows × 64 and 512 dimensions. Exact kNN is
// quadratic: where the whole run would take over a minute, rows are timed on an evenly spaced sample
// of queries against every row and the whole extrapolated (marked "extrapolated"). The approximate
// search (NN-descent, used past ~1e11 multiply-adds) is timed in full, with its recall of the exact
// neighbours on 100 rows (beside pynndescent's, umap-learn's search, when Debian's python3-pynndescent is installed), on the clusters and on low-rank data (8 latent dimensions mapped into D,
// with a little noise: closer to real embeddings, whose intrinsic dimension is far below their width).
// Prints the figures and writes bench/results/neighbors-<date>.json.
//   npm run bench:neighbors             (BENCH_SIZES=10000x512 node --import tsx bench/neighbors.ts: some sizes)
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { DescentNeighbors, recall } from '../src/core/neighbors/descent';
import { NearestNeighbors } from '../src/core/neighbors/knn';
import { pca } from '../src/core/neighbors/pca';
import { clusters, lowRank } from './embeddings';

/** Rows × dimensions; BENCH_SIZES=100000x512,10000x64 runs only those. */
const SIZES: [number, number][] = process.env.BENCH_SIZES
  ? process.env.BENCH_SIZES.split(',').map((s) => s.split('x').map(Number) as [number, number])
  : [
      [10_000, 64],
      [10_000, 512],
      [100_000, 64],
      [100_000, 512],
      [1_000_000, 64],
    ];
/** Longest a kNN timing may take before it is extrapolated from a sample of queries (ms). */
const BUDGET_MS = 20_000;

/** NN-descent over every row, timed in full, with its recall on 100 rows. */
function descent(n: number, d: number, data: Float64Array, metric: 'euclidean' | 'cosine') {
  const t = performance.now();
  const nn = new DescentNeighbors({ n, d, data }, 10, metric);
  for (const _ of nn.run());
  const ms = Math.round(performance.now() - t);
  return { ms, rounds: nn.rounds, recall: recall({ n, d, data }, nn.out) };
}

/** scikit-learn on the same numbers (raw float64 in a temporary file), or null without it. */
function sklearn(file: string, n: number, d: number, queries: number): Record<string, number> | null {
  const code = `
import sys, time, numpy as np
from sklearn.neighbors import NearestNeighbors
from sklearn.decomposition import PCA
n, d, q = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
x = np.fromfile(sys.argv[1], dtype=np.float64).reshape(n, d)
out = {}
t = time.perf_counter(); PCA(n_components=2).fit_transform(x); out["pca_ms"] = 1000 * (time.perf_counter() - t)
for metric in ["euclidean", "cosine"]:
    nn = NearestNeighbors(n_neighbors=10, metric=metric, algorithm="brute", n_jobs=-1).fit(x)
    rows = np.linspace(0, n - 1, q).astype(int)
    t = time.perf_counter(); nn.kneighbors(x[rows]); out[metric + "_ms"] = 1000 * (time.perf_counter() - t) * n / q
    # pynndescent (umap-learn's search; Debian's python3-pynndescent) on the same rows, its recall on 100 of them.
    try:
        from pynndescent import NNDescent
    except ImportError:
        continue
    NNDescent(x[:2000], n_neighbors=10, metric=metric, random_state=42)  # numba compiles on first use
    t = time.perf_counter(); got = NNDescent(x, n_neighbors=10, metric=metric, random_state=42).neighbor_graph[0]
    out[metric + "_pynndescent_ms"] = 1000 * (time.perf_counter() - t)
    rows = np.linspace(0, n - 1, 100).astype(int)
    exact = nn.kneighbors(x[rows], return_distance=False)
    out[metric + "_pynndescent_recall"] = float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(got[rows], exact)]))
print(out)`;
  const r = spawnSync('/usr/bin/python3', ['-c', code, file, String(n), String(d), String(queries)], {
    encoding: 'utf8',
  });
  if (r.status !== 0) return null;
  return JSON.parse(r.stdout.trim().replace(/'/g, '"')) as Record<string, number>;
}

const dir = 'bench/data';
mkdirSync(dir, { recursive: true });
mkdirSync('bench/results', { recursive: true });
const results: Record<string, unknown>[] = [];
for (const [n, d] of SIZES) {
  const data = clusters(n, d);
  const t0 = performance.now();
  pca({ n, d, data });
  const pcaMs = performance.now() - t0;
  const row: Record<string, unknown> = { rows: n, dims: d, pca_ms: Math.round(pcaMs) };
  /** Times `rows` over evenly spaced blocks of `size` queries within the budget; the whole extrapolated. */
  const timed = (rows: (from: number, to: number) => void, size = 64) => {
    const probe = performance.now();
    rows(0, size);
    const perQuery = (performance.now() - probe) / size;
    const blocks = Math.floor(Math.max(1, Math.min(n / size, BUDGET_MS / perQuery / size)));
    const t = performance.now();
    for (let b = 0; b < blocks; b++) {
      const from = Math.floor((b * n) / blocks);
      rows(from, Math.min(n, from + size));
    }
    const queries = Math.min(n, blocks * size);
    return { ms: Math.round(((performance.now() - t) * n) / queries), sample: queries < n ? queries : null };
  };
  for (const metric of ['euclidean', 'cosine'] as const) {
    const nn = new NearestNeighbors({ n, d, data }, 10, metric);
    const exact = timed((a, b) => nn.rows(a, b));
    row[`knn_${metric}_ms`] = exact.ms;
    row.extrapolated = exact.sample ? `from ${exact.sample} of ${n} queries` : false;
    row[`approximate_${metric}`] = descent(n, d, data, metric);
  }
  const file = `${dir}/neighbors-${n}x${d}.f64`;
  writeFileSync(file, new Uint8Array(data.buffer));
  const sk = sklearn(file, n, d, Math.min(n, 2000));
  rmSync(file);
  if (sk)
    row.sklearn = {
      pca_ms: Math.round(sk.pca_ms),
      knn_euclidean_ms: Math.round(sk.euclidean_ms),
      knn_cosine_ms: Math.round(sk.cosine_ms),
      ...(sk.euclidean_pynndescent_ms !== undefined && {
        pynndescent_euclidean: { ms: Math.round(sk.euclidean_pynndescent_ms), recall: sk.euclidean_pynndescent_recall },
        pynndescent_cosine: { ms: Math.round(sk.cosine_pynndescent_ms), recall: sk.cosine_pynndescent_recall },
      }),
      note: 'kneighbors of 2,000 evenly spaced queries, extrapolated to every row; n_jobs=-1; pynndescent timed in full',
    };
  results.push(row);
  const s = (ms: unknown) => (typeof ms === 'number' ? `${(ms / 1000).toFixed(1)} s` : '—');
  console.log(
    `${n.toLocaleString('en-US')} × ${d}: PCA ${s(row.pca_ms)} (sklearn ${s(sk?.pca_ms)}), exact kNN k=10 ` +
      `euclidean ${s(row.knn_euclidean_ms)} (sklearn ${s(sk?.euclidean_ms)}), cosine ${s(row.knn_cosine_ms)} ` +
      `(sklearn ${s(sk?.cosine_ms)})${row.extrapolated ? ` [${row.extrapolated}]` : ''}`,
  );
  const low = lowRank(n, d);
  for (const metric of ['euclidean', 'cosine'] as const)
    row[`approximate_low_rank_${metric}`] = descent(n, d, low, metric);
  for (const data of ['', 'low_rank_'])
    for (const metric of ['euclidean', 'cosine']) {
      const a = row[`approximate_${data}${metric}`] as { ms: number; rounds: number; recall: number };
      const py = data ? undefined : sk?.[`${metric}_pynndescent_ms`];
      console.log(
        `  NN-descent ${metric}${data ? ' (low-rank data)' : ''}: ${s(a.ms)}, ${a.rounds} rounds, recall ${(100 * a.recall).toFixed(1)}%` +
          (py === undefined
            ? ''
            : ` (pynndescent ${s(py)}, ${(100 * sk![`${metric}_pynndescent_recall`]).toFixed(1)}%)`),
      );
    }
}
const out = `bench/results/neighbors-${new Date().toISOString().slice(0, 10)}.json`;
writeFileSync(
  out,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, memoryGB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
      where: 'Node (one thread), src/core/neighbors',
      results,
    },
    null,
    2,
  ) + '\n',
);
console.log(`written to ${out}`);
