import { LoupeError } from '../core/errors';
import {
  computeConfidentJoint,
  findLabelIssues,
  qualityScores,
  type FilterBy,
  type RankBy,
} from '../core/labels/confidentLearning';
import { mulberry32 } from '../core/metrics/bootstrap';
import { nthSmallest } from '../core/arrays';
import { sortDesc } from '../core/metrics/sort';
import { subset, type ClassificationData, type RegressionData } from '../core/metrics/data';
import type { Predicate } from '../core/slices/predicate';
import { labelsOnly, type EvalSpec, type EvalTable, type Evaluator } from './Evaluator';

/**
 * What a review queue holds: the likely label errors (ranked), every row, a slice's rows, a
 * confusion-matrix cell (given label, predicted class), a stratified random sample, or a list of
 * rows (such as the items reviewers disagree on), in the order given.
 */
export type QueueSource =
  | { kind: 'issues' }
  | { kind: 'all' }
  | { kind: 'slice'; where: Predicate }
  | { kind: 'cell'; given: string; predicted: string }
  | { kind: 'sample'; size: number; seed: number }
  | { kind: 'rows'; rows: number[] };

export interface LabelIssues {
  /** `largest_errors`: a regression task's queue, whose `issues` are its largest errors (see `regressionQueue`). */
  method: { filter_by: FilterBy; rank_by: RankBy } | { filter_by: 'largest_errors'; rank_by: 'absolute_error' };
  rows: number;
  num_issues: number;
  /**
   * Most likely first; `id` is the id column's value, or the 0-based row number; `suggested` is empty
   * without a model. On a regression task `given` and `suggested` are the label's and the
   * prediction's values, and `score` is the absolute error (NaN without a model).
   */
  issues: { id: string; row: number; given: string; suggested: string; score: number }[];
  /** Per given label: rows, likely errors, and how many of its rows the model's most probable class gets right (empty for regression). */
  per_class: Record<string, { issues: number; rows: number; model_right: number }>;
  /** The calibrated confident joint: rows given label, columns estimated true label (counts); empty without probabilities. */
  joint: number[][];
}

/** The most probable class of row j (ties to the first). */
function argmax(probs: Float64Array[], j: number): number {
  let best = 0;
  for (let c = 1; c < probs.length; c++) if (probs[c][j] > probs[best][j]) best = c;
  return best;
}

/** The scored rows' labels and class probabilities (checked to be probabilities), and which rows they are. */
export async function scoredWithProbs(ev: Evaluator, d: EvalTable, spec: EvalSpec) {
  const none = () =>
    new LoupeError('bad-roles', 'Finding label issues needs a classification task with class probabilities.');
  if (!spec.roles.probs) throw none();
  const loaded = await ev.load(d, spec);
  if (loaded.data.task !== 'classification' || !loaded.data.probs) throw none();
  const data = subset(loaded.data, loaded.scored) as ClassificationData & { probs: Float64Array[] };
  for (const col of data.probs)
    for (const p of col)
      if (!(p >= 0 && p <= 1))
        throw new LoupeError(
          'bad-roles',
          'Finding label issues needs probabilities in [0, 1] in every row (see the problems listed with the roles).',
        );
  return { loaded, data };
}

/** The scored rows' labels and predictions, for a queue that needs no probabilities. */
async function scoredLabels(ev: Evaluator, d: EvalTable, spec: EvalSpec) {
  const loaded = await ev.load(d, spec);
  if (loaded.data.task !== 'classification')
    throw new LoupeError('bad-roles', 'Reviewing labels needs a classification task (labels that are classes).');
  return { loaded, data: subset(loaded.data, loaded.scored) as ClassificationData };
}

