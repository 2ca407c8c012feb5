import { sortClasses } from '../../src/core/table/classNames';
import { describe, expect, it } from 'vitest';
import wilsonGolden from '../fixtures/expected/wilson.json';
import { confusion, confusionMetrics, probabilityMetrics, rankMetrics } from '../../src/core/metrics/classification';
import {
  classRank,
  defaultPositive,
  predictFromProbs,
  subset,
  subsets,
  withLabels,
  type ClassificationData,
  type RegressionData,
} from '../../src/core/metrics/data';
import { regressionMetrics } from '../../src/core/metrics/regression';
import { nthSmallest } from '../../src/core/arrays';
import { sortDesc } from '../../src/core/metrics/sort';
import { largest } from '../../src/core/labels/confidentLearning';
import { curves } from '../../src/core/metrics/charts';
import {
  MAX_RANK_BINS,
  MAX_RESAMPLE_ROWS,
  mulberry32,
  replicateNames,
  replicates,
  resampleCounts,
  resampleDraws,
} from '../../src/core/metrics/bootstrap';
import { percentileInterval, quantileSorted, wilson, Z95 } from '../../src/core/stats/intervals';
import { evaluate, metricKeys } from '../../src/core/metrics/report';

/** Row-major probabilities (n × k) as one column per class. */
const columns = (rowMajor: number[] | Float64Array, k: number) =>
  Array.from({ length: k }, (_, c) =>
    Float64Array.from({ length: rowMajor.length / k }, (_, i) => rowMajor[i * k + c]),
  );

function randomClassification(n: number, k: number, seed: number): ClassificationData {
  const rand = mulberry32(seed);
  const y = new Int32Array(n);
  const probs = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    y[i] = Math.floor(rand() * k);
    let s = 0;
    for (let c = 0; c < k; c++) s += probs[i * k + c] = Math.round((rand() + (c === y[i] ? 0.8 : 0)) * 8) / 8; // coarse: many ties
    for (let c = 0; c < k; c++) probs[i * k + c] /= s;
  }
  return {
    task: 'classification',
    classes: Array.from({ length: k }, (_, c) => `c${c}`),
    positive: k === 2 ? 1 : null,
    n,
    y,
    pred: predictFromProbs(columns(probs, k), n),
    probs: columns(probs, k),
  };
}

/** The rows repeated as the counts say: a resample written out. */
function expand(d: ClassificationData, w: Uint32Array): ClassificationData {
  const idx: number[] = [];
  w.forEach((c, i) => {
    for (let j = 0; j < c; j++) idx.push(i);
  });
  return subset({ ...d, ranks: undefined }, Uint32Array.from(idx));
}

describe('sortDesc', () => {
  it('orders any doubles highest first with NaN last, as a permutation', () => {
    const rand = mulberry32(7);
    const v = Float64Array.from({ length: 5000 }, (_, i) =>
      i % 97 === 0 ? NaN : i % 13 === 0 ? -0 : (rand() - 0.5) * 10 ** Math.floor(rand() * 8 - 4),
    );
    const o = sortDesc(v).order;
    expect(new Set(o).size).toBe(v.length);
    const sorted = Array.from(o, (i) => v[i]);
    const nan = sorted.findIndex((x) => Number.isNaN(x));
    expect(sorted.slice(nan).every(Number.isNaN)).toBe(true);
    for (let i = 1; i < nan; i++) expect(sorted[i] <= sorted[i - 1]).toBe(true);
  });

  it('orders values that differ only in their last bits (short and long runs of one high word), and gives the sorted keys', () => {
    const rand = mulberry32(11);
    // 0.5 + j·2⁻⁴⁰ share their high 32 bits: a run of 3,000 such values (some equal), a run of 5, and
    // others; then runs whose low words differ in their lowest 8 bits (150 rows) or 16 bits (5,000
    // rows) alone, which one radix pass sorts.
    const v = Float64Array.from({ length: 9150 }, (_, i) =>
      i < 3000
        ? 0.5 + Math.floor(rand() * 2000) * 2 ** -40
        : i < 3005
          ? 0.25 + (i - 3000) * 2 ** -45
          : i < 4000
            ? rand()
            : i < 4150
              ? 0.75 + Math.floor(rand() * 200) * 2 ** -53
              : 0.125 + Math.floor(rand() * 60000) * 2 ** -55,
    );
    const { order, hi, lo } = sortDesc(v);
    expect(new Set(order).size).toBe(v.length);
    const sorted = Array.from(order, (i) => v[i]);
    for (let i = 1; i < v.length; i++) {
      expect(sorted[i] <= sorted[i - 1]).toBe(true);
      // Equal keys exactly where the values are equal.
      expect(hi[i] === hi[i - 1] && lo[i] === lo[i - 1]).toBe(sorted[i] === sorted[i - 1]);
    }
  });
});

