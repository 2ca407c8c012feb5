import { nthSmallest } from '../arrays';
import { ident, literal } from '../sql';
import { classExpr } from '../table/validate';
import { isNumericKind, type ColumnProfile } from '../table/schema';
import { toSql, type Predicate, type Scalar } from './predicate';

/** One group of a "slice by column": its label and the predicate selecting its rows. */
export interface Group {
  label: string;
  where: Predicate;
}

export const MAX_GROUPS = 50;
export const NULL_LABEL = 'null';
export const OTHER_LABEL = 'other';

/** The text of a value as groups name it (integral doubles as integers, as classes are). */
export const valueText = (column: string, profile: ColumnProfile | undefined) => classExpr(column, profile);

/** The most frequent values of a column, up to `limit` + 1 (one more tells that there are others). */
export function topValuesSql(
  table: string,
  column: string,
  profile: ColumnProfile | undefined,
  limit = MAX_GROUPS,
): string {
  return `SELECT ${valueText(column, profile)} AS v, count(*) AS n FROM ${ident(table)} GROUP BY 1 ORDER BY n DESC, v NULLS LAST LIMIT ${limit + 1}`;
}

/** Quantile edges of a numeric column for `bins` bins. */
export function quantileEdgesSql(table: string, column: string, bins: number): string {
  const qs = Array.from({ length: bins - 1 }, (_, i) => (i + 1) / bins);
  return `SELECT min(${ident(column)})::DOUBLE AS lo, max(${ident(column)})::DOUBLE AS hi, quantile_cont(${ident(column)}::DOUBLE, [${qs.join(', ')}]) AS q FROM ${ident(table)}`;
}

/** Whether a column is sliced by quantile bins (numeric with more distinct values than groups) rather than by value. */
export const binsNumeric = (p: ColumnProfile | undefined, limit = MAX_GROUPS) =>
  !!p && isNumericKind(p.kind) && p.distinct > limit;

/** Dates and timestamps: binned by time (quantile or equal-width periods) when they have more values than groups. */
export const isDateTime = (p: ColumnProfile | undefined) => !!p && /^(DATE|TIMESTAMP)/i.test(p.type);
export const binsTemporal = (p: ColumnProfile | undefined, limit = MAX_GROUPS) => isDateTime(p) && p!.distinct > limit;

/** Whether slice discovery can use a column: numbers and dates (binned), or at most `limit` values. */
export const sliceable = (p: ColumnProfile | undefined, limit: number) =>
  !!p && (isNumericKind(p.kind) || isDateTime(p) || p.distinct <= limit);

/**
 * A date or timestamp column's range and bin edges, as text in the column's own type (DuckDB's
 * `quantile_disc`, or `bins` equal periods between the first and last, on microseconds since 1970;
 * a date column's edges are dates).
 */
export function temporalEdgesSql(table: string, column: string, type: string, bins: number, width: boolean): string {
  const q = ident(column);
  const us = `epoch_us(CAST(${q} AS TIMESTAMP))`;
  const back = (x: string) =>
    /^DATE$/i.test(type)
      ? `CAST(make_timestamp(CAST(${x} AS BIGINT)) AS DATE)`
      : `make_timestamp(CAST(${x} AS BIGINT))`;
  const fs = Array.from({ length: bins - 1 }, (_, i) => (i + 1) / bins);
  const edges = width
    ? `[${fs.map((f) => `CAST(${back(`min(${us}) + (max(${us}) - min(${us})) * ${f}`)} AS VARCHAR)`).join(', ')}]`
    : `CAST(quantile_disc(${q}, [${fs.join(', ')}]) AS VARCHAR[])`;
  return `SELECT CAST(min(${q}) AS VARCHAR) AS lo, CAST(max(${q}) AS VARCHAR) AS hi, ${edges} AS q FROM ${ident(table)}`;
}

/** Bins between date or timestamp edges (text as DuckDB writes them, which sorts as the times do): [a, b), the last [a, b]. */
export function temporalBinGroups(column: string, lo: string, hi: string, edges: string[], hasNulls: boolean): Group[] {
  const cuts = [...new Set(edges.filter((e) => e > lo && e < hi))].sort();
  const bounds = [lo, ...cuts, hi];
  const count = Math.max(1, bounds.length - 1);
  const groups: Group[] = [];
  for (let i = 0; i < count; i++) {
    const [a, b] = [bounds[i], bounds[i + 1] ?? hi];
    const last = i === count - 1;
    const items: Predicate[] = [];
    if (i > 0 || last) items.push({ kind: 'cond', column, op: '>=', value: a });
    if (!last) items.push({ kind: 'cond', column, op: '<', value: b });
    groups.push({ label: `[${a}, ${b}${last ? ']' : ')'}`, where: { kind: 'and', items } });
  }
  if (hasNulls) groups.push({ label: NULL_LABEL, where: { kind: 'cond', column, op: 'is-null' } });
  return groups;
}

