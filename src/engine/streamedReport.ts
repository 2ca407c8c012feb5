import type { Table } from 'apache-arrow';
import { confusion, ProbabilitySums, RankSweep } from '../core/metrics/classification';
import { predictFromProbs, subset, type ClassificationData, type RegressionData } from '../core/metrics/data';
import { evalColumnsSql } from '../core/metrics/evalSql';
import { ident, literal } from '../core/sql';
import { RegressionSums } from '../core/metrics/regression';
import {
  classificationEvaluation,
  regressionEvaluation,
  type Evaluation,
  type ReportInput,
} from '../core/metrics/report';
import type { Group } from '../core/slices/groups';
import { checkEvalRoles, classSetOf, f64, i32, positiveOf, type EvalSpec, type EvalTable } from './Evaluator';

/** Past this many rows, `loupe eval` computes its report in one pass over the data (see streamedReport). */
export const STREAM_ROWS = 20_000_000;
/** Rows per batch read from DuckDB. */
const BATCH_ROWS = 1 << 20;

/** The SQL a streamed report runs: whole results (small ones) and results read a batch at a time. */
export interface StreamSql {
  table(sql: string): Promise<Table>;
  stream(sql: string, rows: number, each: (batch: Table) => void): Promise<void>;
}

/** Rows a report is computed over: every row, a group of a `--by` column, or a `--where` slice. */
interface Target<T> {
  /** SQL on the pass's columns that keeps its rows (null: every row). */
  test: string | null;
  /** Whether the passes over its rows alone (ranks, median) are run. */
  full: boolean;
  tally: T;
}

/**
 * The evaluations of `loupe eval`'s report (and of `loupe check`'s gates) in memory that does not
 * grow with the rows: the label, prediction and probability columns are read in batches of
 * BATCH_ROWS, in file order, and added up (the confusion matrix, the sums behind log loss, Brier,
 * ECE and top-k, and for regression the sums of the errors); ROC-AUC and average precision come
 * from the count of positive and negative rows per distinct score, which DuckDB groups and sorts
 * (spilling to disk when it must) and streams back, highest first; the median absolute error from
 * the errors streamed in order. The values are those of the in-memory report (the same additions
 * in the same order; the regression's Σ(y − ȳ)² is merged batch by batch, equal to ~1e-15).
 * Bootstrap intervals need the rows in memory and are not computed; Wilson intervals are. With
 * `groupsCounted`, the `by` groups get their confusion matrices alone (what fairness needs),
 * without their probability sums and the passes per group for ROC-AUC, average precision and the
 * median error.
 */
