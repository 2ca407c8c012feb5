import { ident, literal } from '../sql';
import { classExpr, distinctClassesSql } from '../table/validate';
import type { Roles } from '../table/roles';
import type { ClassSet } from '../table/classNames';
import type { ColumnProfile } from '../table/schema';

/**
 * SQL that reads what metrics need from a dataset table, one row per table row in file order.
 * Classes are text (`classExpr`), so `1`, `1.0` and the column `prob_1` name the same class.
 */

/** Distinct class names of the labels (`s` = 'label') and of the predictions (`s` = 'pred'). */
export function classNamesSql(table: string, roles: Roles, profiles: ColumnProfile[]): string {
  const prof = (c: string) => profiles.find((p) => p.name === c);
  const part = (c: string, s: string) => `SELECT ${literal(s)} AS s, c FROM (${distinctClassesSql(table, c, prof(c))})`;
  return [roles.label && part(roles.label, 'label'), roles.pred && part(roles.pred, 'pred')]
    .filter(Boolean)
    .join(' UNION ALL ');
}

/**
 * Columns y, pred (class index, −1 when missing or unknown; as small an integer type as the
 * classes allow, so fewer bytes cross from DuckDB) and p0…p(K−1) (NaN when missing) for
 * classification; y and pred as doubles (NaN when missing) for regression. In the table's row
 * order without ORDER BY (a sort of every row) and without the row numbers: a scan returns rows in
 * the order they were inserted, the file's (DuckDB's preserve_insertion_order, which Loupe leaves
 * on; model columns are added by a positional join on the same guarantee). `extra`: more columns
 * (SQL the caller built).
 */
export function evalColumnsSql(
  table: string,
  roles: Roles,
  profiles: ColumnProfile[],
  set: ClassSet,
  extra: string[] = [],
): string {
  const { classes, index } = set;
  const prof = (c: string) => profiles.find((p) => p.name === c);
  // Every part is built here with ident()/literal(), or by the caller (`extra`) the same way.
  const select = (cols: string[]) => `SELECT ${[...cols, ...extra].join(', ')} FROM ${ident(table)}`;
  if (roles.task === 'regression') {
    const num = (c: string | null) =>
      c ? `coalesce(TRY_CAST(${ident(c)} AS DOUBLE), 'NaN'::DOUBLE)` : `'NaN'::DOUBLE`;
    return select([`${num(roles.label)} AS y`, `${num(roles.pred)} AS pred`]);
  }
  const int = classes.length < 128 ? 'TINYINT' : classes.length < 32768 ? 'SMALLINT' : 'INTEGER';
  const code = (c: string | null) => {
    // No column, or no class to find in it (a CASE needs a WHEN).
    if (!c || !index.size) return `CAST(-1 AS ${int})`;
    // An integer column is matched as numbers (its text is always the canonical integer): the same
    // mapping without turning millions of cells into text.
    if (prof(c)?.kind === 'integer') {
      const ints = [...index].filter(([k]) => /^-?(0|[1-9]\d{0,17})$/.test(k));
      return `CAST(CASE ${ident(c)} ${ints.map(([k, i]) => `WHEN ${k} THEN ${i}`).join(' ')} ELSE -1 END AS ${int})`;
    }
    return `CAST(CASE ${classExpr(c, prof(c))} ${[...index].map(([k, i]) => `WHEN ${literal(k)} THEN ${i}`).join(' ')} ELSE -1 END AS ${int})`;
  };
  const cols = [`${code(roles.label)} AS y`, `${code(roles.pred)} AS pred`];
  const p = roles.probs;
  if (p?.kind === 'list') {
    classes.forEach((_, i) =>
      cols.push(`coalesce(CAST(${ident(p.column)}[${i + 1}] AS DOUBLE), 'NaN'::DOUBLE) AS p${i}`),
    );
  } else if (p?.kind === 'columns') {
    // Each probability column's class, through the spellings `set` knows (prob_True for True, prob_1.0 for 1).
    const byClass = new Map(p.columns.map((c) => [index.get(c.cls), c.column]));
    const val = (i: number) => {
      const col = byClass.get(i);
      return col ? `coalesce(CAST(${ident(col)} AS DOUBLE), 'NaN'::DOUBLE)` : null;
    };
    classes.forEach((_, i) => {
      let v = val(i);
      // Binary with one column (the positive class): the other class has 1 − p.
      if (!v && classes.length === 2) {
        const other = val(1 - i);
        if (other) v = `1 - ${other}`;
      }
      cols.push(`${v ?? `'NaN'::DOUBLE`} AS p${i}`);
    });
  }
  return select(cols);
}

/** Row numbers where `where` holds (in scan order: ascending, which the caller checks). */
export const rowsWhereSql = (table: string, row: string, where: string) =>
  `SELECT CAST(${row} AS UINTEGER) AS r FROM ${ident(table)} WHERE ${where}`;
