import { describe, expect, it } from 'vitest';
import {
  compareSlices,
  limitNote,
  MAX_JOINS,
  sliceLine,
  sliceScore,
  type EncodedFeature,
  type SliceLineParams,
  type SliceStats,
} from '../../src/core/slices/sliceline';
import { benjaminiHochberg, erfc, twoProportionTest } from '../../src/core/stats/proportions';
import { errorTree, type TreeNode } from '../../src/core/slices/errorTree';
import { mulberry32 } from '../../src/core/metrics/bootstrap';
import golden from '../fixtures/expected/slice_stats.json';

/** The exhaustive top-K: every conjunction of up to maxLevel predicates on distinct features. */
function bruteForce(features: EncodedFeature[], errors: Float64Array, p: SliceLineParams): SliceStats[] {
  const n = errors.length;
  const avg = errors.reduce((a, x) => a + x, 0) / n;
  const found: SliceStats[] = [];
  const walk = (from: number, preds: [number, number][]) => {
    if (preds.length) {
      let size = 0;
      let errs = 0;
      for (let i = 0; i < n; i++) {
        if (preds.every(([f, v]) => features[f].codes[i] === v)) (size++, (errs += errors[i]));
      }
      const score = sliceScore(size, errs, n, avg, p.alpha);
      if (size >= p.minSupport && errs > 0 && score > 0)
        found.push({ predicates: preds, size, errors: errs, squares: 0, score });
    }
    if (preds.length === p.maxLevel) return;
    for (let f = from; f < features.length; f++)
      for (let v = 0; v < features[f].labels.length; v++) walk(f + 1, [...preds, [f, v]]);
  };
  walk(0, []);
  return found.sort(compareSlices).slice(0, p.k);
}

function randomTable(seed: number, n: number, nf: number, binary: boolean) {
  const rand = mulberry32(seed);
  const features: EncodedFeature[] = Array.from({ length: nf }, (_, f) => {
    const card = 2 + Math.floor(rand() * 3);
    return {
      name: `f${f}`,
      labels: Array.from({ length: card }, (_, v) => `v${v}`),
      codes: Int32Array.from({ length: n }, () => (rand() < 0.05 ? -1 : Math.floor(rand() * card))),
    };
  });
  // Errors concentrated in a random region, so that real slices exist.
  const hot = [Math.floor(rand() * nf), Math.floor(rand() * nf)];
  const errors = Float64Array.from({ length: n }, (_, i) => {
    const base = features[hot[0]].codes[i] === 0 && features[hot[1]].codes[i] === 1 ? 0.5 : 0.1;
    const e = rand() < base ? 1 : 0;
    return binary ? e : e * (0.5 + rand());
  });
  return { features, errors };
}

describe('SliceLine', () => {
  it('equals the exhaustive top-K on many random small tables', async () => {
    for (let seed = 1; seed <= 60; seed++) {
      const rand = mulberry32(seed * 7);
      const { features, errors } = randomTable(
        seed,
        150 + Math.floor(rand() * 250),
        2 + Math.floor(rand() * 4),
        seed % 3 !== 0,
      );
      const p: SliceLineParams = {
        k: 1 + Math.floor(rand() * 8),
        maxLevel: 1 + Math.floor(rand() * 3),
        alpha: [0.95, 0.8, 0.99][seed % 3],
        minSupport: 5 + Math.floor(rand() * 20),
      };
      const got = (await sliceLine(features, errors, p)).top;
      const want = bruteForce(features, errors, p);
      expect(
        got.map((s) => s.predicates),
        `seed ${seed}`,
      ).toEqual(want.map((s) => s.predicates));
      got.forEach((s, i) => {
        expect(Math.abs(s.score - want[i].score)).toBeLessThan(1e-12);
        expect(s.size).toBe(want[i].size);
        expect(Math.abs(s.errors - want[i].errors)).toBeLessThan(1e-9);
      });
    }
  });

  it('every evaluated slice has the size, errors and squares of a count over its rows', async () => {
    // Many values per feature, three levels: thousands of slices, their parents' rows joined in one reused buffer.
    for (const binary of [true, false]) {
      const rand = mulberry32(binary ? 11 : 12);
      const n = 2500;
      const features: EncodedFeature[] = Array.from({ length: 4 }, (_, f) => ({
        name: `f${f}`,
        labels: Array.from({ length: 12 + 6 * f }, (_, v) => `v${v}`),
        codes: Int32Array.from({ length: n }, () => (rand() < 0.03 ? -1 : Math.floor(rand() * (12 + 6 * f)))),
      }));
      const errors = Float64Array.from({ length: n }, () => (rand() < 0.3 ? (binary ? 1 : 0.25 + rand()) : 0));
      const r = await sliceLine(features, errors, { k: 50, maxLevel: 3, alpha: 0.9, minSupport: 2 });
      expect(r.levels[1].evaluated).toBeGreaterThan(1000);
      for (const s of r.evaluated) {
        let size = 0;
        let errs = 0;
        let squares = 0;
        for (let i = 0; i < n; i++)
          if (s.predicates.every(([f, v]) => features[f].codes[i] === v))
            (size++, (errs += errors[i]), (squares += errors[i] * errors[i]));
        expect(s.size).toBe(size);
        expect(s.errors).toBe(errs);
        expect(s.squares).toBe(squares);
      }
    }
  });

  it('prunes by the score bound once the top-k is full, and still finds the exhaustive top-k', async () => {
    const rand = mulberry32(3);
    const n = 3000;
    const features: EncodedFeature[] = Array.from({ length: 6 }, (_, f) => ({
      name: `f${f}`,
      labels: ['a', 'b', 'c', 'd'],
      codes: Int32Array.from({ length: n }, () => Math.floor(rand() * 4)),
    }));
    const errors = Float64Array.from({ length: n }, (_, i) =>
      rand() < (features[0].codes[i] === 0 && features[1].codes[i] === 1 ? 0.6 : features[2].codes[i] === 2 ? 0.3 : 0.1)
        ? 1
        : 0,
    );
    const p: SliceLineParams = { k: 3, maxLevel: 3, alpha: 0.95, minSupport: 20 };
    const r = await sliceLine(features, errors, p);
    const level3 = r.levels[2];
    expect(level3.candidates).toBe(1280);
    expect(level3.evaluated).toBeLessThan(level3.candidates / 4);
    expect(r.top.map((s) => s.predicates)).toEqual(bruteForce(features, errors, p).map((s) => s.predicates));
  });
});