export async function streamedEvaluations(
  sql: StreamSql,
  t: EvalTable,
  spec: EvalSpec,
  by: { column: string; groups: Group[]; code: string }[],
  slices: { where: string; sql: string }[],
  { batchRows = BATCH_ROWS, groupsCounted = false }: { batchRows?: number; groupsCounted?: boolean } = {},
): Promise<ReportInput> {
  const { roles } = spec;
  checkEvalRoles(roles);
  const extra = [
    ...by.map((b, i) => `CAST(${b.code} AS INTEGER) AS g${i}`),
    ...slices.map((s, j) => `CAST(coalesce((${s.sql}), false) AS TINYINT) AS s${j}`),
  ];
  // Targets in report order: every row, each group of each column, each slice.
  const targets = <T>(make: (full: boolean) => T): Target<T>[] => [
    { test: null, tally: make(true), full: true },
    ...by.flatMap((b, i) =>
      b.groups.map((_, v) => ({ test: `g${i} = ${v}`, tally: make(!groupsCounted), full: !groupsCounted })),
    ),
    ...slices.map((_, j) => ({ test: `s${j} = 1`, tally: make(true), full: true })),
  ];
  /**
   * Each target's scored rows of a batch, in target order: `scored`, then each column's groups (its
   * rows dealt out by their group code in one sweep), then each slice's.
   */
  const rowsOf = (batch: Table, scored: Uint32Array): Uint32Array[] => {
    const out = [scored];
    by.forEach((b, i) => {
      const code = batch.getChild(`g${i}`)!.toArray() as Int32Array;
      const k = b.groups.length;
      const count = new Uint32Array(k);
      for (const r of scored) if (code[r] >= 0 && code[r] < k) count[code[r]]++;
      const lists = Array.from(count, (c) => new Uint32Array(c));
      count.fill(0);
      for (const r of scored) if (code[r] >= 0 && code[r] < k) lists[code[r]][count[code[r]]++] = r;
      out.push(...lists);
    });
    slices.forEach((_, j) => {
      const s = batch.getChild(`s${j}`)!.toArray() as Int8Array;
      const keep = new Uint32Array(scored.length);
      let m = 0;
      for (const r of scored) if (s[r] === 1) keep[m++] = r;
      out.push(keep.subarray(0, m));
    });
    return out;
  };
  /** The targets' evaluations (in target order) as a report's. */
  const report = (
    task: ReportInput['task'],
    classes: string[],
    positive: string | null,
    skipped: number,
    evaluations: Evaluation[],
  ): ReportInput => {
    let at = 1;
    return {
      task,
      classes,
      positive,
      skipped,
      threshold: spec.threshold ?? null,
      overall: evaluations[0],
      groups: by.map((b) => ({
        column: b.column,
        values: b.groups.map((g) => ({ label: g.label, evaluation: evaluations[at++] })),
      })),
      slices: slices.map((s) => ({ where: s.where, evaluation: evaluations[at++] })),
    };
  };

  if (roles.task === 'regression') {
    const pass = evalColumnsSql(t.id, roles, t.columns, { classes: [], index: new Map() }, extra);
    const all = targets(() => new RegressionSums());
    let skipped = 0;
    await sql.stream(pass, batchRows, (batch) => {
      const d: RegressionData = { task: 'regression', n: batch.numRows, y: f64(batch, 'y'), pred: f64(batch, 'pred') };
      const scored = new Uint32Array(d.n);
      let m = 0;
      const { y, pred } = d;
      for (let i = 0; i < d.n; i++) if (!Number.isNaN(y[i]) && !Number.isNaN(pred[i])) scored[m++] = i;
      skipped += d.n - m;
      rowsOf(batch, scored.subarray(0, m)).forEach((idx, t) =>
        all[t].tally.add(idx.length === d.n ? d : subset(d, idx)),
      );
    });
    const evaluations: Evaluation[] = [];
    for (const { test, tally, full } of all) {
      const median = full ? await medianOf(sql, pass, test, tally.n, batchRows) : NaN;
      evaluations.push(regressionEvaluation(tally.n, tally.metrics(median)));
    }
    return report('regression', [], null, skipped, evaluations);
  }

  const set = await classSetOf(sql.table, t, roles);
  const { classes } = set;
  const k = classes.length;
  const positive = positiveOf(classes, spec);
  const threshold = positive !== null && spec.threshold != null ? { positive, value: spec.threshold } : undefined;
  const fromProbs = !!roles.probs && (!roles.pred || !!threshold);
  const pass = evalColumnsSql(t.id, roles, t.columns, set, extra);
  // A target that is only counted adds up its confusion matrix alone.
  const all = targets((full) => new ClassTally(k, full && !!roles.probs));
  let skipped = 0;
  await sql.stream(pass, batchRows, (batch) => {
    const n = batch.numRows;
    const probs = roles.probs ? classes.map((_, c) => f64(batch, `p${c}`)) : null;
    const y = i32(batch, 'y');
    let pred = i32(batch, 'pred');
    if (fromProbs) pred = predictFromProbs(probs!, n, threshold);
    const d: ClassificationData = { task: 'classification', classes, positive, n, y, pred, probs };
    const scored = new Uint32Array(n);
    let m = 0;
    for (let i = 0; i < n; i++) if (y[i] >= 0 && pred[i] >= 0) scored[m++] = i;
    skipped += n - m;
    const counted: ClassificationData = { ...d, probs: null };
    rowsOf(batch, scored.subarray(0, m)).forEach((idx, t) => {
      const rows = all[t].full ? d : counted;
      all[t].tally.add(idx.length === n ? rows : subset(rows, idx));
    });
  });
  // Rows the report scores, as SQL on the pass (the predictions made from probabilities are missing where predictFromProbs gives −1).
  const predicted = !fromProbs
    ? 'pred >= 0'
    : threshold
      ? `NOT isnan(p${threshold.positive})`
      : `(${classes.map((_, c) => `(NOT isnan(p${c}) AND p${c} > '-inf'::DOUBLE)`).join(' OR ')})`;
  const evaluations: Evaluation[] = [];
  for (const { test, tally, full } of all) {
    let probs = null;
    if (full && tally.probabilities()) {
      const ranked = positive !== null ? [positive] : classes.map((_, c) => c);
      const ranks = [];
      for (const c of ranked) {
        const sweep = new RankSweep();
        const where = ['y >= 0', predicted, ...(test ? [test] : [])].join(' AND ');
        // The pass's own columns (p0…, y) and the class index, quoted as every other part of the pass.
        const count = (op: string) => `CAST(count(*) FILTER (WHERE y ${op} ${literal(c)}) AS DOUBLE)`;
        await sql.stream(
          `SELECT ${ident(`p${c}`)} AS p, ${count('=')} AS pos, ${count('<>')} AS neg FROM (${pass}) WHERE ${where} GROUP BY 1 ORDER BY 1 DESC`,
          batchRows,
          (batch) => {
            const pos = f64(batch, 'pos');
            const neg = f64(batch, 'neg');
            for (let i = 0; i < pos.length; i++) sweep.add(pos[i], neg[i]);
          },
        );
        ranks.push(sweep.result());
      }
      probs = tally.sums.metrics(k, ranks);
    }
    evaluations.push(classificationEvaluation(classes, tally.cm, probs));
  }
  return report('classification', classes, positive !== null ? classes[positive] : null, skipped, evaluations);
}

