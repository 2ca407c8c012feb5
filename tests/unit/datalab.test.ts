/**
 * Data issues beyond labels against cleanlab 2.9's Datalab issue managers, and exact nearest
 * neighbours against scikit-learn's NearestNeighbors (tests/fixtures/expected/datalab.json, made by
 * scripts/make_datalab_goldens.py).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  classImbalance,
  correctExactDuplicates,
  exactDuplicateSets,
  nearDuplicates,
  outliers,
} from '../../src/core/datalab/issues';
import { pca } from '../../src/core/neighbors/pca';
import { fuzzyGraph, memberships, Umap } from '../../src/core/neighbors/umap';
import { DescentNeighbors, recall } from '../../src/core/neighbors/descent';
import { mulberry32 } from '../../src/core/metrics/bootstrap';
import { umapLayout } from '../../src/engine/map';
import { defaultMetric, nearestNeighbors, type Matrix, type Metric } from '../../src/core/neighbors/knn';

interface Golden {
  file: string;
  rows: number;
  k: number;
  metric: string;
  near_duplicate: { sets: number[][]; is_issue: number[]; scores: number[]; median_nn_distance: number };
  graph?: { distances: number[][]; indices: number[][] };
  outlier: { is_issue: number[]; scores: number[]; issue_threshold: number };
  class_imbalance?: { classes: string[]; rarest: string; is_issue: number[]; scores: number[] };
}
const golden = JSON.parse(readFileSync('tests/fixtures/expected/datalab.json', 'utf8')) as {
  datasets: Golden[];
  knn: Record<string, { x: number[][]; distances: number[][]; indices: number[][] }>;
  pca: Record<string, { xy: number[][]; explained: number[] }>;
};

/** The fixture's columns as a matrix (the fixtures hold plain numbers and unquoted names). */
function load(file: string, pick: (header: string[]) => string[]): { m: Matrix; labels: string[] | null } {
  const [head, ...lines] = readFileSync(`tests/fixtures/${file}`, 'utf8').trim().split('\n');
  const header = head.split(',');
  const cols = pick(header).map((c) => header.indexOf(c));
  const rows = lines.map((l) => l.split(','));
  const data = Float64Array.from(rows.flatMap((r) => cols.map((c) => Number(r[c]))));
  const li = header.indexOf('label');
  return { m: { n: rows.length, d: cols.length, data }, labels: li >= 0 ? rows.map((r) => r[li]) : null };
}

const FEATURES: Record<string, [string, (h: string[]) => string[]]> = {
  'iris.csv': ['iris.csv', (h) => h.slice(1, 5)],
  'wine.csv': ['wine.csv', (h) => h.slice(1, 14)],
  'synth_noisy.csv': ['synth_noisy.csv', (h) => h.filter((c) => /^x\d$/.test(c))],
  'embeddings.csv': ['embeddings.csv', (h) => h.filter((c) => c.startsWith('emb_'))],
  'iris.csv petals': ['iris.csv', () => ['petal_length', 'petal_width']],
};

/**
 * How well a 2-D map keeps the neighbours of `m`'s rows (cosine, as the map's graph): scikit-learn's
 * trustworthiness with k neighbours, and the share of each row's k nearest rows that are among its
 * k nearest on the map.
 */
