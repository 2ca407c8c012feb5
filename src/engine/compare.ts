import { mapInto } from '../core/arrays';
import { LoupeError } from '../core/errors';
import { mcnemar, type McNemar } from '../core/stats/tests';
import {
  BOOTSTRAP_SEED,
  MAX_RESAMPLE_ROWS,
  replicateNames,
  replicates,
  resampleDraws,
} from '../core/metrics/bootstrap';
import { subset, type ClassificationData, type EvalData } from '../core/metrics/data';
import { percentileInterval, type Interval } from '../core/stats/intervals';
import { evaluate, metricKeys } from '../core/metrics/report';
import { benjaminiHochberg } from '../core/stats/proportions';
import type { EvalSpec, EvalTable, Evaluator } from './Evaluator';
import { findSlices, type FoundSlice } from './SliceFinder';

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
  /** Rows scored by both (a label and both predictions). */
  rows: number;
  metrics: Record<string, { a: number | null; b: number | null; difference: number | null; interval: Interval | null }>;
  /** Right/wrong of A against B on each row. */
  table: { both_right: number; a_only: number; b_only: number; both_wrong: number };
  mcnemar: McNemar;
  /** Row numbers where B is wrong and A was right (a review queue), at most 100,000. */
  regressions: number[];
  groups: Record<string, GroupChange[]>;
  /** Slices where B's regressions concentrate (SliceLine on "B wrong where A was right"). */
  regression_slices: FoundSlice[] | null;
}

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
  if (dataA.task !== 'classification' || dataB.task !== 'classification')
    throw new LoupeError('bad-roles', 'Comparing models needs a classification task for both prediction sets.');
  // Rows both can score.
  const inB = new Uint8Array(t.rows);
  for (const r of lb.scored) inB[r] = 1;
  const common = la.scored.filter((r) => inB[r]);
  if (!common.length) throw new LoupeError('bad-roles', 'No row has a label and both predictions.');
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
    else if (ha[i]) (table.a_only++, regressions.length < 100000 && regressions.push(common[i]));
    else if (hb[i]) table.b_only++;
    else table.both_wrong++;
  }
  const intervals = o.resamples ? await pairedIntervals(a, b, ha, hb, o.resamples) : {};
  const metrics: Comparison['metrics'] = {};
  for (const k of metricKeys('classification')) {
    const va = ea.metrics[k] ?? null;
    const vb = eb.metrics[k] ?? null;
    metrics[k] = {
      a: va,
      b: vb,
      difference: va === null || vb === null ? null : vb - va,
      interval: intervals[k] ?? null,
    };
  }
  const groups: Comparison['groups'] = {};
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
  // One family: every group of every column.
  const alpha = o.alpha ?? 0.05;
  benjaminiHochberg(all.map((g) => g.p_value)).forEach((p, i) => {
    all[i].adjusted_p = p;
    if (p !== null && p < alpha)
      all[i].change =
        all[i].difference > 0 ? 'improved' : all[i].difference < 0 ? 'regressed' : 'no significant change';
  });
  let regression_slices: FoundSlice[] | null = null;
  if (o.slices && table.a_only > 0) {
    const errors = mapInto(new Float64Array(ha.length), ha, (h, i) => (h && !hb[i] ? 1 : 0));
    regression_slices = (
      await findSlices(ev, t, specA, {
        custom: { rows: Uint32Array.from(common), errors },
        minSupport: Math.max(10, Math.ceil(common.length / 100)),
      })
    ).slices;
  }
  return {
    rows: common.length,
    metrics,
    table,
    mcnemar: mcnemar(table.a_only, table.b_only),
    regressions,
    groups,
    regression_slices,
  };
}

/** Percentile intervals of B − A over paired resamples (both use resample b's rows), for accuracy and the bootstrapped metrics. */
async function pairedIntervals(
  a: EvalData,
  b: EvalData,
  ha: Uint8Array,
  hb: Uint8Array,
  resamples: number,
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
  // Accuracy (and error rate): the same draws, rescaled as the other replicates are.
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