/** A classification's confusion matrix and probability sums, added to batch by batch. */
class ClassTally {
  readonly cm: Float64Array;
  readonly sums = new ProbabilitySums();
  /** Whether every scored row so far has all its probabilities (else there are no probability metrics, as in `evaluate`). */
  private usable: boolean;

  constructor(
    private readonly k: number,
    hasProbs: boolean,
  ) {
    this.cm = new Float64Array(k * k);
    this.usable = hasProbs;
  }

  add(d: ClassificationData): void {
    if (!d.n) return;
    const cm = confusion(d);
    for (let i = 0; i < cm.length; i++) this.cm[i] += cm[i];
    if (!this.usable) return;
    for (const col of d.probs!)
      for (let i = 0; i < col.length; i++) if (col[i] !== col[i]) return void (this.usable = false);
    this.sums.add(d);
  }

  probabilities(): boolean {
    return this.usable && this.sums.rows > 0 && this.k > 0;
  }
}

/** The median of |y − ŷ| over a target's n scored rows: the errors streamed in order, the middle one or two kept. */
async function medianOf(
  sql: StreamSql,
  pass: string,
  test: string | null,
  n: number,
  batchRows: number,
): Promise<number> {
  if (!n) return NaN;
  const lo = Math.floor((n - 1) / 2);
  const hi = Math.floor(n / 2);
  let at = 0;
  let a = NaN;
  let b = NaN;
  const where = ['NOT isnan(y)', 'NOT isnan(pred)', ...(test ? [test] : [])].join(' AND ');
  await sql.stream(`SELECT abs(y - pred) AS e FROM (${pass}) WHERE ${where} ORDER BY 1`, batchRows, (batch) => {
    const e = f64(batch, 'e');
    if (lo >= at && lo < at + e.length) a = e[lo - at];
    if (hi >= at && hi < at + e.length) b = e[hi - at];
    at += e.length;
  });
  return (a + b) / 2;
}
