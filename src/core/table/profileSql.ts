import { ident } from '../sql';
import { kindOfType, isNumericKind, type ColumnKind, type ColumnProfile } from './schema';

/** Equal-width histogram bins per numeric column in the data view. */
export const HISTOGRAM_BINS = 20;
/** Most frequent values shown per categorical column. */
export const TOP_VALUES = 6;

export interface ColumnType {
  name: string;
  type: string;
}

const numeric = (c: ColumnType) => isNumericKind(kindOfType(c.type));
const finite = (c: string) => `isfinite(CAST(${c} AS DOUBLE))`;

/**
 * Distinct counts are exact up to this many (HyperLogLog's estimate, about 2% off, decides which
 * columns get an exact count); above it the estimate is kept and marked approximate. Every decision
 * on distinct counts (task, categories, text) turns on far smaller numbers, and an exact count of
 * millions of distinct values per column would cost more than reading the file.
 */
export const EXACT_DISTINCT_MAX = 10_000;

/** One pass: row count, and per column (by index) nulls, estimated distinct values, numeric range, mean string length. */
export function summarySql(table: string, cols: ColumnType[], extra: string[] = []): string {
  const parts = ['count(*) AS n', ...extra];
  cols.forEach((c, i) => {
    const q = ident(c.name);
    const k = kindOfType(c.type);
    parts.push(`count(*) - count(${q}) AS nulls_${i}`, `approx_count_distinct(${q}) AS approx_${i}`);
    // The range, aggregated in the column's own type, then cast (the cast keeps order): casting
    // every cell first costs DuckDB-wasm a second at 3M rows. A float column's range may come out
    // NaN (DuckDB orders NaN above everything) or infinite: `finiteRangeSql` then finds the finite one.
    const float = isFloatType(c.type);
    if (isNumericKind(k))
      parts.push(
        `CAST(min(${ident(c.name)}) AS DOUBLE) AS min_${i}`,
        `CAST(max(${ident(c.name)}) AS DOUBLE) AS max_${i}`,
      );
    // NaN and ±∞ equal their trunc() in DuckDB: never fractional.
    if (k === 'numeric')
      parts.push(
        float
          ? `count(*) FILTER (WHERE ${ident(c.name)} <> trunc(${ident(c.name)})) AS frac_${i}`
          : `count(*) FILTER (WHERE ${finite(ident(c.name))} AND CAST(${ident(c.name)} AS DOUBLE) <> trunc(CAST(${ident(c.name)} AS DOUBLE))) AS frac_${i}`,
      );
    if (k === 'string') parts.push(`avg(length(${q})) AS len_${i}`);
  });
  return `SELECT ${parts.join(', ')} FROM ${ident(table)}`;
}

const isFloatType = (type: string) => /^(DOUBLE|FLOAT|REAL)$/i.test(type);

/**
 * For the float columns whose range in `summary` is not finite (they hold NaN or ±∞, rare): their
 * finite range, and with `nans`, how many NaN cells (`m_<index>`, the missing-value scan's key;
 * a column whose maximum is not NaN has none). Null when every range is finite.
 */
export function finiteRangeSql(table: string, cols: ColumnType[], summary: SummaryRow, nans: boolean): string | null {
  const parts = cols.flatMap((c, i) => {
    const [lo, hi] = [summary[`min_${i}`], summary[`max_${i}`]];
    if (!isFloatType(c.type) || lo == null || (Number.isFinite(Number(lo)) && Number.isFinite(Number(hi)))) return [];
    const only = `FILTER (WHERE isfinite(${ident(c.name)}))`;
    return [
      `CAST(min(${ident(c.name)}) ${only} AS DOUBLE) AS min_${i}`,
      `CAST(max(${ident(c.name)}) ${only} AS DOUBLE) AS max_${i}`,
      ...(nans ? [`count(*) FILTER (WHERE isnan(${ident(c.name)})) AS m_${i}`] : []),
    ];
  });
  return parts.length ? `SELECT ${parts.join(', ')} FROM ${ident(table)}` : null;
}

/** Exact distinct counts of the columns whose estimate is at most EXACT_DISTINCT_MAX: one row, `distinct_<index>`. */
export function exactDistinctSql(table: string, cols: ColumnType[], summary: SummaryRow): string | null {
  const parts = cols.flatMap((c, i) =>
    Number(summary[`approx_${i}`]) <= EXACT_DISTINCT_MAX ? [`count(DISTINCT ${ident(c.name)}) AS distinct_${i}`] : [],
  );
  return parts.length ? `SELECT ${parts.join(', ')} FROM ${ident(table)}` : null;
}

