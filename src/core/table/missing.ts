import { ident, literal } from '../sql';
import type { ColumnType } from './profileSql';

/**
 * Cells that mean "missing" in files as people write them (pandas' usual tokens, and `?`): in every
 * column of every format they are read as null, so they are skipped and counted, never a class.
 * Compared after trimming spaces.
 */
export const MISSING_TOKENS = [
  '',
  'NA',
  'N/A',
  'n/a',
  '#N/A',
  'NaN',
  'nan',
  '-nan',
  'null',
  'NULL',
  'None',
  '<NA>',
  '?',
] as const;

const TOKENS = MISSING_TOKENS.map(literal).join(', ');
const LONGEST = Math.max(...MISSING_TOKENS.map((t) => new TextEncoder().encode(t).length));
/**
 * `trim(q) IN tokens`, with the trim (a copy of every string: 3× the cost of the whole test on
 * DuckDB-wasm) only for the cells it may change — a space at either end, or any non-ASCII
 * character (DuckDB's trim also removes Unicode spaces); other cells are compared as they are,
 * and only when short enough to be a token. Null stays not a token.
 */
const isToken = (q: string) =>
  `CASE WHEN ${q} LIKE ' %' OR ${q} LIKE '% ' OR strlen(${q}) <> length(${q}) THEN trim(${q}) IN (${TOKENS}) ` +
  `WHEN strlen(${q}) <= ${LONGEST} THEN ${q} IN (${TOKENS}) ELSE false END`;
const isText = (c: ColumnType) => c.type === 'VARCHAR';
const isFloat = (c: ColumnType) => c.type === 'DOUBLE' || c.type === 'FLOAT';

/**
 * Per text column (by index): missing tokens `m_i` — aggregates to add to the profile's summary
 * pass. NaN cells of float columns are counted by `finiteRangeSql`, only where there are any — or
 * here, with `floats`, for a scan without the profile.
 */
export function missingScanParts(cols: ColumnType[], floats = false): string[] {
  // Column names are quoted by ident(); `i` is the column's index (a number).
  return cols.flatMap((c, i) =>
    isText(c)
      ? [`count(*) FILTER (WHERE ${isToken(ident(c.name))}) AS m_${i}`]
      : floats && isFloat(c)
        ? [`count(*) FILTER (WHERE isnan(${ident(c.name)})) AS m_${i}`]
        : [],
  );
}

/**
 * For a text column that holds missing tokens: how many other cells are not numbers (`x`; none:
 * the column is numbers with NA among them). Only asked of such columns: a failing TRY_CAST costs
 * seconds on millions of text cells.
 */
export const nonNumbersSql = (table: string, c: ColumnType): string => {
  const q = ident(c.name);
  return `SELECT count(*) FILTER (WHERE ${q} IS NOT NULL AND NOT ${isToken(q)} AND TRY_CAST(trim(${q}) AS DOUBLE) IS NULL) AS x FROM ${ident(table)}`;
};

/** What to do with one column after the scan: nothing, set its tokens (or NaN) to null, or read it as numbers. */
export function missingFix(table: string, c: ColumnType, missing: number, others: number): string | null {
  if (!missing) return null;
  const q = ident(c.name);
  if (isFloat(c)) return `UPDATE ${ident(table)} SET ${q} = NULL WHERE isnan(${q})`;
  // Numbers with missing tokens among them (a numeric column with NA): a numeric column, as pandas reads it.
  if (others === 0)
    return `ALTER TABLE ${ident(table)} ALTER ${q} SET DATA TYPE DOUBLE USING CASE WHEN ${isToken(q)} THEN NULL ELSE TRY_CAST(trim(${q}) AS DOUBLE) END`;
  return `UPDATE ${ident(table)} SET ${q} = NULL WHERE ${isToken(q)}`;
}

