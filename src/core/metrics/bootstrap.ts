import { confusion, confusionMetrics, probabilityMetrics } from './classification';
import type { EvalData } from './data';
import { regressionMetrics } from './regression';
import { percentileInterval, type Interval } from './intervals';

export const BOOTSTRAP_RESAMPLES = 1000;
export const BOOTSTRAP_SEED = 20211;

/** Metrics whose interval is a percentile bootstrap (the proportions get Wilson intervals). */
export const BOOTSTRAP_CLASSIFICATION = ['balanced_accuracy', 'macro_precision', 'macro_recall', 'macro_f1', 'weighted_f1', 'cohen_kappa', 'mcc'] as const;
export const BOOTSTRAP_PROBABILITY = ['log_loss', 'ece', 'roc_auc', 'average_precision', 'brier'] as const;
export const BOOTSTRAP_REGRESSION = ['mae', 'mse', 'rmse', 'r2', 'median_absolute_error', 'max_error', 'mape'] as const;

/** mulberry32: a small seeded PRNG, so that intervals are the same on every run and machine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Resample `b`'s row counts: n draws with replacement. Each resample has its own seed, so any
 * split of the resamples over workers gives the same replicates.
 */
export function resampleCounts(n: number, seed: number, b: number, out = new Uint32Array(n)): Uint32Array {
  out.fill(0);
  const rand = mulberry32(Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) ^ Math.imul(b + 1, 0x85ebca6b));
  for (let j = 0; j < n; j++) out[Math.floor(rand() * n)]++;
  return out;
}

/** The names of the replicated statistics for `d`, in the order `replicates` fills them. */
export function replicateNames(d: EvalData): string[] {
  if (d.task === 'regression') return [...BOOTSTRAP_REGRESSION];
  return [...BOOTSTRAP_CLASSIFICATION, ...(d.probs ? BOOTSTRAP_PROBABILITY : []), ...d.classes.map((c) => `f1:${c}`)];
}

/**
 * Bootstrap replicates for resamples [from, to): a Float64Array of (to − from) × names values.
 * `tick` is called after each resample (progress, cancellation).
 */
export async function replicates(d: EvalData, from: number, to: number, seed = BOOTSTRAP_SEED, tick?: (done: number) => Promise<void> | void): Promise<Float64Array> {
  const names = replicateNames(d);
  const out = new Float64Array((to - from) * names.length);
  const w = new Uint32Array(d.n);
  for (let b = from; b < to; b++) {
    resampleCounts(d.n, seed, b, w);
    const row: number[] = [];
    if (d.task === 'regression') {
      const r = regressionMetrics(d, w);
      for (const k of BOOTSTRAP_REGRESSION) row.push(r[k]);
    } else {
      const c = confusionMetrics(confusion(d, w), d.classes.length);
      for (const k of BOOTSTRAP_CLASSIFICATION) row.push(c[k]);
      if (d.probs) {
        const p = probabilityMetrics(d, w);
        for (const k of BOOTSTRAP_PROBABILITY) row.push(p[k]);
      }
      // A class absent from a resample has no F1 of its own there.
      for (const pc of c.perClass) row.push(pc.support > 0 || pc.predicted > 0 ? pc.f1 : NaN);
    }
    out.set(row, (b - from) * names.length);
    await tick?.(b - from + 1);
  }
  return out;
}

/** Percentile intervals from replicates (all resamples' rows concatenated). */
export function bootstrapIntervals(names: string[], values: Float64Array): Record<string, Interval | null> {
  const count = values.length / names.length;
  const out: Record<string, Interval | null> = {};
  names.forEach((name, j) => {
    const col = new Float64Array(count);
    for (let b = 0; b < count; b++) col[b] = values[b * names.length + j];
    out[name] = percentileInterval(col);
  });
  return out;
}