/** A review queue over the scored rows: the likely label errors by confident learning (as cleanlab), most likely first, or the rows of another source. */
export async function labelIssues(
  ev: Evaluator,
  d: EvalTable,
  spec: EvalSpec,
  filterBy: FilterBy,
  rankBy: RankBy,
  source: QueueSource,
): Promise<LabelIssues> {
  if (spec.roles.task === 'regression') return regressionQueue(ev, d, spec, source);
  // Other queues (near duplicates, a slice, …) work without probabilities: the model's suggestion is
  // then its prediction, and there is no label-quality score. Without any model (labels and an
  // embedding, say) they are queues of labelled rows, with no suggestion.
  const noModel = !spec.roles.pred && !spec.roles.probs && source.kind !== 'issues';
  const { loaded, data } =
    source.kind === 'issues' || spec.roles.probs
      ? await scoredWithProbs(ev, d, spec)
      : await scoredLabels(ev, d, noModel ? labelsOnly(spec) : spec);
  const cj = data.probs ? computeConfidentJoint(data.y, data.probs) : null;
  const found =
    source.kind === 'issues'
      ? findLabelIssues(data.y, data.probs!, filterBy, rankBy, cj!)
      : await queueRows(ev, d, loaded.scored, data, source);
  const scores = data.probs ? qualityScores(data.y, data.probs, rankBy) : new Float64Array(data.n).fill(NaN);
  const { y, pred, probs } = data;
  const suggest = (j: number) => (probs ? argmax(probs, j) : pred[j]);
  const rows = found.map((j) => loaded.scored[j]);
  const idCol = spec.roles.id;
  const idValues = idCol && rows.length ? await ev.textAt(d, idCol, rows) : null;
  const classes = data.classes;
  const perClass: LabelIssues['per_class'] = Object.fromEntries(
    classes.map((c) => [c, { issues: 0, rows: 0, model_right: 0 }]),
  );
  for (let j = 0; j < data.n; j++) {
    const p = perClass[classes[y[j]]];
    p.rows++;
    if (!noModel && suggest(j) === y[j]) p.model_right++;
  }
  const issues = found.map((j, n) => {
    perClass[classes[y[j]]].issues++;
    return {
      id: idValues?.[n] ?? String(rows[n]),
      row: rows[n],
      given: classes[y[j]],
      suggested: noModel ? '' : classes[suggest(j)],
      score: scores[j],
    };
  });
  return {
    method: { filter_by: filterBy, rank_by: rankBy },
    rows: data.n,
    num_issues: issues.length,
    issues,
    per_class: perClass,
    joint: cj?.joint ?? [],
  };
}

/**
 * A review queue of a regression task's labels. Its likely label errors (`issues`) are the rows
 * whose absolute error |label − prediction| lies beyond the upper Tukey fence of all the scored
 * rows' absolute errors (Q3 + 1.5 × IQR, quartiles by linear interpolation as numpy's), largest
 * first: the rows where the label and the model disagree far more than they usually do. Other
 * sources are as for classes; a random sample is drawn from all the rows (there are no classes to
 * stratify by) and a confusion-matrix cell holds no rows.
 */
async function regressionQueue(ev: Evaluator, d: EvalTable, spec: EvalSpec, source: QueueSource): Promise<LabelIssues> {
  const noModel = !spec.roles.pred;
  if (noModel && source.kind === 'issues')
    throw new LoupeError('bad-roles', "A regression task's largest errors need the model's predictions.");
  const loaded = await ev.load(d, noModel ? labelsOnly(spec) : spec);
  if (loaded.data.task !== 'regression')
    throw new LoupeError('bad-roles', 'Reviewing numeric labels needs a regression task.');
  const data = subset(loaded.data, loaded.scored) as RegressionData;
  const { y, pred } = data;
  const error = noModel ? new Float64Array(data.n).fill(NaN) : y.map((v, j) => Math.abs(v - pred[j]));
  const found = source.kind === 'issues' ? largestErrors(error) : await queueRows(ev, d, loaded.scored, data, source);
  const rows = found.map((j) => loaded.scored[j]);
  const idCol = spec.roles.id;
  const idValues = idCol && rows.length ? await ev.textAt(d, idCol, rows) : null;
  const issues = found.map((j, n) => ({
    id: idValues?.[n] ?? String(rows[n]),
    row: rows[n],
    given: String(y[j]),
    suggested: noModel ? '' : String(pred[j]),
    score: error[j],
  }));
  return {
    method: { filter_by: 'largest_errors', rank_by: 'absolute_error' },
    rows: data.n,
    num_issues: issues.length,
    issues,
    per_class: {},
    joint: [],
  };
}

