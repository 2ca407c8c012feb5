import { ident } from '../sql';

/**
 * Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return before one) as a
 * formula. Text cells that start so get a leading apostrophe (OWASP's CSV-injection rule); a cell
 * that is wholly a number ("-1", "+2.5e3") is a number, not a formula, and stays as it is.
 */
const FORMULA_START = '^[=+\\-@\\t\\r]';
const NUMBER = '[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?';
const formulaStart = new RegExp(FORMULA_START);
const number = new RegExp(`^${NUMBER}$`);

/** A text cell made safe to open in a spreadsheet (see above). */
export const neutralise = (s: string) => (formulaStart.test(s) && !number.test(s) ? `'${s}` : s);

/** The same rule in SQL, for a text column that DuckDB writes itself. */
export const neutraliseSql = (column: string) =>
  `CASE WHEN regexp_matches(${ident(column)}, '${FORMULA_START}') AND NOT regexp_full_match(${ident(column)}, '${NUMBER}') ` +
  `THEN '''' || ${ident(column)} ELSE ${ident(column)} END`;

/** A CSV cell: quoted when it holds a comma, quote or line break; null and undefined are empty; text neutralised. */
export const csvCell = (v: unknown) => {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? neutralise(v) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/** CSV text (a header row, then the rows), each line ending in a newline. */
export const csvText = (header: unknown[], rows: unknown[][]) =>
  [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
