// NN-descent at 1,000,000 × 512 (cosine, cleanlab's default above 3 dimensions), on the low-rank data or the
// Gaussian clusters that bench/neighbors.ts generates (run apart from it: each run takes 10 minutes or more and
// ~12 GB of memory: the input, the search's copy of it in leaf order and the exact search's unit rows). The
// exact search is extrapolated from 32 queries; recall is measured on 100 rows. Adds its result to
// bench/results/neighbors-wide-<date>.json.
//   node --import tsx bench/neighborsWide.ts lowrank|clusters
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { DescentNeighbors, recall } from '../src/core/neighbors/descent';
import { NearestNeighbors } from '../src/core/neighbors/knn';
import { clusters, lowRank } from './embeddings';
const n = 1_000_000,
  d = 512;
const kind = process.argv[2];
if (kind !== 'lowrank' && kind !== 'clusters') throw new Error('usage: bench/neighborsWide.ts lowrank|clusters');
const data = kind === 'clusters' ? clusters(n, d) : lowRank(n, d);
const m = { n, d, data };
// exact, extrapolated from 32 queries
const ex = new NearestNeighbors(m, 10, 'cosine');
let t = performance.now();
ex.rows(0, 32);
const exactMs = ((performance.now() - t) / 32) * n;
t = performance.now();
const nd = new DescentNeighbors(m, 10, 'cosine');
for (const _ of nd.run());
const ms = performance.now() - t;
const r = recall(m, nd.out);
const out = {
  rows: n,
  dims: d,
  data: kind,
  metric: 'cosine',
  descent_ms: Math.round(ms),
  rounds: nd.rounds,
  recall: r,
  exact_ms_extrapolated_from_32_queries: Math.round(exactMs),
  rss_gb: process.memoryUsage().rss / 2 ** 30,
};
console.log(JSON.stringify(out));
const file = `bench/results/neighbors-wide-${new Date().toISOString().slice(0, 10)}.json`;
const runs = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as unknown[]) : [];
writeFileSync(file, JSON.stringify([...runs, { date: new Date().toISOString(), ...out }], null, 2) + '\n');
