import { classKey, sortClasses } from './classNames';
import { ident, literal } from '../sql';
import { plural, quoteValue, type ErrorContext } from '../errors';
import type { ColumnProfile } from './schema';
import { classIn, probClasses, textProbColumns, type ProbRole, type Roles } from './roles';

/** Row sums of class probabilities may differ from 1 by this much. */
export const SUM_TOLERANCE = 1e-3;

export type IssueCode =
  | 'no-label'
  | 'label-all-null'
  | 'no-rows'
  | 'label-lists'
  | 'prob-out-of-range'
  | 'prob-sum'
  | 'prob-class-unused'
  | 'prob-class-index'
  | 'prob-text'
  | 'pred-unknown-class';

/** A problem with the data as its roles read it; shown next to the role it concerns. */
export interface DataIssue {
  level: 'error' | 'warning';
  code: IssueCode;
  role: 'label' | 'pred' | 'probs';
  message: string;
  context: ErrorContext;
  /** A remedy the app can apply. */
  fix?: 'renormalise';
}

export type Query = (sql: string) => Promise<Record<string, unknown>[]>;

/** The text form of a class value: integral doubles print as integers, so `1.0` and `prob_1` agree. */
export function classExpr(column: string, profile: ColumnProfile | undefined): string {
  const q = ident(column);
  // As Python's str() writes a value (what `str(model.classes_[i])` gives): True / False, 1.0 for a float.
  if (profile?.kind === 'boolean') return `CASE ${q} WHEN TRUE THEN 'True' WHEN FALSE THEN 'False' END`;
  if (profile?.kind === 'numeric') return `CAST(CAST(${q} AS DOUBLE) AS VARCHAR)`;
  return `CAST(${q} AS VARCHAR)`;
}

/**
 * The distinct class names of a column: its distinct values first, then named (naming every row
 * as text first costs DuckDB-wasm ~0.1 s per 3M rows).
 */
export function distinctClassesSql(table: string, column: string, profile: ColumnProfile | undefined): string {
  const q = ident(column);
  return `SELECT DISTINCT ${classExpr(column, profile)} AS c FROM (SELECT DISTINCT ${q} FROM ${ident(table)} WHERE ${q} IS NOT NULL) AS t`;
}

/**
 * Checks the data against its roles and returns every problem found, in plain words with the
 * column, the first bad row (1-based) and its value. All the scanning is SQL run by `query`.
 */