describe('nthSmallest and the median absolute error', () => {
  it('select what a sort puts at each place (ties, organ pipes, sub-ranges), and the median of odd and even counts', () => {
    const rand = mulberry32(5);
    for (const n of [1, 2, 3, 8, 101, 1000]) {
      const cases = [
        Float64Array.from({ length: n }, () => Math.floor(rand() * 5) / 4),
        Float64Array.from({ length: n }, (_, i) => (i < n / 2 ? i : n - i)),
        Float64Array.from({ length: n }, () => rand() * 100 - 50),
      ];
      for (const v of cases) {
        const sorted = Float64Array.from(v).sort();
        for (const k of [0, Math.floor(n / 2), n - 1]) {
          const a = Float64Array.from(v);
          expect(nthSmallest(a, k)).toBe(sorted[k]);
          for (let i = 0; i < k; i++) expect(a[i] <= a[k]).toBe(true);
          for (let i = k + 1; i < n; i++) expect(a[i] >= a[k]).toBe(true);
        }
        const y = Float64Array.from(v, () => rand() * 10);
        const pred = Float64Array.from(y, (x, i) => x + v[i]);
        const err = Float64Array.from(y, (x, i) => Math.abs(x - pred[i])).sort();
        const want = (err[Math.floor((n - 1) / 2)] + err[Math.floor(n / 2)]) / 2;
        expect(regressionMetrics({ task: 'regression', n, y, pred }).median_absolute_error).toBe(want);
      }
    }
  });
});

describe('largest', () => {
  it('takes the positions the stable sort puts first (ties to the earlier position, NaN last), by selection', () => {
    const rand = mulberry32(17);
    for (const n of [1, 2, 7, 100, 5000]) {
      // Few distinct values (many ties), ±0, NaN and infinities, in random order.
      const pool = [0.5, 0.25, -0, 0, -1, Infinity, -Infinity, NaN, 0.125];
      const v = Float64Array.from({ length: n }, () =>
        rand() < 0.5 ? pool[Math.floor(rand() * pool.length)] : rand(),
      );
      // An organ pipe (up, then down) defeats the median-of-three pivot: the selection sorts what is left.
      const organ = Float64Array.from({ length: n }, (_, i) => (i < n / 2 ? i : n - i));
      check(v);
      check(organ);
    }
    function check(v: Float64Array) {
      const n = v.length;
      const order = sortDesc(v).order;
      for (const count of [0, 1, Math.floor(n / 3), n - 1, n, n + 3]) {
        const got: number[] = [];
        largest(v, count, (i) => got.push(i));
        const want = Array.from(order.slice(0, Math.max(0, count))).sort((a, b) => a - b);
        expect(got, `n=${n} count=${count}`).toEqual(want);
      }
    }
  });
});

/** A binary task from p(class 1) and the labels. */
const columnsData = (p1: Float64Array, y: Int32Array): ClassificationData => ({
  task: 'classification',
  classes: ['0', '1'],
  positive: 1,
  n: y.length,
  y,
  pred: Int32Array.from(p1, (p) => (p >= 0.5 ? 1 : 0)),
  probs: [Float64Array.from(p1, (p) => 1 - p), p1],
});

describe('a ranking kept between metrics and curves', () => {
  it('gives the same AUC and AP to both, and new ones when the labels change (reviewed labels)', () => {
    const rand = mulberry32(5);
    const n = 400;
    const p1 = Float64Array.from({ length: n }, () => Math.round(rand() * 50) / 50);
    const y = Int32Array.from(p1, (p) => (rand() < p ? 1 : 0));
    const d = columnsData(p1, y);
    const first = rankMetrics(d, 1);
    expect(curves(d)[0].auc).toBe(first.auc);
    const flipped = Int32Array.from(y, (v, i) => (i % 5 === 0 ? 1 - v : v));
    const relabelled = withLabels(d, flipped);
    const fresh = columnsData(p1, flipped);
    expect(rankMetrics(relabelled, 1)).toEqual(rankMetrics(fresh, 1));
    expect(rankMetrics(relabelled, 1)).not.toEqual(first);
  });
});