/**
 * Lists of numbers written as text, as pandas writes a list or NumPy array cell to CSV: `[0.1, 0.2]`,
 * `[0.1 0.2\n 0.3]`. A text column whose sampled values all look so is a candidate; it becomes a
 * DOUBLE[] column only when every one of its values reads as numbers (`listCheckSql` finds none bad).
 */
export const looksLikeList = (v: string) => /^\s*\[[^[\]]*\]\s*$/.test(v);
/** NumPy's print of an array of over 1,000 numbers (`[ 0.12 -0.3 ...  0.7]`): the middle is left out. */
export const isShortenedArray = (v: string) => /^\s*\[[^[\]]*\s\.\.\.\s[^[\]]*\]\s*$/.test(v);
const asList = (q: string) =>
  `TRY_CAST('[' || regexp_replace(trim(regexp_replace(${q}, '[\\[\\]]', '', 'g')), '[\\s,]+', ',', 'g') || ']' AS DOUBLE[])`;

/** Of a candidate column: its values (`n`) and those that are not lists of numbers (`bad`). */
export const listCheckSql = (table: string, column: string): string => {
  const q = ident(column);
  return `SELECT count(v) AS n, count(*) FILTER (WHERE v IS NOT NULL AND (l IS NULL OR list_aggregate(l, 'count') <> len(l))) AS bad FROM (SELECT ${q} AS v, ${asList(q)} AS l FROM ${ident(table)})`;
};

/** The column read as lists of numbers. */
export const listFixSql = (table: string, column: string): string =>
  `ALTER TABLE ${ident(table)} ALTER ${ident(column)} SET DATA TYPE DOUBLE[] USING ${asList(ident(column))}`;

/**
 * Numbers written as text, as Excel and reports write them: with thousands separators, `1,234.5`
 * (text to DuckDB), or `1.234,5` where the decimal mark is a comma (whole groups of three digits
 * after a first group that is not 0, so a version "1.2.3" or a decimal "0,250" is not taken for
 * one); with a decimal comma alone, quoted in a comma-separated file (`"0,87"`: DuckDB reads a
 * decimal comma only in files separated otherwise); as percentages, `85%`; or plainly, in a file
 * whose reader typed nothing (JSON strings).
 */
const WRITTEN = {
  comma: '[+-]?([1-9]\\d{0,2}(,\\d{3})+|\\d+)(\\.\\d+)?',
  dot: '[+-]?([1-9]\\d{0,2}(\\.\\d{3})+|\\d+)(,\\d+)?',
  decimal: '[+-]?\\d+,\\d+',
  percent: '[+-]?(\\d+(\\.\\d+)?|\\.\\d+) ?%',
  // Plain numbers as text (JSON's "0.87", a Parquet text column): whole ones that fit a BIGINT, else
  // numbers a DOUBLE holds exactly enough (a 19-digit id stays text, as its digits would be lost).
  integer: '[+-]?\\d{1,18}',
  plain: '[+-]?(\\d{1,15}|\\d+\\.\\d*|\\.\\d+)([eE][+-]?\\d+)?',
} as const;
export type NumberStyle = keyof typeof WRITTEN;

/**
 * The style every one of a text column's seen values (sample, top values) is written in, with a
 * thousands separator among them, a decimal comma that cannot be one (`0,25`, `1,5`), or a % on
 * each; or, with `plain` (a format whose reader typed nothing: not Parquet's or Arrow's declared
 * text), plain numbers; else null.
 */
export function numberStyleOf(values: string[], plain = true): NumberStyle | null {
  const vs = values.map((v) => v.trim()).filter(Boolean);
  const mark = {
    comma: /\d,\d{3}/,
    dot: /\d\.\d{3}/,
    decimal: /^[+-]?0,|,(\d{1,2}|\d{4,})$/,
    percent: /%$/,
    integer: /./,
    plain: /./,
  } as const;
  const styles: NumberStyle[] = [
    'comma',
    'dot',
    'decimal',
    'percent',
    ...(plain ? (['integer', 'plain'] as const) : []),
  ];
  for (const g of styles) {
    const re = new RegExp(`^${WRITTEN[g]}$`);
    if (vs.length && vs.every((v) => re.test(v)) && vs.some((v) => mark[g].test(v))) return g;
  }
  return null;
}

