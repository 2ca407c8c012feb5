import { LoupeError } from '../errors';
import { ident, literal } from '../sql';
import { expressionSql, MAX_EXPRESSION_LENGTH } from './expression';
import { decodeRows, MAX_ROW_SET, rowsSql } from './rowSet';

export type Scalar = string | number | boolean | null;
export type Op = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'between' | 'is-null' | 'contains';
export const OPS: { op: Op; label: string }[] = [
  { op: '=', label: '=' },
  { op: '!=', label: '≠' },
  { op: '<', label: '<' },
  { op: '<=', label: '≤' },
  { op: '>', label: '>' },
  { op: '>=', label: '≥' },
  { op: 'in', label: 'in' },
  { op: 'between', label: 'between' },
  { op: 'is-null', label: 'is null' },
  { op: 'contains', label: 'contains' },
];

/**
 * A slice's rows, as a serialisable tree: conditions on one column, AND/OR groups of them, a
 * boolean expression typed by the user, or a set of rows picked by hand. Compiled to SQL by `toSql`, with every column name and
 * value quoted; the `sql` kind's text is parsed by `expression.ts` and compiled back, never spliced.
 */
export type Predicate =
  | { kind: 'cond'; column: string; op: Op; value?: Scalar | Scalar[] }
  | { kind: 'and' | 'or'; items: Predicate[] }
  | { kind: 'sql'; sql: string }
  /** Rows picked by hand (a lasso on the map), by number, as `encodeRows` text. */
  | { kind: 'rows'; rows: string; count: number };

export interface Slice {
  name: string;
  where: Predicate;
}

const cmp: Partial<Record<Op, string>> = { '=': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

/**
 * The SQL boolean expression for `p`; `row` is the SQL of a row's number (for row sets). Throws
 * `unknown-column` (naming it) for a column not in `columns`.
 */
export function toSql(p: Predicate, columns: readonly string[], row = 'rowid'): string {
  switch (p.kind) {
    case 'sql':
      return `(${expressionSql(p.sql, columns)})`;
    case 'rows':
      return rowsSql(decodeRows(p.rows), row);
    case 'and':
    case 'or':
      if (p.items.length === 0) return p.kind === 'and' ? 'TRUE' : 'FALSE';
      return `(${p.items.map((i) => toSql(i, columns, row)).join(p.kind === 'and' ? ' AND ' : ' OR ')})`;
    case 'cond': {
      if (!columns.includes(p.column))
        throw new LoupeError('unknown-column', `Unknown column ${JSON.stringify(p.column)}.`, { column: p.column });
      const c = ident(p.column);
      const list = Array.isArray(p.value) ? p.value : [p.value ?? null];
      const one = list[0] ?? null;
      if (p.op === 'is-null') return `(${c} IS NULL)`;
      if (p.op === 'contains')
        return `contains(lower(CAST(${c} AS VARCHAR)), ${literal(String(one ?? '').toLowerCase())})`;
      if (p.op === 'in') return list.length ? `(${c} IN (${list.map(literal).join(', ')}))` : 'FALSE';
      if (p.op === 'between') return `(${c} BETWEEN ${literal(one)} AND ${literal(list[1] ?? null)})`;
      return `(${c} ${cmp[p.op]} ${literal(one)})`;
    }
  }
}

// Numbers to 12 significant digits: a bin edge 17.067999999999998 reads 17.068.
const show = (v: Scalar) =>
  typeof v === 'string' ? `'${v}'` : typeof v === 'number' ? String(Number(v.toPrecision(12))) : String(v);

/** A short human-readable form: `season = 'winter' AND temp_max > 20`. */
export function describe(p: Predicate): string {
  switch (p.kind) {
    case 'sql':
      return p.sql.trim();
    case 'rows':
      return `${p.count.toLocaleString('en-US')} rows picked by hand`;
    case 'and':
    case 'or': {
      const parts = p.items.map((i) => (i.kind === 'and' || i.kind === 'or' ? `(${describe(i)})` : describe(i)));
      return parts.join(p.kind === 'and' ? ' AND ' : ' OR ') || (p.kind === 'and' ? 'all rows' : 'no rows');
    }
    case 'cond': {
      const list = Array.isArray(p.value) ? p.value : [p.value ?? null];
      const label = OPS.find((o) => o.op === p.op)?.label ?? p.op;
      if (p.op === 'is-null') return `${p.column} is null`;
      if (p.op === 'in') return `${p.column} in (${list.map(show).join(', ')})`;
      if (p.op === 'between') return `${p.column} between ${show(list[0])} and ${show(list[1] ?? null)}`;
      return `${p.column} ${label} ${show(list[0])}`;
    }
  }
}

const isScalar = (v: unknown) =>
  v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
const shortText = (v: unknown, max: number) => typeof v === 'string' && v.length <= max;

/**
 * Checks that parsed JSON is a predicate tree of bounded size (slices arrive from links, which are
 * untrusted, and from storage): at most 8 levels of AND/OR, 200 items a level, 1,000 values in a
 * list, and texts no longer than an expression may be.
 */
export function isPredicate(x: unknown, depth = 0): x is Predicate {
  if (!x || typeof x !== 'object' || depth > 8) return false;
  const p = x as Record<string, unknown>;
  if (p.kind === 'sql') return shortText(p.sql, MAX_EXPRESSION_LENGTH);
  if (p.kind === 'rows')
    return (
      shortText(p.rows, 2_000_000) &&
      /^[A-Za-z0-9_-]*$/.test(p.rows as string) &&
      Number.isInteger(p.count) &&
      (p.count as number) >= 0 &&
      (p.count as number) <= MAX_ROW_SET
    );
  if (p.kind === 'and' || p.kind === 'or')
    return Array.isArray(p.items) && p.items.length <= 200 && p.items.every((i) => isPredicate(i, depth + 1));
  if (p.kind === 'cond') {
    const values = Array.isArray(p.value) ? p.value : [p.value ?? null];
    return (
      shortText(p.column, 1000) &&
      OPS.some((o) => o.op === p.op) &&
      values.length <= 1000 &&
      values.every((v) => isScalar(v) && (typeof v !== 'string' || v.length <= 10_000))
    );
  }
  return false;
}