describe('classification conventions', () => {
  it('sorts classes as scikit-learn and picks a sensible positive class', () => {
    expect(sortClasses(['10', '2', '1'])).toEqual(['1', '2', '10']);
    expect(sortClasses(['b', 'B', 'a'])).toEqual(['B', 'a', 'b']);
    expect(defaultPositive(['No', 'Yes'])).toBe(1);
    expect(defaultPositive(['false', 'true'])).toBe(1);
    expect(defaultPositive(['1', '0'].sort())).toBe(1);
    expect(defaultPositive(['positive', 'zzz'])).toBe(0);
    expect(defaultPositive(['benign', 'malignant'])).toBe(1);
    // Beside the class nothing happened to: fraud of fraud/legit, churn of churn/no churn.
    expect(defaultPositive(['fraud', 'legit'])).toBe(0);
    expect(defaultPositive(['churn', 'no churn'])).toBe(0);
    expect(defaultPositive(['anomaly', 'normal'])).toBe(0);
    expect(defaultPositive(['neg', 'pos'])).toBe(1);
    expect(defaultPositive(['noble', 'zebra'])).toBe(1);
    expect(defaultPositive(['a', 'b', 'c'])).toBeNull();
  });

  it('predicts the argmax with ties to the first class, or p(positive) ≥ threshold', () => {
    const p = columns([0.5, 0.5, 0.2, 0.8, 0.7, 0.3], 2);
    expect(Array.from(predictFromProbs(p, 3))).toEqual([0, 1, 0]);
    expect(Array.from(predictFromProbs(p, 3, { positive: 1, value: 0.5 }))).toEqual([1, 1, 0]);
    expect(Array.from(predictFromProbs(p, 3, { positive: 1, value: 0.9 }))).toEqual([0, 0, 0]);
    // Positive class 0; a missing probability is no prediction (−1), at any threshold.
    const q = columns([0.6, 0.4, NaN, NaN, 0.2, 0.8, 0.9, 0.1], 2);
    expect(Array.from(predictFromProbs(q, 4, { positive: 0, value: 0.5 }))).toEqual([0, -1, 1, 0]);
    expect(Array.from(predictFromProbs(q, 4, { positive: 0, value: 0.95 }))).toEqual([1, -1, 1, 1]);
  });

  it('counts top-k hits with scikit-learn tie order (the later class first)', () => {
    const probs = columns([0.4, 0.3, 0.3, 0.4, 0.3, 0.3, 0.1, 0.1, 0.8, 0.25, 0.25, 0.5], 3);
    const d = {
      task: 'classification',
      classes: ['a', 'b', 'c'],
      positive: null,
      n: 4,
      y: Int32Array.from([1, 2, 0, 1]),
      pred: Int32Array.from([0, 0, 2, 2]),
      probs,
    } as ClassificationData;
    // Row 0: y = b ties with c, and c ranks first → b is third: a miss. Row 1: y = c → second: a hit.
    // Row 2: y = a ties with b; b ranks first → third: a miss. Row 3: y = b ties with a → second: a hit.
    expect(probabilityMetrics(d).top_2_accuracy).toBe(0.5);
    expect(Number.isNaN(probabilityMetrics(d).top_3_accuracy)).toBe(true);
  });

  it('a subset derives its ranks from its parent exactly as if it ranked its own rows', () => {
    const d = randomClassification(500, 3, 21);
    for (let c = 0; c < 3; c++) rankMetrics(d, c); // ranks computed on the parent
    const rand = mulberry32(4);
    const idx = Uint32Array.from(Array.from({ length: d.n }, (_, i) => i).filter(() => rand() < 0.4));
    const derived = subset(d, idx);
    const fresh: ClassificationData = subset({ ...d, ranks: undefined } as ClassificationData, idx);
    expect(derived.ranks?.length).toBe(3);
    for (let c = 0; c < 3; c++) {
      expect(rankMetrics(derived, c)).toEqual(rankMetrics(fresh, c));
      expect(derived.ranks![c]!.groups).toBe(fresh.ranks![c]!.groups);
    }
  });

  it('several (overlapping) subsets at once rank their rows as each would alone', () => {
    const d = randomClassification(400, 3, 22);
    for (let c = 0; c < 3; c++) rankMetrics(d, c);
    const rand = mulberry32(6);
    const lists = [0.3, 0.5, 0.9].map((p) =>
      Uint32Array.from(Array.from({ length: d.n }, (_, i) => i).filter(() => rand() < p)),
    );
    const many = subsets(d, lists);
    lists.forEach((idx, s) => {
      const fresh: ClassificationData = subset({ ...d, ranks: undefined } as ClassificationData, idx);
      for (let c = 0; c < 3; c++) {
        expect(rankMetrics(many[s] as ClassificationData, c)).toEqual(rankMetrics(fresh, c));
        expect((many[s] as ClassificationData).ranks![c]!.groups).toBe(fresh.ranks![c]!.groups);
      }
    });
  });

  it('curves run from (0, 0) to (1, 1), thinned, with the AUC and AP of each class', () => {
    const d = randomClassification(2000, 3, 31);
    const cs = curves(d, 50);
    expect(cs.map((c) => c.class)).toEqual(['c0', 'c1', 'c2']);
    cs.forEach((c, k) => {
      expect(c.roc[0]).toEqual([0, 0]);
      expect(c.roc.at(-1)).toEqual([1, 1]);
      expect(c.pr.at(-1)![0]).toBe(1);
      expect(c.roc.length).toBeLessThanOrEqual(52);
      expect(c.auc).toBe(rankMetrics(d, k).auc);
    });
  });

  it('gives AUC 0.5 for ties everywhere and NaN without positives', () => {
    const d = {
      task: 'classification',
      classes: ['n', 'p'],
      positive: 1,
      n: 4,
      y: Int32Array.from([0, 1, 0, 1]),
      pred: Int32Array.from([0, 0, 0, 0]),
      probs: columns([0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5], 2),
    } as ClassificationData;
    expect(rankMetrics(d, 1).auc).toBe(0.5);
    expect(rankMetrics(d, 1).ap).toBe(0.5);
    const none = { ...d, y: Int32Array.from([0, 0, 0, 0]), ranks: undefined };
    expect(Number.isNaN(rankMetrics(none, 1).auc)).toBe(true);
  });

  it('reports null, never NaN, for what cannot be computed, with every key present', async () => {
    const d = {
      task: 'classification',
      classes: ['n', 'p'],
      positive: 1,
      n: 3,
      y: Int32Array.from([1, 1, 1]),
      pred: Int32Array.from([1, 0, 1]),
      probs: columns([0.2, 0.8, 0.6, 0.4, 0.1, 0.9], 2),
    } as ClassificationData;
    const e = await evaluate(d, { resamples: 20 });
    expect(Object.keys(e.metrics)).toEqual([...metricKeys('classification')]);
    expect(e.metrics.roc_auc).toBeNull();
    expect(e.metrics.accuracy).toBeCloseTo(2 / 3, 15);
    expect(JSON.stringify(e)).not.toMatch(/NaN/);
  });
});