function mapQuality(m: Matrix, xy: Float32Array, k: number): { trustworthiness: number; kept: number } {
  const { n, d, data } = m;
  const norm = Float64Array.from({ length: n }, (_, i) => Math.hypot(...data.subarray(i * d, (i + 1) * d)));
  const dist = new Float64Array(n);
  let penalty = 0;
  let kept = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let c = 0; c < d; c++) dot += data[i * d + c] * data[j * d + c];
      dist[j] = 1 - dot / (norm[i] * norm[j]);
    }
    // The k nearest on the map, then each one's rank among row i's neighbours in the data (ties by index).
    const near: [number, number][] = [];
    for (let j = 0; j < n; j++) {
      const e = (xy[2 * i] - xy[2 * j]) ** 2 + (xy[2 * i + 1] - xy[2 * j + 1]) ** 2;
      if (j === i || (near.length === k && e >= near[k - 1][0])) continue;
      near.splice(near.length === k ? k - 1 : near.length, 1, [e, j]);
      near.sort((a, b) => a[0] - b[0]);
    }
    for (const [, j] of near) {
      let rank = 1;
      for (let l = 0; l < n; l++) if (l !== i && (dist[l] < dist[j] || (dist[l] === dist[j] && l < j))) rank++;
      penalty += Math.max(0, rank - k);
      kept += Number(rank <= k);
    }
  }
  return { trustworthiness: 1 - (penalty * 2) / (n * k * (2 * n - 3 * k - 1)), kept: kept / (n * k) };
}

const close = (a: ArrayLike<number>, b: number[], tol = 1e-9) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < b.length; i++) if (Math.abs(a[i] - b[i]) > tol) expect([i, a[i]]).toEqual([i, b[i]]);
};

/**
 * Neighbour lists with each run of equal distances sorted by row, the last run's rows left out:
 * scikit-learn orders tied neighbours as its sort happens to (Loupe: lower row first), and which of
 * several rows tied at the k-th distance it keeps is as arbitrary. Their distances are compared.
 */
function tiesSorted(indices: ArrayLike<number>, distances: ArrayLike<number>, k: number): number[] {
  const out = Array.from(indices);
  for (let o = 0; o < out.length; o += k)
    for (let a = o; a < o + k;) {
      let b = a + 1;
      while (b < o + k && Math.abs(distances[b] - distances[a]) < 1e-12) b++;
      out.splice(a, b - a, ...(b === o + k ? out.slice(a, b).fill(-1) : out.slice(a, b).sort((x, y) => x - y)));
      a = b;
    }
  return out;
}

describe.each(golden.datasets.map((g) => [`${g.file} k=${g.k}`, g] as const))('Datalab checks on %s', (_, g) => {
  const [file, pick] = FEATURES[g.file];
  const { m, labels } = load(file, pick);
  const metric = defaultMetric(m.d);
  const graph = nearestNeighbors(m, g.k, metric);
  correctExactDuplicates(graph, exactDuplicateSets(m));

  test('the metric and the corrected kNN graph', () => {
    expect(metric).toBe(g.metric);
    if (!g.graph) return;
    close(graph.distances, g.graph.distances.flat());
    expect(tiesSorted(graph.indices, graph.distances, g.k)).toEqual(
      tiesSorted(g.graph.indices.flat(), g.graph.distances.flat(), g.k),
    );
  });

  test('near duplicates: sets, flags, scores', () => {
    const r = nearDuplicates(graph);
    close([r.median], [g.near_duplicate.median_nn_distance]);
    expect(r.sets).toEqual(g.near_duplicate.sets);
    expect(Array.from(r.isIssue)).toEqual(g.near_duplicate.is_issue);
    close(r.scores, g.near_duplicate.scores);
  });

  test('outliers: flags, scores, threshold', () => {
    const r = outliers(graph);
    close([r.issueThreshold], [g.outlier.issue_threshold]);
    expect(Array.from(r.isIssue)).toEqual(g.outlier.is_issue);
    close(r.scores, g.outlier.scores);
  });

  const c = g.class_imbalance;
  if (c)
    test('class imbalance', () => {
      const r = classImbalance(
        labels!.map((l) => c.classes.indexOf(l)),
        c.classes.length,
      );
      expect(r.rarest === null ? 'NA' : c.classes[r.rarest]).toBe(c.rarest);
      expect(Array.from(r.isIssue)).toEqual(c.is_issue);
      close(r.scores, c.scores);
    });
});