/** Of a candidate column: its values not written as numbers in that style (`bad`). */
export const styledCheckSql = (table: string, column: string, g: NumberStyle): string => {
  const q = ident(column);
  return `SELECT count(*) FILTER (WHERE ${q} IS NOT NULL AND NOT regexp_full_match(trim(${q}), ${literal(WRITTEN[g])})) AS bad FROM ${ident(table)}`;
};

/** The column read as numbers: separators dropped, a decimal comma made a point, a percentage divided by 100. */
export const styledFixSql = (table: string, column: string, g: NumberStyle): string => {
  const q = `trim(${ident(column)})`;
  const plain =
    g === 'comma'
      ? `CAST(replace(${q}, ',', '') AS DOUBLE)`
      : g === 'dot'
        ? `CAST(replace(replace(${q}, '.', ''), ',', '.') AS DOUBLE)`
        : g === 'decimal'
          ? `CAST(replace(${q}, ',', '.') AS DOUBLE)`
          : g === 'percent'
            ? `CAST(trim(replace(${q}, '%', '')) AS DOUBLE) / 100`
            : `CAST(${q} AS ${g === 'integer' ? 'BIGINT' : 'DOUBLE'})`;
  return `ALTER TABLE ${ident(table)} ALTER ${ident(column)} SET DATA TYPE ${g === 'integer' ? 'BIGINT' : 'DOUBLE'} USING ${plain}`;
};

/**
 * Text with a space at either end of every value, as a CSV written with a space after each
 * delimiter reads (`1, cat, dog`: DuckDB trims the header's names and the numbers, not the text).
 * A text column whose seen values (sample, top values) are all padded is a candidate; it is trimmed
 * only when no value of it lacks the padding (`bad`), so that " cat" and "cat" are one class.
 */
export const isPadded = (v: string) => v.length > 0 && v !== v.trim();
export const paddingCheckSql = (table: string, column: string): string => {
  const q = ident(column);
  return `SELECT count(*) FILTER (WHERE ${q} IS NOT NULL AND ${q} = trim(${q})) AS bad FROM ${ident(table)}`;
};
export const paddingFixSql = (table: string, column: string): string =>
  `UPDATE ${ident(table)} SET ${ident(column)} = trim(${ident(column)})`;

/**
 * Weka's class values carry the class's index (`1:yes`, `2:no` in its predictions' `actual` and
 * `predicted`). Columns whose seen values are all so written are candidates; two or more are taken
 * off their indices when every value is so written, the name after the index starts with other than
 * a digit (`12:30` is a time, `3:2` a ratio), and across them each index names one class and each
 * class has one index (`agreed`).
 */
const INDEXED = '[1-9][0-9]{0,3}:[^0-9\\s].*'; // RE2 and JavaScript alike
export const isIndexedClass = (v: string) => new RegExp(`^${INDEXED}$`).test(v);
export const indexedCheckSql = (table: string, columns: string[]): string => {
  const all = columns.map((c) => `SELECT ${ident(c)} AS v FROM ${ident(table)}`).join(' UNION ALL ');
  return (
    `SELECT count(*) FILTER (WHERE v IS NOT NULL AND NOT regexp_full_match(v, ${literal(INDEXED)})) AS bad, ` +
    `count(DISTINCT v) AS pairs, count(DISTINCT regexp_extract(v, '^[0-9]+')) AS indices, ` +
    `count(DISTINCT regexp_replace(v, '^[0-9]+:', '')) AS names FROM (${all})`
  );
};
export const indexedFixSql = (table: string, columns: string[]): string =>
  `UPDATE ${ident(table)} SET ${columns.map((c) => `${ident(c)} = regexp_replace(${ident(c)}, '^[0-9]+:', '')`).join(', ')}`;
