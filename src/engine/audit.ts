import { mapInto } from '../core/arrays';
import { LoupeError } from '../core/errors';
import {
  fairness,
  regressionFairness,
  thresholdCurves,
  type Fairness,
  type RegressionFairness,
  type ThresholdCurve,
} from '../core/audit/fairness';
import type { EvalSpec, EvalTable, Evaluator } from './Evaluator';

export interface FairnessReport {
  /** A classifier's rates of one class, or (`task` regression) a regression model's errors, per group. */
  fairness: Fairness | RegressionFairness;
  /** Group names in the order of `curves`. */
  groups: string[];
  /** Per group, rates against the decision threshold (binary with probabilities), else null. */
  curves: ThresholdCurve[] | null;
}

export const fairnessNeedsClasses = () => new LoupeError('bad-roles', 'Fairness metrics need a classification task.');

/** The class whose rates fairness compares: a binary task's positive class, else the one asked for (one against the rest). */
export function fairnessClass(classes: string[], positive: number | null, asked: string | null | undefined): number {
  const pos = positive ?? (asked ? classes.indexOf(asked) : -1);
  if (pos < 0)
    throw new LoupeError(
      'bad-roles',
      `Fairness metrics compare the rates of one class: with ${classes.length} classes, choose it (one against the rest)${asked ? `; there is no class ${JSON.stringify(asked)}` : ''}.`,
    );
  return pos;
}

/**
 * Fairness of a classifier across the groups of a column (its values, or quantile bins of a numeric
 * one): binary, of the positive class; multiclass, of `spec.positive` against the rest (one-vs-rest);
 * of a regression model, its errors and mean predictions per group.
 */
export async function fairnessOf(
  ev: Evaluator,
  t: EvalTable,
  spec: EvalSpec,
  column: string,
  bins = 5,
): Promise<FairnessReport> {
  const { data, scored } = await ev.load(t, spec);
  const { groups, codes: all } = await ev.encode(t, column, bins);
  const code = new Int32Array(all.length).fill(-1);
  for (const i of scored) code[i] = all[i];
  const names = groups.map((g) => g.label);
  if (data.task === 'regression')
    return { fairness: regressionFairness(data.y, data.pred, code, names), groups: names, curves: null };
  const pos = fairnessClass(data.classes, data.positive, spec.positive);
  const y = mapInto(new Uint8Array(data.y.length), data.y, (c) => (c === pos ? 1 : 0));
  const pred = mapInto(new Uint8Array(data.pred.length), data.pred, (c) => (c === pos ? 1 : 0));
  return {
    fairness: fairness(y, pred, code, names, data.classes[pos]),
    groups: names,
    curves: data.probs ? thresholdCurves(data.probs[pos], y, code, names.length) : null,
  };
}
