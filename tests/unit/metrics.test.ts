import { describe, expect, it } from 'vitest';
import wilsonGolden from '../fixtures/expected/wilson.json';
import { confusion, confusionMetrics, probabilityMetrics, rankMetrics } from '../../src/core/metrics/classification';
import { defaultPositive, predictFromProbs, sortClasses, subset, type ClassificationData, type RegressionData } from '../../src/core/metrics/data';
import { regressionMetrics } from '../../src/core/metrics/regression';
import { argsortDesc } from '../../src/core/metrics/sort';
import { mulberry32, replicateNames, replicates, resampleCounts } from '../../src/core/metrics/bootstrap';
import { percentileInterval, quantileSorted, wilson, Z95 } from '../../src/core/metrics/intervals';
import { evaluate, metricKeys } from '../../src/core/metrics/report';

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
  return { task: 'classification', classes: Array.from({ length: k }, (_, c) => `c${c}`), positive: k === 2 ? 1 : null, n, y, pred: predictFromProbs(probs, k, n), probs };
}

/** The rows repeated as the counts say: a resample written out. */
function expand(d: ClassificationData, w: Uint32Array): ClassificationData {
  const idx: number[] = [];
  w.forEach((c, i) => {
    for (let j = 0; j < c; j++) idx.push(i);
  });
  return subset({ ...d, orders: undefined }, Uint32Array.from(idx));
}

describe('argsortDesc', () => {
  it('orders any doubles highest first with NaN last, as a permutation', () => {
    const rand = mulberry32(7);
    const v = Float64Array.from({ length: 5000 }, (_, i) => (i % 97 === 0 ? NaN : i % 13 === 0 ? -0 : (rand() - 0.5) * 10 ** Math.floor(rand() * 8 - 4)));
    const o = argsortDesc(v);
    expect(new Set(o).size).toBe(v.length);
    const sorted = Array.from(o, (i) => v[i]);
    const nan = sorted.findIndex((x) => Number.isNaN(x));
    expect(sorted.slice(nan).every(Number.isNaN)).toBe(true);
    for (let i = 1; i < nan; i++) expect(sorted[i] <= sorted[i - 1]).toBe(true);
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
    expect(defaultPositive(['a', 'b', 'c'])).toBeNull();
  });

  it('predicts the argmax with ties to the first class, or p(positive) ≥ threshold', () => {
    const p = Float64Array.from([0.5, 0.5, 0.2, 0.8, 0.7, 0.3]);
    expect(Array.from(predictFromProbs(p, 2, 3))).toEqual([0, 1, 0]);
    expect(Array.from(predictFromProbs(p, 2, 3, { positive: 1, value: 0.5 }))).toEqual([1, 1, 0]);
    expect(Array.from(predictFromProbs(p, 2, 3, { positive: 1, value: 0.9 }))).toEqual([0, 0, 0]);
  });

  it('counts top-k hits with scikit-learn tie order (the later class first)', () => {
    const probs = Float64Array.from([0.4, 0.3, 0.3, 0.4, 0.3, 0.3, 0.1, 0.1, 0.8, 0.25, 0.25, 0.5]);
    const d = { task: 'classification', classes: ['a', 'b', 'c'], positive: null, n: 4, y: Int32Array.from([1, 2, 0, 1]), pred: Int32Array.from([0, 0, 2, 2]), probs } as ClassificationData;
    // Row 0: y = b ties with c, and c ranks first → b is third: a miss. Row 1: y = c → second: a hit.
    // Row 2: y = a ties with b; b ranks first → third: a miss. Row 3: y = b ties with a → second: a hit.
    expect(probabilityMetrics(d, null).top_2_accuracy).toBe(0.5);
    expect(Number.isNaN(probabilityMetrics(d, null).top_3_accuracy)).toBe(true);
  });

  it('gives AUC 0.5 for ties everywhere and NaN without positives', () => {
    const d = { task: 'classification', classes: ['n', 'p'], positive: 1, n: 4, y: Int32Array.from([0, 1, 0, 1]), pred: Int32Array.from([0, 0, 0, 0]), probs: Float64Array.from([0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]) } as ClassificationData;
    expect(rankMetrics(d, 1, null).auc).toBe(0.5);
    expect(rankMetrics(d, 1, null).ap).toBe(0.5);
    const none = { ...d, y: Int32Array.from([0, 0, 0, 0]), orders: undefined };
    expect(Number.isNaN(rankMetrics(none, 1, null).auc)).toBe(true);
  });

  it('reports null, never NaN, for what cannot be computed, with every key present', async () => {
    const d = { task: 'classification', classes: ['n', 'p'], positive: 1, n: 3, y: Int32Array.from([1, 1, 1]), pred: Int32Array.from([1, 0, 1]), probs: Float64Array.from([0.2, 0.8, 0.6, 0.4, 0.1, 0.9]) } as ClassificationData;
    const e = await evaluate(d, { resamples: 20 });
    expect(Object.keys(e.metrics)).toEqual([...metricKeys('classification')]);
    expect(e.metrics.roc_auc).toBeNull();
    expect(e.metrics.accuracy).toBeCloseTo(2 / 3, 15);
    expect(JSON.stringify(e)).not.toMatch(/NaN/);
  });
});

describe('bootstrap', () => {
  it('weighted metrics equal the metrics of the resample written out row by row', async () => {
    for (const k of [2, 4]) {
      const d = randomClassification(80, k, k);
      for (let b = 0; b < 4; b++) {
        const w = resampleCounts(d.n, 11, b);
        expect(w.reduce((a, x) => a + x, 0)).toBe(d.n);
        const e = expand(d, w);
        const cw = confusionMetrics(confusion(d, w), k);
        const ce = confusionMetrics(confusion(e, null), k);
        for (const key of ['accuracy', 'balanced_accuracy', 'macro_f1', 'weighted_f1', 'cohen_kappa', 'mcc'] as const) expect(cw[key]).toBeCloseTo(ce[key], 12);
        const pw = probabilityMetrics(d, w);
        const pe = probabilityMetrics(e, null);
        for (const key of ['log_loss', 'brier', 'ece', 'roc_auc', 'average_precision', 'top_2_accuracy'] as const) {
          if (Number.isNaN(pe[key])) expect(Number.isNaN(pw[key])).toBe(true);
          else expect(pw[key]).toBeCloseTo(pe[key], 12);
        }
      }
    }
  });

  it('weighted regression metrics (median included) equal the written-out resample', () => {
    const rand = mulberry32(3);
    const n = 51;
    const y = Float64Array.from({ length: n }, () => Math.round(rand() * 100));
    const pred = Float64Array.from(y, (v) => v + Math.round((rand() - 0.5) * 30));
    const d: RegressionData = { task: 'regression', n, y, pred };
    for (let b = 0; b < 5; b++) {
      const w = resampleCounts(n, 5, b);
      const idx: number[] = [];
      w.forEach((c, i) => idx.push(...Array(c).fill(i)));
      const e = subset(d, Uint32Array.from(idx));
      const a = regressionMetrics(d, w);
      const x = regressionMetrics(e, null);
      for (const key of Object.keys(x) as (keyof typeof x)[]) expect(a[key]).toBeCloseTo(x[key], 9);
    }
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
    for (const [k, n] of [[138, 150], [0, 10], [10, 10], [531, 569], [1, 3]]) {
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