const typed = (v: string, p: ColumnProfile | undefined): Scalar =>
  p && isNumericKind(p.kind) ? Number(v) : p?.kind === 'boolean' ? v === 'true' : v;

/**
 * Groups by value: each of the most frequent values (null a value of its own) and, when there are
 * more, "other" for the rest (nulls included when they are not among the most frequent).
 */
export function valueGroups(
  column: string,
  profile: ColumnProfile | undefined,
  top: { v: string | null }[],
  limit = MAX_GROUPS,
): Group[] {
  const shown = top.slice(0, limit);
  const groups: Group[] = shown.map((t) =>
    t.v === null
      ? { label: NULL_LABEL, where: { kind: 'cond', column, op: 'is-null' } }
      : { label: t.v, where: { kind: 'cond', column, op: '=', value: typed(t.v, profile) } },
  );
  if (top.length > limit) {
    const rest: Predicate = {
      kind: 'and',
      items: shown
        .filter((t) => t.v !== null)
        .map((t) => ({ kind: 'cond', column, op: '!=', value: typed(t.v!, profile) })),
    };
    const where: Predicate = shown.some((t) => t.v === null)
      ? rest
      : { kind: 'or', items: [rest, { kind: 'cond', column, op: 'is-null' }] };
    groups.push({ label: OTHER_LABEL, where });
  }
  return groups;
}

const fmt = (v: number) =>
  Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : String(Number(v.toPrecision(4)));

/** Quantile bins [a, b) (the last one closed) between the column's min and max; nulls a group of their own. */
export function binGroups(column: string, lo: number, hi: number, edges: number[], hasNulls: boolean): Group[] {
  const cuts = [...new Set(edges.filter((e) => e > lo && e < hi))].sort((a, b) => a - b);
  const bounds = [lo, ...cuts, hi];
  const count = Math.max(1, bounds.length - 1);
  const groups: Group[] = [];
  for (let i = 0; i < count; i++) {
    const a = bounds[i];
    const b = bounds[i + 1] ?? hi;
    const last = i === count - 1;
    const items: Predicate[] = [];
    if (i > 0 || last) items.push({ kind: 'cond', column, op: '>=', value: a });
    if (!last) items.push({ kind: 'cond', column, op: '<', value: b });
    groups.push({ label: `[${fmt(a)}, ${fmt(b)}${last ? ']' : ')'}`, where: { kind: 'and', items } });
  }
  if (hasNulls) groups.push({ label: NULL_LABEL, where: { kind: 'cond', column, op: 'is-null' } });
  return groups;
}

/**
 * One SQL expression giving each row its group's index (−1: none) for groups made by `valueGroups`
 * or `binGroups`: a lookup of the value's text among the labels, or comparisons for bins; one scan
 * for all groups.
 */
export function groupCodeSql(column: string, profile: ColumnProfile | undefined, groups: Group[]): string {
  const q = ident(column);
  const nullAt = groups.findIndex((g) => g.where.kind === 'cond' && g.where.op === 'is-null');
  const otherAt = groups.findIndex((g) => g.label === OTHER_LABEL);
  const byValue = groups.some((g) => g.where.kind === 'cond' && g.where.op === '=');
  if (byValue) {
    const labels = groups.map((g) => (g.where.kind === 'cond' && g.where.op === '=' ? literal(g.label) : 'NULL'));
    return `CASE WHEN ${q} IS NULL THEN ${nullAt >= 0 ? nullAt : otherAt} ELSE coalesce(list_position([${labels.join(', ')}]::VARCHAR[], ${valueText(column, profile)}) - 1, ${otherAt}) END`;
  }
  const cases = groups.map((g, i) => `WHEN ${toSql(g.where, [column])} THEN ${i}`);
  return `CASE ${cases.join(' ')} ELSE -1 END`;
}

/** Column types whose values JS compares exactly as DuckDB does (doubles, and integers that doubles hold exactly). */
export const exactInJs = (type: string) =>
  /^(DOUBLE|TINYINT|SMALLINT|INTEGER|UTINYINT|USMALLINT|UINTEGER)$/i.test(type);

