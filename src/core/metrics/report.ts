import { LABEL_METRICS, PROBABILITY_METRICS, REGRESSION_METRICS } from './catalogue';
import {
  confusion,
  confusionMetrics,
  probabilityMetrics,
  type ConfusionMetrics,
  type ProbabilityMetrics,
} from './classification';
import type { ClassificationData, EvalData } from './data';
import { bootstrapIntervals, replicateNames, replicates, BOOTSTRAP_SEED } from './bootstrap';
import { wilson, type Interval } from '../stats/intervals';
import { regressionMetrics, type RegressionMetrics } from './regression';

export type Metrics = Record<string, number | null>;
export type Intervals = Record<string, Interval | null>;

export interface PerClass {
  class: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
  intervals: { precision: Interval | null; recall: Interval | null; f1: Interval | null };
}

/** The evaluation of one set of rows: what `loupe eval --json` writes for the whole file, and per group or slice. */
export interface Evaluation {
  rows: number;
  metrics: Metrics;
  intervals: Intervals;
  per_class: PerClass[];
  /** Rows = true class, columns = predicted class, in `classes` order; null for regression. */
  confusion: number[][] | null;
}

export interface EvaluateOptions {
  /** Bootstrap resamples (0: Wilson intervals only). */
  resamples: number;
  seed?: number;
  /** Called after each resample with the number done; may throw to cancel. */
  tick?: (done: number) => Promise<void> | void;
  /** Computes the probability metrics (a caller may keep them: they do not depend on the threshold). */
  probabilityMetrics?: (d: ClassificationData) => ProbabilityMetrics;
}

/** The metric names reported for a task, in report order. */
export function metricKeys(task: EvalData['task']): readonly string[] {
  return task === 'regression' ? REGRESSION_METRICS : [...LABEL_METRICS, ...PROBABILITY_METRICS];
}

/** NaN and ±Infinity become null: a metric that cannot be computed is null, never NaN. */
export const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** Per probability columns (the same arrays across threshold steps): whether none is NaN. */
const usable = new WeakMap<Float64Array[], boolean>();

function hasUsableProbs(d: ClassificationData): boolean {
  if (!d.probs) return false;
  let ok = usable.get(d.probs);
  if (ok === undefined) {
    ok = d.probs.every((col) => {
      for (let i = 0; i < col.length; i++) if (col[i] !== col[i]) return false;
      return true;
    });
    usable.set(d.probs, ok);
  }
  return ok;
}

/**
 * Metrics, intervals, per-class scores and the confusion matrix of `d` (every row scored: a label
 * and a prediction present). Wilson intervals for proportions (accuracy, error rate, micro F1,
 * top-k accuracy, per-class precision and recall); percentile bootstrap for the rest.
 */
export async function evaluate(d: EvalData, opts: EvaluateOptions): Promise<Evaluation> {
  const n = d.n;
  const boot = opts.resamples > 0 && n > 0 ? await bootstrap(d, opts) : {};
  if (d.task === 'regression') return regressionEvaluation(n, regressionMetrics(d), boot);
  const probs = hasUsableProbs(d) && n > 0 ? (opts.probabilityMetrics ?? probabilityMetrics)(d) : null;
  return classificationEvaluation(d.classes, confusion(d), probs, boot);
}

/**
 * A classification's evaluation from its confusion matrix (its rows: every row scored), its
 * probability metrics (null: none) and its bootstrap intervals, if any.
 */