export async function validateRoles(
  table: string,
  row: string,
  rows: number,
  profiles: ColumnProfile[],
  roles: Roles,
  query: Query,
): Promise<DataIssue[]> {
  const issues: DataIssue[] = [];
  const prof = (name: string | null) => profiles.find((p) => p.name === name);
  const t = ident(table);

  if (rows === 0) {
    issues.push({
      level: 'error',
      code: 'no-rows',
      role: 'label',
      context: {},
      message: `The table has no rows: its file holds ${
        profiles.length
          ? `a header (${profiles
              .slice(0, 5)
              .map((p) => p.name)
              .join(', ')}${profiles.length > 5 ? ', …' : ''}) and nothing under it`
          : 'no data'
      }.`,
    });
    return issues;
  }
  if (!roles.label) {
    issues.push({
      level: 'error',
      code: 'no-label',
      role: 'label',
      context: {},
      message: `No label column found${roles.pred ? ` for the predictions in ${quoteValue(roles.pred)}` : ''}. Name the ground-truth column label, target, y, y_true, ground_truth or class, or choose the column that holds it. Labels in another file are joined to these rows on an id (or in order): open that file too.`,
    });
  } else if (prof(roles.label)?.nulls === rows) {
    issues.push({
      level: 'error',
      code: 'label-all-null',
      role: 'label',
      context: { column: roles.label },
      message: `The label column ${quoteValue(roles.label)} is empty in every row: choose the column that holds the ground truth.`,
    });
  }
  if (roles.task !== 'classification' || rows === 0) return issues;
  // Lists of classes (a multi-label task: `['a', 'b']`): each distinct list is read as one class.
  const labelProfile = prof(roles.label);
  const listed = (labelProfile?.top ?? []).map((t) => t.value).filter((v) => /^\[.*\]$/s.test(v.trim()));
  if (labelProfile?.kind === 'string' && listed.length && listed.length === labelProfile.top?.length)
    issues.push({
      level: 'warning',
      code: 'label-lists',
      role: 'label',
      context: { column: roles.label!, value: listed[0] },
      message: `The labels in ${quoteValue(roles.label)} are lists (${quoteValue(listed[0])}): a multi-label task, which Loupe does not evaluate as one. Each distinct list is read as one class; for per-class metrics, give each class a 0/1 label column and evaluate them one at a time.`,
    });
  // A probability column of numbers with a cell that is not one (Excel's #DIV/0!) is read as text,
  // and so as no probability at all: said, with the first such cell.
  for (const name of textProbColumns(profiles)) {
    const q = ident(name);
    const bad = `${q} IS NOT NULL AND TRY_CAST(trim(${q}) AS DOUBLE) IS NULL`;
    const [s] = await query(
      `SELECT count(*) FILTER (WHERE ${q} IS NOT NULL) AS n, count(*) FILTER (WHERE ${bad}) AS bad, arg_min(${q}, ${row}) FILTER (WHERE ${bad}) AS v, min(${row}) FILTER (WHERE ${bad}) AS r FROM ${t}`,
    );
    // No bad cell, or mostly text (not a probability column at all): nothing to say.
    if (!Number(s.bad) || Number(s.bad) * 2 > Number(s.n)) continue;
    issues.push({
      level: 'warning',
      code: 'prob-text',
      role: 'probs',
      context: { column: name, row: Number(s.r) + 1, value: String(s.v) },
      message: `Column ${name} is named as a probability but holds text: ${quoteValue(s.v)} (row ${(Number(s.r) + 1).toLocaleString('en-US')})${Number(s.bad) > 1 ? ` and ${plural(Number(s.bad) - 1, 'other cell')}` : ''} ${Number(s.bad) > 1 ? 'are' : 'is'} not a number, so it is not read as probabilities. Leave such cells empty, or write numbers.`,
    });
  }
  if (roles.probs) issues.push(...(await probabilityIssues(t, row, roles.probs, query)));
  // Columns named by class index, read as the label classes in sorted order (roles' byClassIndex).
  const probs = roles.probs;
  const indexed =
    probs?.kind === 'columns'
      ? probs.columns.filter((c) => /^\d+$/.test((probs.prefix ? classIn(c.column, probs.prefix) : c.column) ?? c.cls))
      : [];
  if (indexed.some((c) => !/^\d+$/.test(c.cls)))
    issues.push({
      level: 'warning',
      code: 'prob-class-index',
      role: 'probs',
      context: { column: indexed[0].column },
      message: `Probability columns named by class index are read in the labels' sorted order (as a model's classes_ holds them): ${indexed
        .slice(0, 3)
        .map((c) => `${c.column} is ${quoteValue(c.cls)}`)
        .join(', ')}${indexed.length > 3 ? ' and so on' : ''}. Name them by class if that order is not the model's.`,
    });

  // Classes: labels, predictions and probability columns should name the same set.
  const known = async (col: string | null) =>
    col ? (await query(distinctClassesSql(table, col, prof(col)))).map((r) => String(r.c)) : [];
  // Spellings of one class (True / true, 1 / 1.0) are one class: compared by classKey.
  const labelNames = await known(roles.label);
  const labels = new Set(labelNames.map(classKey));
  const classes = probClasses(roles.probs);
  const probKeys = new Set(classes.map(classKey));
  const preds = await known(roles.pred);
  const strangers = preds.filter((p) => !labels.has(classKey(p)) && !probKeys.has(classKey(p)));
  if (roles.pred && strangers.length) {
    const unknown = await query(
      `SELECT ${classExpr(roles.pred, prof(roles.pred))} AS c, count(*) AS n, min(${row}) AS r FROM ${t} WHERE ${classExpr(roles.pred, prof(roles.pred))} IN (${strangers.map(literal).join(', ')}) GROUP BY ALL ORDER BY n DESC, c LIMIT 5`,
    );
    if (unknown.length) {
      const total = unknown.reduce((a, u) => a + Number(u.n), 0);
      const first = unknown[0];
      // "yes" predicted where the labels say "Yes" (or " yes"): one class to the reader, two to the metrics.
      const folded = new Map(labelNames.map((l) => [l.trim().toLowerCase(), l]));
      const cased = unknown.flatMap((u) => folded.get(String(u.c).trim().toLowerCase()) ?? []);
      // 0, 1, … predicted where the labels are names: the model was trained on encoded labels.
      const sorted = sortClasses(labelNames);
      const indices =
        !cased.length &&
        sorted.some((l) => !Number.isFinite(Number(l))) &&
        strangers.every((p) => /^\d+$/.test(classKey(p)) && Number(classKey(p)) < sorted.length);
      issues.push({
        level: 'warning',
        code: 'pred-unknown-class',
        role: 'pred',
        context: { column: roles.pred, row: Number(first.r) + 1, value: String(first.c) },
        message: `Column ${roles.pred} predicts ${unknown.map((u) => quoteValue(u.c)).join(', ')}${unknown.length === 5 ? ' and more' : ''}, not among the known classes (${plural(total, 'row')} at least; first at row ${(Number(first.r) + 1).toLocaleString('en-US')}).${cased.length ? ` The labels spell ${cased.length === 1 ? 'it' : 'them'} ${cased.map((c) => quoteValue(c)).join(', ')}: a class must be written the same way in both columns, case and spaces included.` : ''}${
          indices
            ? ` They look like class indices: in the labels' sorted order (as LabelEncoder and a model's classes_ number them) ${sorted
                .slice(0, 3)
                .map((l, i) => `${i} is ${quoteValue(l)}`)
                .join(', ')}${sorted.length > 3 ? ', …' : ''}. Save the predicted class names, not their indices.`
            : ''
        }`,
      });
    }
  }
  if (classes.length) {
    const predKeys = new Set(preds.map(classKey));
    const unused = classes.filter((c) => !labels.has(classKey(c)) && !predKeys.has(classKey(c)));
    const isBinaryPositiveOnly = classes.length === 1 && labels.size === 2;
    if (unused.length && !isBinaryPositiveOnly) {
      issues.push({
        level: 'warning',
        code: 'prob-class-unused',
        role: 'probs',
        context: { value: unused.join(', ') },
        message: `Probability columns for ${unused.map((c) => quoteValue(c)).join(', ')} name ${unused.length === 1 ? 'a class that never occurs' : 'classes that never occur'} as a label or prediction.`,
      });
    }
  }
  return issues;
}

