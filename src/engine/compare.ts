import { mapInto } from '../core/arrays';
import { LoupeError } from '../core/errors';
import { mcnemar, pairedT, type McNemar, type PairedT } from '../core/stats/tests';
import {
  BOOTSTRAP_SEED,
  MAX_RESAMPLE_ROWS,
  replicateNames,
  replicates,
  resampleDraws,
} from '../core/metrics/bootstrap';
import { subset, type ClassificationData, type EvalData, type RegressionData } from '../core/metrics/data';
import { percentileInterval, type Interval } from '../core/stats/intervals';
import { sortDesc } from '../core/metrics/sort';
import { evaluate, metricKeys } from '../core/metrics/report';
import { benjaminiHochberg } from '../core/stats/proportions';
import type { EvalSpec, EvalTable, Evaluator } from './Evaluator';
import { findSlices, type FoundSlice } from './SliceFinder';

/** A group's change from A to B: accuracy, or (regression) the mean absolute error, with its test's p-value. */
export interface GroupChange {
  group: string;
  rows: number;
  a: number;
  b: number;
  difference: number;
  p_value: number | null;
  adjusted_p: number | null;
  change: 'improved' | 'regressed' | 'no significant change';
}

export interface Comparison {
  task: 'classification' | 'regression';
  /** Rows scored by both (a label and both predictions). */
  rows: number;
  metrics: Record<string, { a: number | null; b: number | null; difference: number | null; interval: Interval | null }>;
  /** Classification: right/wrong of A against B on each row, and McNemar's test on the rows where one is right. */
  table: { both_right: number; a_only: number; b_only: number; both_wrong: number } | null;
  mcnemar: McNemar | null;
  /**
   * Regression: the rows where B's absolute error is smaller than A's, larger, or the same, and the
   * paired t-test of B's absolute errors against A's (as scipy.stats.ttest_rel).
   */
  errors: { b_closer: number; a_closer: number; equal: number; ttest: PairedT } | null;
  /**
   * Row numbers where B is wrong and A was right (a review queue) or, for regression, where B's
   * absolute error is larger than A's, most grown first; at most 100,000.
   */
  regressions: number[];
  groups: Record<string, GroupChange[]>;
  /** Slices where B's regressions concentrate (SliceLine on "B wrong where A was right", or on the growth of the absolute error). */
  regression_slices: FoundSlice[] | null;
}

const MAX_REGRESSIONS = 100_000;

export interface CompareOptions {
  resamples?: number;
  by?: string[];
  bins?: number;
  slices?: boolean;
  alpha?: number;
}

/** Whether each row's prediction is right (1) or not (0). */
function hits(d: ClassificationData): Uint8Array {
  const pred = d.pred;
  return mapInto(new Uint8Array(d.y.length), d.y, (y, i) => (y === pred[i] ? 1 : 0));
}

/**
 * Two prediction sets on the same rows and labels: metrics side by side with a paired-bootstrap
 * interval of B − A (the same resampled rows for both), McNemar's test on the rows where exactly one
 * is right, per-group changes with Benjamini–Hochberg adjusted McNemar p-values, and the regressions.
 */