describe('SliceLine on very many features', () => {
  it('a level that would pass MAX_JOINS joins only the best slices below it, says so, and still finds a strong slice', async () => {
    const rand = mulberry32(5);
    const n = 2000;
    // 130 features × 5 values: 650 slices of level 1, ~211,000 pairs.
    const features: EncodedFeature[] = Array.from({ length: 130 }, (_, f) => ({
      name: `f${f}`,
      labels: ['a', 'b', 'c', 'd', 'e'],
      codes: Int32Array.from({ length: n }, () => Math.floor(rand() * 5)),
    }));
    const errors = Float64Array.from({ length: n }, (_, i) =>
      rand() < (features[3].codes[i] === 0 && features[7].codes[i] === 1 ? 0.9 : 0.1) ? 1 : 0,
    );
    const r = await sliceLine(features, errors, { k: 5, maxLevel: 2, alpha: 0.95, minSupport: 20 });
    const [one, two] = r.levels;
    expect(one.limited).toBeUndefined();
    expect(two.limited!.of).toBe(650);
    expect(two.limited!.pairs).toBeGreaterThan(MAX_JOINS);
    expect(two.limited!.kept).toBeLessThan(650);
    expect(two.candidates).toBeLessThanOrEqual(MAX_JOINS);
    expect(two.candidates).toBeGreaterThan(MAX_JOINS * 0.9);
    expect(r.top[0].predicates).toEqual([
      [3, 0],
      [7, 1],
    ]);
    expect(limitNote(r.levels)).toMatch(
      /^The search was limited: level 2 joined only the \d{3} best of the 650 slices below it \(all of them would make 2\d\d,\d{3} candidates\)\. Choose fewer/,
    );
    expect(limitNote([one])).toBeNull();
  });
});

describe('slice statistics', () => {
  it('erfc is accurate across its range', () => {
    expect(erfc(0)).toBe(1);
    expect(Math.abs(erfc(0.5) - 0.4795001221869535)).toBeLessThan(1e-15);
    expect(Math.abs(erfc(1.96) - 0.005573724535172132) / 0.0056).toBeLessThan(1e-12);
    expect(Math.abs(erfc(5) - 1.5374597944280349e-12) / 1.5e-12).toBeLessThan(1e-12);
    expect(Math.abs(erfc(-1) - 1.8427007929497148)).toBeLessThan(1e-15);
  });

  it('the two-proportion test equals statsmodels proportions_ztest', () => {
    for (const t of golden.ztest)
      expect(
        Math.abs(twoProportionTest(t.k1, t.n1, t.k2, t.n2)! - t.p) / Math.max(t.p, 1e-300),
        JSON.stringify(t),
      ).toBeLessThan(1e-9);
  });

  it('Benjamini–Hochberg equals statsmodels multipletests(fdr_bh)', () => {
    const got = benjaminiHochberg(golden.bh.p);
    golden.bh.adjusted.forEach((a, i) => expect(Math.abs(got[i]! - a)).toBeLessThan(1e-15));
    expect(benjaminiHochberg([null, 0.5])).toEqual([null, 0.5]);
  });
});

describe('error tree', () => {
  it('splits where the squared error drops most, keeps leaves ≥ minLeaf, stops at maxDepth', async () => {
    const { features, errors } = randomTable(11, 3000, 4, true);
    const tf = features.map((f, j) => ({ ...f, ordered: j % 2 === 0 }));
    const minLeaf = 30;
    const root = await errorTree(tf, errors, { maxDepth: 3, minLeaf });
    // Brute force the best root split.
    const n = errors.length;
    const sse = (rows: number[]) => {
      const s = rows.reduce((a, i) => a + errors[i], 0);
      return rows.reduce((a, i) => a + errors[i] ** 2, 0) - (s * s) / (rows.length || 1);
    };
    const all = Array.from({ length: n }, (_, i) => i);
    let best = { gain: 0, f: -1, left: 0 };
    tf.forEach((f, fi) => {
      for (let v = 0; v < f.labels.length; v++) {
        const left = all.filter((i) => (f.ordered ? f.codes[i] >= 0 && f.codes[i] < v + 1 : f.codes[i] === v));
        const right = all.filter((i) => !left.includes(i));
        if (left.length < minLeaf || right.length < minLeaf) continue;
        const gain = sse(all) - sse(left) - sse(right);
        if (gain > best.gain + 1e-9) best = { gain, f: fi, left: left.length };
      }
    });
    expect(root.children.length).toBe(2);
    expect(root.children[0].path[0].f).toBe(best.f);
    expect(root.children[0].size).toBe(best.left);
    const walk = (t: TreeNode, depth: number) => {
      expect(t.size).toBeGreaterThanOrEqual(minLeaf);
      expect(depth).toBeLessThanOrEqual(3);
      if (t.children.length) expect(t.children[0].size + t.children[1].size).toBe(t.size);
      t.children.forEach((c) => walk(c, depth + 1));
    };
    walk(root, 0);
  });
});