describe('bootstrap', () => {
  it('replicates equal the exact metrics of each resample written out row by row', async () => {
    for (const k of [2, 4]) {
      const d = randomClassification(80, k, k);
      const names = replicateNames(d);
      const reps = await replicates(d, 0, 4, 11);
      for (let b = 0; b < 4; b++) {
        const w = resampleCounts(d.n, 11, b);
        expect(w.reduce((a, x) => a + x, 0)).toBe(d.n);
        const e = expand(d, w);
        const c = confusionMetrics(confusion(e), k);
        const p = probabilityMetrics(e);
        const want = { ...c, ...p } as unknown as Record<string, number>;
        c.perClass.forEach((pc, i) => (want[`f1:c${i}`] = pc.support > 0 || pc.predicted > 0 ? pc.f1 : NaN));
        names.forEach((name, j) => {
          const got = reps[b * names.length + j];
          if (Number.isNaN(want[name])) expect(Number.isNaN(got), name).toBe(true);
          else expect(Math.abs(got - want[name]), `${name} k=${k} b=${b}`).toBeLessThan(1e-12);
        });
      }
    }
  });

  it('regression replicates (median included) equal the written-out resample', async () => {
    const rand = mulberry32(3);
    const n = 51;
    const y = Float64Array.from({ length: n }, () => Math.round(rand() * 100) + 1);
    const pred = Float64Array.from(y, (v) => v + Math.round((rand() - 0.5) * 30));
    const d: RegressionData = { task: 'regression', n, y, pred };
    const names = replicateNames(d);
    const reps = await replicates(d, 0, 5, 5);
    for (let b = 0; b < 5; b++) {
      const w = resampleCounts(n, 5, b);
      const idx: number[] = [];
      w.forEach((c, i) => idx.push(...Array(c).fill(i)));
      const x = regressionMetrics(subset(d, Uint32Array.from(idx)));
      names.forEach((name, j) =>
        expect(Math.abs(reps[b * names.length + j] - x[name as keyof typeof x]), name).toBeLessThan(1e-9),
      );
    }
  });

  it('rank metrics of resamples with more distinct scores than bins stay within the bound', async () => {
    const n = 18000;
    const rand = mulberry32(5);
    const y = Int32Array.from({ length: n }, () => (rand() < 0.3 ? 1 : 0));
    const p1 = Float64Array.from(y, (v) => Math.min(1, Math.max(0, 0.35 * v + 0.65 * rand())));
    const d: ClassificationData = {
      task: 'classification',
      classes: ['0', '1'],
      positive: 1,
      n,
      y,
      pred: Int32Array.from(p1, (p) => (p >= 0.5 ? 1 : 0)),
      probs: [Float64Array.from(p1, (p) => 1 - p), p1],
    };
    expect(classRank(d, 1).groups).toBeGreaterThan(MAX_RANK_BINS);
    const names = replicateNames(d);
    const reps = await replicates(d, 0, 2, 3);
    for (let b = 0; b < 2; b++) {
      const e = subset(
        { ...d, ranks: undefined },
        Uint32Array.from(
          (() => {
            const w = resampleCounts(n, 3, b);
            const idx: number[] = [];
            w.forEach((c, i) => {
              for (let j = 0; j < c; j++) idx.push(i);
            });
            return idx;
          })(),
        ),
      );
      const exact = rankMetrics(e, 1);
      expect(Math.abs(reps[b * names.length + names.indexOf('roc_auc')] - exact.auc)).toBeLessThan(1 / MAX_RANK_BINS);
      expect(Math.abs(reps[b * names.length + names.indexOf('average_precision')] - exact.ap)).toBeLessThan(
        5 / MAX_RANK_BINS,
      );
    }
  });

  it('past MAX_RESAMPLE_ROWS, rescaled replicates spread as the plain bootstrap would: sd(MAE) ≈ sd(|e|)/√n', async () => {
    const n = 3 * MAX_RESAMPLE_ROWS;
    const rand = mulberry32(8);
    const y = Float64Array.from({ length: n }, () => rand() * 10);
    const pred = Float64Array.from(y, (v) => v + (rand() - 0.5) * 4);
    const d: RegressionData = { task: 'regression', n, y, pred };
    const B = 300;
    const reps = await replicates(d, 0, B, 1);
    const names = replicateNames(d);
    const mae = Array.from({ length: B }, (_, b) => reps[b * names.length + names.indexOf('mae')]);
    const errs = Array.from(y, (v, i) => Math.abs(v - pred[i]));
    const mean = errs.reduce((a, x) => a + x, 0) / n;
    const sdErr = Math.sqrt(errs.reduce((a, x) => a + (x - mean) ** 2, 0) / n);
    const repMean = mae.reduce((a, x) => a + x, 0) / B;
    const sdRep = Math.sqrt(mae.reduce((a, x) => a + (x - repMean) ** 2, 0) / (B - 1));
    expect(Math.abs(repMean - mean)).toBeLessThan((3 * sdErr) / Math.sqrt(n));
    expect(sdRep / (sdErr / Math.sqrt(n))).toBeGreaterThan(0.85);
    expect(sdRep / (sdErr / Math.sqrt(n))).toBeLessThan(1.15);
  });

  it('past MAX_RESAMPLE_ROWS, classification replicates are the estimate plus √(m/n) times each drawn resample’s deviation', async () => {
    const n = 3 * MAX_RESAMPLE_ROWS + 7;
    const d = randomClassification(n, 3, 13);
    const names = replicateNames(d);
    const metricsOf = (e: ClassificationData) => {
      const c = confusionMetrics(confusion(e), 3);
      const out = { ...c, ...probabilityMetrics(e) } as unknown as Record<string, number>;
      c.perClass.forEach((pc, i) => (out[`f1:c${i}`] = pc.f1));
      return out;
    };
    const point = metricsOf(d);
    const scale = Math.sqrt(MAX_RESAMPLE_ROWS / n);
    // 30 resamples are gathered in more than one batch; three of them are written out.
    const reps = await replicates(d, 0, 30, 4);
    for (const b of [0, 13, 29]) {
      const drawn = metricsOf(subset({ ...d, ranks: undefined }, resampleDraws(n, MAX_RESAMPLE_ROWS, 4, b)));
      names.forEach((name, j) => {
        const want = point[name] + scale * (drawn[name] - point[name]);
        expect(Math.abs(reps[b * names.length + j] - want), `${name} b=${b}`).toBeLessThan(1e-12);
      });
    }
  });

  it('a threshold step (same labels and probabilities, new predictions) gives what fresh arrays give, also while another runs', async () => {
    const d = randomClassification(90, 2, 21);
    const at = (t: number) => ({ ...d, pred: predictFromProbs(d.probs!, d.n, { positive: 1, value: t }) });
    const fresh = (e: ClassificationData) => ({ ...e, y: e.y.slice(), probs: e.probs!.map((p) => p.slice()) });
    const steps = [at(0.3), at(0.7), at(0.5)];
    const want = await Promise.all(steps.map((e) => replicates(fresh(e), 0, 6, 2)));
    for (const [i, e] of steps.entries()) expect(Array.from(await replicates(e, 0, 6, 2))).toEqual(Array.from(want[i]));
    // Two at once with different predictions: the second may not rewrite the first's.
    let release = () => {};
    const paused = new Promise<void>((r) => (release = r));
    const first = replicates(steps[0], 0, 6, 2, (done) => (done === 1 ? paused : undefined));
    const second = await replicates(steps[1], 0, 6, 2);
    release();
    expect(Array.from(await first)).toEqual(Array.from(want[0]));
    expect(Array.from(second)).toEqual(Array.from(want[1]));
    expect(Array.from(want[0])).not.toEqual(Array.from(want[1]));
  });

  it('replicates of no rows are the metrics of an empty resample (NaN where undefined), not zeros', async () => {
    const none = { ...randomClassification(1, 2, 3), n: 0, y: new Int32Array(0), pred: new Int32Array(0), probs: null };
    const names = replicateNames(none);
    const c = confusionMetrics(confusion(none), 2) as unknown as Record<string, number>;
    const want = names.map((name) => (name.startsWith('f1:') ? NaN : c[name]));
    expect(want.some(Number.isNaN)).toBe(true);
    const reps = await replicates(none, 0, 3, 1);
    for (let b = 0; b < 3; b++)
      expect(Array.from(reps.subarray(b * names.length, (b + 1) * names.length))).toEqual(want);
  });

  it('is the same whichever way the resamples are split', async () => {
    const d = randomClassification(60, 3, 9);
    const whole = await replicates(d, 0, 10, 1);
    const parts = [...(await replicates(d, 0, 4, 1)), ...(await replicates(d, 4, 10, 1))];
    expect(Array.from(whole)).toEqual(parts);
    expect(whole.length).toBe(10 * replicateNames(d).length);
  });
});