/** Positions of the errors beyond Q3 + 1.5 × IQR of all of them, largest first (ties in row order). */
export function largestErrors(error: Float64Array): number[] {
  const n = error.length;
  if (!n) return [];
  // Quartiles as NumPy's linear interpolation, by selection (no sort of every error).
  const a = Float64Array.from(error);
  const quantile = (q: number) => {
    const at = q * (n - 1);
    const lo = Math.floor(at);
    const v = nthSmallest(a, lo);
    if (at === lo) return v;
    let next = Infinity;
    for (let i = lo + 1; i < n; i++) if (a[i] < next) next = a[i];
    // NumPy's _lerp: from the nearer end, so that the last bit agrees.
    const t = at - lo;
    return t >= 0.5 ? next - (next - v) * (1 - t) : v + (next - v) * t;
  };
  const [q1, q3] = [quantile(0.25), quantile(0.75)];
  const fence = q3 + 1.5 * (q3 - q1);
  const out: number[] = [];
  error.forEach((e, j) => e > fence && out.push(j));
  const { order } = sortDesc(Float64Array.from(out, (j) => error[j]));
  return Array.from(order, (k) => out[k]);
}

/** Positions (among the scored rows) of a review queue other than the likely label errors. */
async function queueRows(
  ev: Evaluator,
  d: EvalTable,
  scored: Uint32Array,
  data: ClassificationData | RegressionData,
  source: Exclude<QueueSource, { kind: 'issues' }>,
): Promise<number[]> {
  if (source.kind === 'all') return Array.from(scored, (_, j) => j);
  if (source.kind === 'cell') {
    if (data.task === 'regression') return [];
    const { y, pred, classes } = data;
    const [a, b] = [classes.indexOf(source.given), classes.indexOf(source.predicted)];
    const out: number[] = [];
    for (let j = 0; j < data.n; j++) if (y[j] === a && pred[j] === b) out.push(j);
    return out;
  }
  if (source.kind === 'rows') {
    const at = new Map<number, number>();
    scored.forEach((r, j) => at.set(r, j));
    return source.rows.flatMap((r) => (at.has(r) ? [at.get(r)!] : []));
  }
  if (source.kind === 'slice') {
    const sel = new Set(await ev.select(d, source.where));
    const out: number[] = [];
    scored.forEach((r, j) => sel.has(r) && out.push(j));
    return out;
  }
  // A stratified random sample: each class in proportion to its size (at least one row), seeded.
  const rand = mulberry32(source.seed);
  const byClass: number[][] =
    data.task === 'regression'
      ? [Array.from({ length: data.n }, (_, j) => j)]
      : Array.from({ length: data.classes.length }, () => []);
  if (data.task === 'classification') data.y.forEach((c, j) => byClass[c].push(j));
  const picked: number[] = [];
  for (const rows of byClass) {
    const want = rows.length ? Math.max(1, Math.round((source.size * rows.length) / data.n)) : 0;
    for (let i = 0; i < Math.min(want, rows.length); i++) {
      const j = i + Math.floor(rand() * (rows.length - i));
      [rows[i], rows[j]] = [rows[j], rows[i]];
      picked.push(rows[i]);
    }
  }
  for (let i = picked.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [picked[i], picked[j]] = [picked[j], picked[i]];
  }
  return picked;
}