describe('exact nearest neighbours equal scikit-learn NearestNeighbors', () => {
  test.each(Object.entries(golden.knn))('%s', (key, g) => {
    const metric = key.split('_')[1] as Metric;
    const m = { n: g.x.length, d: g.x[0].length, data: Float64Array.from(g.x.flat()) };
    const r = nearestNeighbors(m, 5, metric);
    close(r.distances, g.distances.flat());
    expect(Array.from(r.indices)).toEqual(g.indices.flat());
  });

  test('bad input is refused with a message that says where', () => {
    const m = { n: 3, d: 2, data: Float64Array.from([0, 1, 2, NaN, 4, 5]) };
    expect(() => nearestNeighbors(m, 1)).toThrow(/row 1 has a missing or infinite value/);
    expect(() => nearestNeighbors({ ...m, data: new Float64Array(6) }, 3)).toThrow(/more than 3 rows; there are 3/);
  });
});

describe('the map projection equals scikit-learn PCA (each axis up to its sign)', () => {
  test.each(Object.entries(golden.pca))('%s', (file, g) => {
    const { m } = load(file, FEATURES[file][1]);
    const p = pca(m);
    close(p.explained, g.explained, 1e-9);
    for (const c of [0, 1]) {
      const want = g.xy.map((r) => r[c]);
      const sign = Math.sign(p.xy[c]) === Math.sign(want[0]) ? 1 : -1;
      // Float32 positions: compared to 1e-5 of the axis' spread.
      const spread = Math.max(...want.map(Math.abs));
      want.forEach((w, i) => expect(Math.abs(sign * p.xy[2 * i + c] - w)).toBeLessThan(1e-5 * spread));
    }
  });
});

describe('the map projection of many rows', () => {
  test('is fitted on a sample that does not alias with rows repeating a pattern (classes in turn)', () => {
    // 100,000 rows of 20 clusters taken in turn: a fixed stride of 10 would see two of them.
    const n = 100_000;
    const d = 8;
    let s = 7;
    const rand = () => ((s = (s * 16807) % 2147483647), s / 2147483647);
    const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
    const centres = Array.from({ length: 20 }, () => Array.from({ length: d }, () => 4 * gauss()));
    const data = new Float64Array(n * d);
    for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) data[i * d + t] = centres[i % 20][t] + gauss();
    const p = pca({ n, d, data });
    // The share of every row's variance each axis holds, against what the sample says.
    const variance = (get: (i: number) => number) => {
      let m = 0;
      for (let i = 0; i < n; i++) m += get(i) / n;
      let v = 0;
      for (let i = 0; i < n; i++) v += (get(i) - m) ** 2;
      return v;
    };
    let total = 0;
    for (let t = 0; t < d; t++) total += variance((i) => data[i * d + t]);
    for (const c of [0, 1])
      expect(Math.abs(variance((i) => p.xy[2 * i + c]) / total - p.explained[c])).toBeLessThan(0.02);
  });
});