describe('intervals', () => {
  it('Wilson equals the roots of (p̂ − p)² = z²·p(1 − p)/n', () => {
    for (const [k, n] of [
      [138, 150],
      [0, 10],
      [10, 10],
      [531, 569],
      [1, 3],
    ]) {
      const ph = k / n;
      const a = 1 + (Z95 * Z95) / n;
      const b = -(2 * ph + (Z95 * Z95) / n);
      const c = ph * ph;
      const disc = Math.sqrt(b * b - 4 * a * c);
      const [lo, hi] = wilson(k, n)!;
      expect(lo).toBeCloseTo((-b - disc) / (2 * a), 12);
      expect(hi).toBeCloseTo((-b + disc) / (2 * a), 12);
    }
    expect(wilson(0, 0)).toBeNull();
  });

  it('Wilson equals statsmodels proportion_confint(method="wilson")', () => {
    for (const { k, n, interval } of wilsonGolden) {
      const [lo, hi] = wilson(k, n)!;
      expect(Math.abs(lo - interval[0]), `${k}/${n}`).toBeLessThan(1e-12);
      expect(Math.abs(hi - interval[1]), `${k}/${n}`).toBeLessThan(1e-12);
    }
  });

  it('takes percentiles as NumPy (linear) and leaves out undefined replicates', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.025)).toBeCloseTo(1.075, 15);
    expect(quantileSorted([1, 2, 3, 4], 0.975)).toBeCloseTo(3.925, 15);
    expect(percentileInterval([4, NaN, 1, 3, 2])).toEqual([1.075, 3.925]);
    expect(percentileInterval([NaN])).toBeNull();
  });
});