export async function compare(
  ev: Evaluator,
  t: EvalTable,
  specA: EvalSpec,
  specB: EvalSpec,
  o: CompareOptions = {},
): Promise<Comparison> {
  const la = await ev.load(t, specA);
  const dataA = la.data;
  const lb = await ev.load(t, specB);
  const dataB = lb.data;
  if (dataA.task !== dataB.task)
    throw new LoupeError(
      'bad-roles',
      'Comparing models needs the same task (classes or numbers) for both prediction sets.',
    );
  // Rows both can score.
  const inB = new Uint8Array(t.rows);
  for (const r of lb.scored) inB[r] = 1;
  const common = la.scored.filter((r) => inB[r]);
  if (!common.length) throw new LoupeError('bad-roles', 'No row has a label and both predictions.');
  if (dataA.task === 'regression') return compareRegression(ev, t, specA, common, dataA, dataB as RegressionData, o);
  const a = subset(dataA, common) as ClassificationData;
  const b = subset(dataB, common) as ClassificationData;
  const ea = await evaluate(a, { resamples: 0 });
  const eb = await evaluate(b, { resamples: 0 });
  const ha = hits(a);
  const hb = hits(b);
  const table = { both_right: 0, a_only: 0, b_only: 0, both_wrong: 0 };
  const regressions: number[] = [];
  for (let i = 0; i < ha.length; i++) {
    if (ha[i] && hb[i]) table.both_right++;
    else if (ha[i]) (table.a_only++, regressions.length < MAX_REGRESSIONS && regressions.push(common[i]));
    else if (hb[i]) table.b_only++;
    else table.both_wrong++;
  }
  const intervals = o.resamples ? await pairedIntervals(a, b, o.resamples, [ha, hb]) : {};
  const metrics = sideBySide('classification', ea.metrics, eb.metrics, intervals);
  const groups: Comparison['groups'] = Object.create(null); // keyed by column names: `__proto__` too
  const all: GroupChange[] = [];
  for (const column of o.by ?? []) {
    const { groups: gs, codes } = await ev.encode(t, column, o.bins ?? 5);
    const tally = gs.map(() => ({ n: 0, a: 0, b: 0, aOnly: 0, bOnly: 0 }));
    common.forEach((r, i) => {
      const g = codes[r];
      if (g < 0) return;
      const x = tally[g];
      x.n++;
      x.a += ha[i];
      x.b += hb[i];
      if (ha[i] && !hb[i]) x.aOnly++;
      if (hb[i] && !ha[i]) x.bOnly++;
    });
    groups[column] = gs.flatMap((g, j) => {
      const x = tally[j];
      if (!x.n) return [];
      const change: GroupChange = {
        group: g.label,
        rows: x.n,
        a: x.a / x.n,
        b: x.b / x.n,
        difference: (x.b - x.a) / x.n,
        p_value: mcnemar(x.aOnly, x.bOnly).p_value,
        adjusted_p: null,
        change: 'no significant change',
      };
      all.push(change);
      return [change];
    });
  }
  judge(all, o.alpha ?? 0.05, 1);
  const regression_slices =
    o.slices && table.a_only > 0
      ? await whereRegressions(
          ev,
          t,
          specA,
          common,
          mapInto(new Float64Array(ha.length), ha, (h, i) => (h && !hb[i] ? 1 : 0)),
        )
      : null;
  return {
    task: 'classification',
    rows: common.length,
    metrics,
    table,
    mcnemar: mcnemar(table.a_only, table.b_only),
    errors: null,
    regressions,
    groups,
    regression_slices,
  };
}

/**
 * Two regression models on the rows both score: metrics side by side with paired-bootstrap
 * intervals of B − A, the paired t-test of their absolute errors (overall and per group, the
 * groups' p-values adjusted by Benjamini–Hochberg), and the rows where B's error grew.
 */
async function compareRegression(
  ev: Evaluator,
  t: EvalTable,
  specA: EvalSpec,
  common: Uint32Array,
  dataA: RegressionData,
  dataB: RegressionData,
  o: CompareOptions,
): Promise<Comparison> {
  const a = subset(dataA, common) as RegressionData;
  const b = subset(dataB, common) as RegressionData;
  const n = common.length;
  // d: how much larger B's absolute error is than A's, row by row.
  const d = new Float64Array(n);
  const errA = new Float64Array(n);
  const counts = { b_closer: 0, a_closer: 0, equal: 0 };
  for (let i = 0; i < n; i++) {
    errA[i] = Math.abs(a.y[i] - a.pred[i]);
    d[i] = Math.abs(b.y[i] - b.pred[i]) - errA[i];
    if (d[i] < 0) counts.b_closer++;
    else if (d[i] > 0) counts.a_closer++;
    else counts.equal++;
  }
  // The rows where B's error grew, most first (a stable radix sort: ties stay in row order).
  const grew = Uint32Array.from({ length: counts.a_closer });
  for (let i = 0, k = 0; i < n; i++) if (d[i] > 0) grew[k++] = i;
  const { order } = sortDesc(Float64Array.from(grew, (i) => d[i]));
  const ea = await evaluate(a, { resamples: 0 });
  const eb = await evaluate(b, { resamples: 0 });
  const intervals = o.resamples ? await pairedIntervals(a, b, o.resamples) : {};
  const groups: Comparison['groups'] = {};
  const all: GroupChange[] = [];
  for (const column of o.by ?? []) {
    const { groups: gs, codes } = await ev.encode(t, column, o.bins ?? 5);
    const members = gs.map(() => [] as number[]);
    common.forEach((r, i) => codes[r] >= 0 && members[codes[r]].push(i));
    groups[column] = gs.flatMap((g, j) => {
      const rows = members[j];
      if (!rows.length) return [];
      let sa = 0;
      let sb = 0;
      for (const i of rows) ((sa += errA[i]), (sb += errA[i] + d[i]));
      const test = pairedT(rows.map((i) => d[i]));
      const change: GroupChange = {
        group: g.label,
        rows: rows.length,
        a: sa / rows.length,
        b: sb / rows.length,
        difference: test.mean_difference,
        p_value: test.p_value,
        adjusted_p: null,
        change: 'no significant change',
      };
      all.push(change);
      return [change];
    });
  }
  // A lower mean absolute error is better.
  judge(all, o.alpha ?? 0.05, -1);
  const regression_slices =
    o.slices && counts.a_closer > 0
      ? await whereRegressions(
          ev,
          t,
          specA,
          common,
          d.map((x) => Math.max(0, x)),
        )
      : null;
  return {
    task: 'regression',
    rows: n,
    metrics: sideBySide('regression', ea.metrics, eb.metrics, intervals),
    table: null,
    mcnemar: null,
    errors: { ...counts, ttest: pairedT(d) },
    regressions: Array.from(order.subarray(0, MAX_REGRESSIONS), (j) => common[grew[j]]),
    groups,
    regression_slices,
  };
}