export function classificationEvaluation(
  classes: string[],
  cm: Float64Array,
  probs: ProbabilityMetrics | null,
  boot: Intervals = {},
): Evaluation {
  const k = classes.length;
  let n = 0;
  for (const v of cm) n += v;
  const metrics: Metrics = {};
  const intervals: Intervals = {};
  const c: ConfusionMetrics = confusionMetrics(cm, k);
  for (const key of LABEL_METRICS) metrics[key] = finite(c[key]);
  for (const key of PROBABILITY_METRICS) metrics[key] = probs ? finite(probs[key]) : null;
  for (const key of [...LABEL_METRICS, ...PROBABILITY_METRICS]) intervals[key] = boot[key] ?? null;
  const correct = Math.round(c.accuracy * n);
  intervals.accuracy = wilson(correct, n);
  intervals.error_rate = wilson(n - correct, n);
  intervals.micro_f1 = intervals.accuracy;
  for (const key of ['top_2_accuracy', 'top_3_accuracy'] as const) {
    const v = metrics[key];
    intervals[key] = v === null ? null : wilson(Math.round(v * n), n);
  }
  const per_class = c.perClass.map((p, i) => ({
    class: classes[i],
    precision: p.precision,
    recall: p.recall,
    f1: p.f1,
    support: p.support,
    intervals: {
      precision: wilson(cm[i * k + i], p.predicted),
      recall: wilson(cm[i * k + i], p.support),
      f1: boot[`f1:${classes[i]}`] ?? null,
    },
  }));
  const matrix = Array.from({ length: k }, (_, a) => Array.from(cm.subarray(a * k, a * k + k)));
  return { rows: n, metrics, intervals, per_class, confusion: matrix };
}

/** A regression's evaluation from its metrics on n rows and its bootstrap intervals, if any. */
export function regressionEvaluation(n: number, r: RegressionMetrics, boot: Intervals = {}): Evaluation {
  const metrics: Metrics = {};
  const intervals: Intervals = {};
  for (const k of REGRESSION_METRICS) {
    metrics[k] = n ? finite(r[k]) : null;
    intervals[k] = boot[k] ?? null;
  }
  return { rows: n, metrics, intervals, per_class: [], confusion: null };
}

async function bootstrap(d: EvalData, opts: EvaluateOptions): Promise<Intervals> {
  // Probability metrics are replicated only when they exist for the rows.
  const data = d.task === 'classification' && !hasUsableProbs(d) ? { ...d, probs: null } : d;
  const values = await replicates(data, 0, opts.resamples, opts.seed ?? BOOTSTRAP_SEED, opts.tick);
  return bootstrapIntervals(replicateNames(data), values);
}

/** The JSON report of `loupe eval --json` and the app's "Export metrics (JSON)". Key names are fixed. */
export interface EvalReport {
  task: EvalData['task'];
  rows: number;
  /** Rows left out: no label, or no prediction. */
  skipped: number;
  classes: string[];
  positive: string | null;
  threshold: number | null;
  overall: Metrics;
  intervals: Intervals;
  per_class: PerClass[];
  confusion: { labels: string[]; matrix: number[][] } | null;
  /** Per column, per value: rows, every metric, and intervals. */
  groups: Record<string, Record<string, GroupEntry>>;
  slices: { where: string; rows: number; metrics: Metrics; intervals: Intervals }[];
}

export type GroupEntry = { rows: number; intervals: Intervals } & { [metric: string]: number | null | Intervals };

export interface ReportInput {
  task: EvalData['task'];
  /** Class names (classification) and the positive class of a binary task. */
  classes: string[];
  positive: string | null;
  skipped: number;
  threshold: number | null;
  overall: Evaluation;
  groups: { column: string; values: { label: string; evaluation: Evaluation }[] }[];
  slices: { where: string; evaluation: Evaluation }[];
}

export function toReport(r: ReportInput): EvalReport {
  const { task, classes } = r;
  const groups: EvalReport['groups'] = {};
  for (const g of r.groups) {
    groups[g.column] = {};
    for (const v of g.values)
      groups[g.column][v.label] = {
        rows: v.evaluation.rows,
        ...v.evaluation.metrics,
        intervals: v.evaluation.intervals,
      } as GroupEntry;
  }
  return {
    task,
    rows: r.overall.rows,
    skipped: r.skipped,
    classes,
    positive: r.positive,
    threshold: r.threshold,
    overall: r.overall.metrics,
    intervals: r.overall.intervals,
    per_class: r.overall.per_class,
    confusion: r.overall.confusion ? { labels: classes, matrix: r.overall.confusion } : null,
    groups,
    slices: r.slices.map((s) => ({
      where: s.where,
      rows: s.evaluation.rows,
      metrics: s.evaluation.metrics,
      intervals: s.evaluation.intervals,
    })),
  };
}

/** The report as written to a file: two-space JSON with a final newline, the same bytes in Node and the browser. */
export const reportJson = (r: EvalReport) => JSON.stringify(r, null, 2) + '\n';