describe('NN-descent', () => {
  test.each([
    ['synth_noisy.csv', 'euclidean'],
    ['synth_noisy.csv', 'cosine'],
    ['embeddings.csv', 'cosine'],
    ['iris.csv', 'euclidean'],
  ] as const)('%s, %s: neighbours at their exact distances, ties by row; recall as over every row', (file, metric) => {
    const { m } = load(file, FEATURES[file][1]);
    const k = 10;
    const exact = nearestNeighbors(m, k, metric);
    // A pair's distance as scikit-learn defines it, summed in the order the exact search sums it:
    // the Euclidean sum of squares (ranked by it: two sums may share a square root), or 1 − the cosine.
    const row = (i: number) => Array.from(m.data.subarray(i * m.d, (i + 1) * m.d));
    const unit = (v: number[]) => v.map((x) => x / (Math.sqrt(v.reduce((s, y) => s + y * y, 0)) || 1));
    const rank = (i: number, j: number) => {
      const [a, b] = [row(i), row(j)];
      if (metric === 'euclidean') return a.reduce((s, x, t) => s + (x - b[t]) * (x - b[t]), 0);
      const [u, w] = [unit(a), unit(b)];
      return Math.min(2, Math.max(0, 1 - u.reduce((s, x, t) => s + x * w[t], 0)));
    };
    const exactDistance = (i: number, j: number) => (metric === 'euclidean' ? Math.sqrt(rank(i, j)) : rank(i, j));
    const nd = new DescentNeighbors(m, k, metric);
    const done = [...nd.run()];
    expect(done.at(-1)).toBe(1);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    const { indices, distances } = nd.out;
    let hit = 0;
    for (let i = 0; i < m.n; i++) {
      const truth = new Set(exact.indices.subarray(i * k, i * k + k));
      for (let r = 0; r < k; r++) {
        const j = indices[i * k + r];
        expect(j === i || j < 0).toBe(false);
        expect(distances[i * k + r]).toBe(exactDistance(i, j));
        if (r) {
          // Ranked by the exact sum (two Euclidean sums may share a square root), ties by row.
          const [a, b] = [rank(i, indices[i * k + r - 1]), rank(i, j)];
          expect(a < b || (a === b && indices[i * k + r - 1] < j)).toBe(true);
        }
        hit += Number(truth.has(j));
      }
    }
    // These are small, well separated tables: the graph is (nearly) exact. Recall, measured on 100
    // rows, says the share over every row.
    const share = hit / (m.n * k);
    expect(share).toBeGreaterThan(0.97);
    expect(Math.abs(recall(m, nd.out) - share)).toBeLessThan(0.05);
  });

  test('iris, whose duplicate rows tie: where the exact ten are found, they come in the exact order', () => {
    const { m } = load('iris.csv', FEATURES['iris.csv'][1]);
    const exact = nearestNeighbors(m, 10, 'euclidean');
    const nd = new DescentNeighbors(m, 10, 'euclidean');
    for (const _ of nd.run());
    let same = 0;
    for (let i = 0; i < m.n; i++) {
      const a = Array.from(nd.out.indices.subarray(i * 10, i * 10 + 10));
      const b = Array.from(exact.indices.subarray(i * 10, i * 10 + 10));
      if ([...a].sort().join() !== [...b].sort().join()) continue;
      expect(a).toEqual(b);
      same++;
    }
    expect(same).toBeGreaterThan(140);
  });

  test('pure noise: the rounds stop by their rule, some neighbours are missed, and recall says how many', () => {
    // 2,000 rows × 256 of Gaussian noise: every row almost as far as any other, the hardest case for a graph search.
    const rand = mulberry32(3);
    const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    const n = 2000;
    const d = 256;
    const data = Float64Array.from({ length: n * d }, () => gauss());
    const m = { n, d, data };
    const nd = new DescentNeighbors(m, 10, 'euclidean');
    for (const _ of nd.run());
    expect(nd.rounds).toBeGreaterThan(1);
    expect(nd.rounds).toBeLessThan(nd.maxRounds);
    const exact = nearestNeighbors(m, 10, 'euclidean');
    let hit = 0;
    for (let i = 0; i < n; i++) {
      const got = new Set(nd.out.indices.subarray(i * 10, i * 10 + 10));
      for (const j of exact.indices.subarray(i * 10, i * 10 + 10)) hit += Number(got.has(j));
    }
    const share = hit / (n * 10);
    // Seeded: 93% here; what matters is that recall, on 100 rows, says it.
    expect(share).toBeGreaterThan(0.85);
    expect(share).toBeLessThan(0.99);
    expect(Math.abs(recall(m, nd.out) - share)).toBeLessThan(0.03);
  });
});