/** Each metric of A and B, B − A, and its paired interval. */
function sideBySide(
  task: 'classification' | 'regression',
  ma: Record<string, number | null | undefined>,
  mb: Record<string, number | null | undefined>,
  intervals: Record<string, Interval | null>,
): Comparison['metrics'] {
  const metrics: Comparison['metrics'] = {};
  for (const k of metricKeys(task)) {
    const va = ma[k] ?? null;
    const vb = mb[k] ?? null;
    metrics[k] = {
      a: va,
      b: vb,
      difference: va === null || vb === null ? null : vb - va,
      interval: intervals[k] ?? null,
    };
  }
  return metrics;
}

/**
 * The groups' p-values adjusted by Benjamini–Hochberg as one family (every group of every column),
 * and each group's change where the adjusted p-value is below alpha: `better` 1 when a larger value
 * is better (accuracy), −1 when a smaller one is (mean absolute error).
 */
function judge(all: GroupChange[], alpha: number, better: 1 | -1): void {
  benjaminiHochberg(all.map((g) => g.p_value)).forEach((p, i) => {
    all[i].adjusted_p = p;
    const gain = better * all[i].difference;
    if (p !== null && p < alpha)
      all[i].change = gain > 0 ? 'improved' : gain < 0 ? 'regressed' : 'no significant change';
  });
}

/** SliceLine on how much worse B is than A on each of the common rows. */
async function whereRegressions(
  ev: Evaluator,
  t: EvalTable,
  specA: EvalSpec,
  common: Uint32Array,
  errors: Float64Array,
): Promise<FoundSlice[]> {
  const found = await findSlices(ev, t, specA, {
    custom: { rows: Uint32Array.from(common), errors },
    minSupport: Math.max(10, Math.ceil(common.length / 100)),
  });
  return found.slices;
}

/**
 * Percentile intervals of B − A over paired resamples (both use resample b's rows), for the
 * bootstrapped metrics and, given each row's right/wrong (`hits`), accuracy.
 */
async function pairedIntervals(
  a: EvalData,
  b: EvalData,
  resamples: number,
  hits?: [Uint8Array, Uint8Array],
): Promise<Record<string, Interval | null>> {
  const names = replicateNames(a).filter((x) => replicateNames(b).includes(x) && !x.startsWith('f1:'));
  const ra = await replicates(a, 0, resamples);
  const rb = await replicates(b, 0, resamples);
  const na = replicateNames(a);
  const nb = replicateNames(b);
  const out: Record<string, Interval | null> = {};
  for (const name of names) {
    const ia = na.indexOf(name);
    const ib = nb.indexOf(name);
    out[name] = percentileInterval(
      Float64Array.from({ length: resamples }, (_, r) => rb[r * nb.length + ib] - ra[r * na.length + ia]),
    );
  }
  if (!hits) return out;
  // Accuracy (and error rate): the same draws, rescaled as the other replicates are.
  const [ha, hb] = hits;
  const n = ha.length;
  const m = Math.min(n, MAX_RESAMPLE_ROWS);
  const scale = Math.sqrt(m / n);
  let point = 0;
  for (let i = 0; i < n; i++) point += hb[i] - ha[i];
  point /= n;
  const draws = new Uint32Array(m);
  const diffs = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    resampleDraws(n, m, BOOTSTRAP_SEED, r, draws);
    let s = 0;
    for (const i of draws) s += hb[i] - ha[i];
    diffs[r] = point + scale * (s / m - point);
  }
  out.accuracy = percentileInterval(diffs);
  out.error_rate = out.accuracy && [-out.accuracy[1], -out.accuracy[0]];
  out.micro_f1 = out.accuracy; // micro F1 is the accuracy for single-label classification
  return out;
}