/**
 * DuckDB's `min`, `max` and `quantile_cont(x, qs)` over the values that are not NaN (NaN stands for
 * null here): the value at position (n − 1)·q of the sorted values, between two values
 * lo·(1 − d) + hi·d, as DuckDB interpolates. Found by selection, not a full sort. Null when no value is left.
 */
export function quantilesCont(values: Float64Array, qs: number[]): { lo: number; hi: number; q: number[] } | null {
  let n = 0;
  let lo = Infinity;
  let hi = -Infinity;
  const a = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (x !== x) continue;
    a[n++] = x;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  if (!n) return null;
  const at = qs.map((q) => (n - 1) * q);
  const positions = [...new Set(at.flatMap((x) => [Math.floor(x), Math.ceil(x)]))].sort((x, y) => x - y);
  const sorted = orderStatistics(a.subarray(0, n), lo, hi, positions);
  return {
    lo,
    hi,
    q: at.map((x) => {
      const f = Math.floor(x);
      const c = Math.ceil(x);
      const d = x - f;
      return f === c ? sorted.get(f)! : sorted.get(f)! * (1 - d) + sorted.get(c)! * d;
    }),
  };
}

/**
 * The values a sorted `v` (within [lo, hi]) holds at the ascending `positions`. The values are
 * counted into equal-width buckets first (a value's bucket never decreases with the value), so
 * only the buckets holding a position are gathered and selected in: two passes over `v` instead of
 * a selection over all of it per position.
 */
function orderStatistics(v: Float64Array, lo: number, hi: number, positions: number[]): Map<number, number> {
  const out = new Map<number, number>();
  if (lo === hi) {
    for (const k of positions) out.set(k, lo);
    return out;
  }
  const buckets = Math.min(4096, v.length);
  const scale = buckets / (hi - lo);
  if (!(scale > 0 && scale < Infinity)) {
    // A range too narrow or too wide to divide: a selection over all the values.
    selectAll(v, 0, v.length - 1, positions);
    for (const k of positions) out.set(k, v[k]);
    return out;
  }
  const bucket = (x: number) => Math.min(buckets - 1, Math.floor((x - lo) * scale));
  const start = new Float64Array(buckets + 1);
  for (let i = 0; i < v.length; i++) start[bucket(v[i]) + 1]++;
  for (let b = 0; b < buckets; b++) start[b + 1] += start[b];
  // The bucket of each position, and the values of those buckets.
  const held = new Map<number, number[]>();
  for (const k of positions) {
    let b = 0;
    while (start[b + 1] <= k) b++;
    held.set(b, [...(held.get(b) ?? []), k]);
  }
  // Bucket → its index among the held ones (−1: not held), and their values gathered in one pass.
  const slot = new Int32Array(buckets).fill(-1);
  const gathered = [...held.keys()].map((b, j) => ((slot[b] = j), new Float64Array(start[b + 1] - start[b])));
  const filled = new Int32Array(gathered.length);
  for (let i = 0; i < v.length; i++) {
    const j = slot[bucket(v[i])];
    if (j >= 0) gathered[j][filled[j]++] = v[i];
  }
  for (const [b, ks] of held) {
    const into = gathered[slot[b]];
    const local = ks.map((k) => k - start[b]);
    selectAll(into, 0, into.length - 1, local);
    for (const k of ks) out.set(k, into[k - start[b]]);
  }
  return out;
}

/** Puts each of the ascending `positions` (within l..r) in its sorted place: the middle one first, then each side's. */
function selectAll(a: Float64Array, l: number, r: number, positions: number[]): void {
  if (!positions.length) return;
  const m = positions.length >> 1;
  const k = positions[m];
  nthSmallest(a, k, l, r);
  selectAll(a, l, k - 1, positions.slice(0, m));
  selectAll(a, k + 1, r, positions.slice(m + 1));
}

/**
 * Each row's bin for groups made by `binGroups` (−1: none), as `groupCodeSql` gives it: `cuts` are
 * the bins' inner bounds as DuckDB compares them with the column; NaN is null.
 */
export function binCodes(values: Float64Array, cuts: number[], nullAt: number): Int32Array {
  const codes = new Int32Array(values.length);
  const c = Float64Array.from(cuts);
  const last = c.length;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (x !== x) {
      codes[i] = nullAt;
      continue;
    }
    // The first bin whose upper bound x is below; the last bin when none (a handful of bounds: a scan).
    let k = 0;
    while (k < last && x >= c[k]) k++;
    codes[i] = k;
  }
  return codes;
}