describe('UMAP', () => {
  // Eight Gaussian blobs in 16 dimensions, 150 rows each: PCA's two axes cannot hold them apart.
  const rand = mulberry32(5);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const centres = Array.from({ length: 8 }, () => Array.from({ length: 16 }, () => 2 * gauss()));
  const n = 1200;
  const m = {
    n,
    d: 16,
    data: Float64Array.from({ length: n * 16 }, (_, v) => centres[Math.floor(v / 16) % 8][v % 16] + gauss()),
  };
  const graph = nearestNeighbors(m, 14, 'euclidean');

  test('memberships sum to log₂(k + 1) per row, the nearest weighs 1; the graph is symmetric', () => {
    const w = memberships(graph);
    for (let i = 0; i < n; i++) {
      const row = w.subarray(i * 14, i * 14 + 14);
      expect(row[0]).toBe(1);
      expect(Math.abs(row.reduce((s, x) => s + x, 0) - Math.log2(15))).toBeLessThan(1e-4);
    }
    const { head, tail, weights } = fuzzyGraph(graph);
    const edge = new Map<string, number>();
    head.forEach((h, e) => {
      expect(edge.has(`${h},${tail[e]}`)).toBe(false);
      edge.set(`${h},${tail[e]}`, weights[e]);
    });
    for (const [key, v] of edge) {
      const [a, b] = key.split(',');
      expect(edge.get(`${b},${a}`)).toBe(v);
      expect(v > 0 && v <= 1).toBe(true);
    }
  });

  /** Share of each row's 10 nearest points on the map that come from its blob. */
  const sameBlob = (xy: Float32Array) => {
    let same = 0;
    for (let i = 0; i < n; i += 7) {
      const near = Array.from({ length: n }, (_, j) => j)
        .filter((j) => j !== i)
        .map((j) => [(xy[2 * i] - xy[2 * j]) ** 2 + (xy[2 * i + 1] - xy[2 * j + 1]) ** 2, j])
        .sort((a, b) => a[0] - b[0])
        .slice(0, 10);
      same += near.filter(([, j]) => j % 8 === i % 8).length;
    }
    return same / (10 * Math.ceil(n / 7));
  };

  test("keeps the digits' neighbours as well as umap-learn does (trustworthiness, 10-NN kept; scripts/make_umap_goldens.py)", async () => {
    const want = JSON.parse(readFileSync('tests/fixtures/expected/umap_digits.json', 'utf8'));
    const { m: digits } = load('digits.csv', (h) => h.filter((c) => c.startsWith('emb_')));
    const quality = (xy: Float32Array) => mapQuality(digits, xy, want.k);
    const ours = quality(await umapLayout(digits));
    const learn = want.umap_learn_pca;
    // As good as umap-learn's worst of five seeds, less a hair for the stochastic layout.
    expect(ours.trustworthiness).toBeGreaterThan(learn.trustworthiness.min - 0.002);
    expect(ours.kept).toBeGreaterThan(learn.knn_kept.min - 0.01);
    // The measures themselves agree with scikit-learn's on PCA's map; PCA is far worse.
    const flat = quality(pca(digits).xy);
    expect(flat.trustworthiness).toBeCloseTo(want.pca.trustworthiness, 3);
    expect(flat.kept).toBeCloseTo(want.pca.knn_kept, 2);
    expect(ours.trustworthiness - flat.trustworthiness).toBeGreaterThan(0.1);
  });

  test('lays the blobs apart where PCA mixes them; seeded, the same twice', () => {
    const init = pca(m).xy;
    const u = new Umap(graph, init);
    const done = [...u.run()];
    expect(done.at(-1)).toBe(1);
    expect(u.epochs).toBe(500);
    expect(u.xy.every(Number.isFinite)).toBe(true);
    expect(sameBlob(init)).toBeLessThan(0.9);
    expect(sameBlob(u.xy)).toBeGreaterThan(0.98);
    const again = new Umap(graph, init);
    for (const _ of again.run());
    expect(Array.from(again.xy)).toEqual(Array.from(u.xy));
  });
});