/** Column i of the range scan holds percentages: every value in [0, 100], most of them above 1. */
const percent = (range: Record<string, unknown>, i: number) =>
  range[`lo${i}`] !== null &&
  Number(range[`lo${i}`]) >= 0 &&
  Number(range[`hi${i}`]) <= 100 &&
  Number(range[`over${i}`]) * 2 >= Number(range[`k${i}`]);

/** Probabilities that are not probabilities (outside [0, 1], NaN, missing), and rows that do not sum to 1. */
async function probabilityIssues(t: string, row: string, probs: ProbRole, query: Query): Promise<DataIssue[]> {
  const issues: DataIssue[] = [];
  const probCols = probs.kind === 'columns' ? probs.columns.map((c) => c.column) : [];
  // Values outside [0, 1], NaN or missing, per column: how many and the first one.
  const cells =
    probs.kind === 'columns'
      ? probCols.map((c) => ({ column: c, v: `CAST(${ident(c)} AS DOUBLE)` }))
      : [{ column: probs.column, v: 'v' }];
  const from =
    probs.kind === 'list'
      ? `(SELECT ${row} AS r, unnest(${ident(probs.column)}) AS v FROM ${t})`
      : `(SELECT ${row} AS r, * FROM ${t})`;
  const bad = (v: string) => `(${v} IS NULL OR isnan(${v}) OR ${v} < 0 OR ${v} > 1)`;
  // The first bad value is looked up afterwards: written as text in the scan, every value would be (20× slower).
  // Conditions as CASE, not FILTER: DuckDB-wasm gives each filtered aggregate state of its own, and
  // 150 classes' worth (900 of them) ran out of memory on 300 rows (3M rows × 10 columns: 1.3 → 0.4 s).
  // Counted with count(), not count_if(), whose HUGEINT DuckDB-wasm's Arrow hands over as text.
  const rangeSql = `SELECT ${cells
    .map(
      (c, i) =>
        `count(CASE WHEN ${bad(c.v)} THEN 1 END) AS n${i}, min(CASE WHEN ${bad(c.v)} THEN r END) AS r${i}, ` +
        `min(CASE WHEN NOT isnan(${c.v}) THEN ${c.v} END) AS lo${i}, max(CASE WHEN NOT isnan(${c.v}) THEN ${c.v} END) AS hi${i}, ` +
        `count(CASE WHEN ${c.v} > 1 THEN 1 END) AS over${i}, count(${c.v}) AS k${i}`,
    )
    .join(', ')} FROM ${from}`;
  const [range] = await query(rangeSql);
  for (const [i, c] of cells.entries()) {
    const n = Number(range[`n${i}`]);
    if (!n) continue;
    const at = Number(range[`r${i}`]);
    const [first] = await query(
      `SELECT CAST(${c.v} AS VARCHAR) AS v FROM ${from} WHERE r = ${at} AND ${bad(c.v)} LIMIT 1`,
    );
    const row = at + 1;
    const value = first?.v == null ? 'empty' : String(first.v);
    issues.push({
      level: 'error',
      code: 'prob-out-of-range',
      role: 'probs',
      context: { column: c.column, row, value },
      message: `row ${row.toLocaleString('en-US')}, column ${c.column}: ${value === 'empty' ? 'missing value' : value} is not a probability (${plural(n, 'value')} in this column outside [0, 1], NaN or missing).${percent(range, i) ? ' Its values run from 0 to 100: percentages? Divide them by 100.' : ''}`,
    });
  }

  // Row sums, when the probabilities cover every class.
  if (probs.kind === 'list' || probCols.length >= 2) {
    const sum =
      probs.kind === 'list'
        ? `list_sum(${ident(probs.column)})`
        : probCols.map((c) => `CAST(${ident(c)} AS DOUBLE)`).join(' + ');
    const off = `abs(${sum} - 1) > ${SUM_TOLERANCE}`;
    const [s] = await query(
      `SELECT count(*) FILTER (WHERE ${off}) AS n, arg_min(${row}, ${row}) FILTER (WHERE ${off}) AS r, arg_min(${sum}, ${row}) FILTER (WHERE ${off}) AS s FROM ${t}`,
    );
    const n = Number(s.n);
    if (n) {
      const row = Number(s.r) + 1;
      issues.push({
        level: 'warning',
        code: 'prob-sum',
        role: 'probs',
        fix: 'renormalise',
        context: { row, value: String(s.s) },
        message: `${plural(n, 'row')} of probabilities ${n === 1 ? 'does' : 'do'} not sum to 1 (within ${SUM_TOLERANCE}); the first is row ${row.toLocaleString('en-US')}, summing to ${Number(s.s).toPrecision(6)}.`,
      });
    }
  }
  return issues;
}