/** Histogram counts for numeric columns whose range is known: rows (col, bin, n). */
export function histogramSql(
  table: string,
  cols: ColumnType[],
  ranges: Map<number, [number, number]>,
  rows?: { row: string; from: number; to: number },
): string | null {
  const part = rows ? ` AND ${rows.row} >= ${Math.floor(rows.from)} AND ${rows.row} < ${Math.floor(rows.to)}` : '';
  const parts: string[] = [];
  cols.forEach((c, i) => {
    const r = ranges.get(i);
    if (!r || !numeric(c)) return;
    const [lo, hi] = r;
    const q = `CAST(${ident(c.name)} AS DOUBLE)`;
    const bin =
      hi > lo
        ? `least(CAST(floor((${q} - ${lo}) / ${(hi - lo) / HISTOGRAM_BINS}) AS INTEGER), ${HISTOGRAM_BINS - 1})`
        : '0';
    parts.push(
      `SELECT ${i} AS col, ${bin} AS bin, count(*) AS n FROM ${ident(table)} WHERE ${finite(ident(c.name))}${part} GROUP BY ALL`,
    );
  });
  return parts.length ? parts.join(' UNION ALL ') : null;
}

/**
 * Top values (as text) of non-numeric columns: rows (col, value, n). A column whose values are
 * nearly all different (ids, paths, free text: more than EXACT_DISTINCT_MAX, and at least half
 * its cells) has no top values worth a count over millions of strings: a few of its values come
 * as a sample instead (n null).
 */
export function topValuesSql(table: string, cols: ColumnType[], summary: SummaryRow): string | null {
  const parts: string[] = [];
  cols.forEach((c, i) => {
    if (numeric(c)) return;
    const v = `left(CAST(${ident(c.name)} AS VARCHAR), 300)`;
    const approx = Number(summary[`approx_${i}`]);
    const unique = approx > EXACT_DISTINCT_MAX && approx >= (Number(summary.n) - Number(summary[`nulls_${i}`])) / 2;
    parts.push(
      unique
        ? `(SELECT ${i} AS col, ${v} AS value, NULL AS n FROM ${ident(table)} WHERE ${ident(c.name)} IS NOT NULL LIMIT ${TOP_VALUES})`
        : `(SELECT ${i} AS col, ${v} AS value, count(*) AS n FROM ${ident(table)} WHERE ${ident(c.name)} IS NOT NULL GROUP BY ALL ORDER BY n DESC, value LIMIT ${TOP_VALUES})`,
    );
  });
  return parts.length ? parts.join(' UNION ALL ') : null;
}

export interface SummaryRow {
  [k: string]: unknown;
  n: number;
}

/** The counts of column `col`'s bins among histogram rows. */
export function histogramCounts(hist: { col: number; bin: number; n: number }[], col: number): number[] {
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
  for (const h of hist) if (Number(h.col) === col) counts[h.bin] += Number(h.n);
  return counts;
}

/** Assembles column profiles from the results of the queries above (the exact distinct counts merged into `summary`). */
export function assembleProfiles(
  cols: ColumnType[],
  summary: SummaryRow,
  hist: { col: number; bin: number; n: number }[] | null,
  top: { col: number; value: string; n: number | null }[],
): ColumnProfile[] {
  return cols.map((c, i) => {
    const kind: ColumnKind = kindOfType(c.type);
    const p: ColumnProfile = {
      name: c.name,
      type: c.type,
      kind,
      nulls: Number(summary[`nulls_${i}`]),
      // HyperLogLog's estimate may pass the number of values: it is at most that.
      distinct: Number(
        summary[`distinct_${i}`] ??
          Math.min(Number(summary[`approx_${i}`]), Number(summary.n) - Number(summary[`nulls_${i}`])),
      ),
      sample: [],
    };
    if (summary[`distinct_${i}`] == null) p.distinctApprox = true;
    const min = summary[`min_${i}`];
    if (isNumericKind(kind) && min != null)
      p.histogram = { min: Number(min), max: Number(summary[`max_${i}`]), counts: hist && histogramCounts(hist, i) };
    if (!isNumericKind(kind)) {
      const mine = top.filter((t) => t.col === i);
      p.top = mine.filter((t) => t.n !== null).map((t) => ({ value: String(t.value), count: Number(t.n) }));
      p.sample = mine.slice(0, 5).map((t) => String(t.value));
    }
    if (kind === 'numeric') p.fractional = Number(summary[`frac_${i}`] ?? 0) > 0;
    const len = summary[`len_${i}`];
    if (len != null) p.avgLength = Number(len);
    return p;
  });
}
