import { binCounts, chi2Contingency, jensenShannon, ks2, psi, quantileEdges, wasserstein } from '../core/stats/tests';
import { ident } from '../core/sql';
import { isNumericKind, type ColumnProfile } from '../core/table/schema';
import type { EvalTable } from './Evaluator';
import type { Table } from 'apache-arrow';
import { MAX_DRIFT_CATEGORIES, type ColumnDrift, type DriftReport } from '../core/audit/drift';

const HIST_BINS = 20;
const HIST_CATEGORIES = 30;

type TableOf = (sql: string) => Promise<Table>;

/** Column by column, how the current data differs from the reference: every column the two share (or those asked for). */
export async function drift(
  table: TableOf,
  ref: EvalTable & { name: string },
  cur: EvalTable & { name: string },
  columns?: string[],
): Promise<DriftReport> {
  const skipped: DriftReport['skipped'] = [];
  const out: ColumnDrift[] = [];
  for (const rc of ref.columns) {
    if (columns && !columns.includes(rc.name)) continue;
    const cc = cur.columns.find((c) => c.name === rc.name);
    if (!cc) {
      skipped.push({ column: rc.name, reason: `not in ${cur.name}` });
      continue;
    }
    // Integer columns with few values (codes, classes, months) are categories.
    const numeric =
      isNumericKind(rc.kind) &&
      isNumericKind(cc.kind) &&
      !(rc.kind === 'integer' && cc.kind === 'integer' && Math.max(rc.distinct, cc.distinct) <= 20);
    const categorical =
      !numeric &&
      ['string', 'boolean', 'integer', 'numeric'].includes(rc.kind) &&
      ['string', 'boolean', 'integer', 'numeric'].includes(cc.kind);
    if (!numeric && !categorical) {
      skipped.push({ column: rc.name, reason: `${rc.kind} columns are not compared` });
      continue;
    }
    if (categorical && Math.max(rc.distinct, cc.distinct) > MAX_DRIFT_CATEGORIES) {
      skipped.push({ column: rc.name, reason: `more than ${MAX_DRIFT_CATEGORIES} distinct values` });
      continue;
    }
    const base = {
      column: rc.name,
      rows: { reference: ref.rows, current: cur.rows },
      nulls: { reference: rc.nulls, current: cc.nulls },
    };
    out.push(
      numeric
        ? { ...base, ...(await numericDrift(table, ref.id, cur.id, rc)) }
        : { ...base, ...(await categoricalDrift(table, ref.id, cur.id, rc)) },
    );
  }
  for (const c of cur.columns)
    if (!ref.columns.some((r) => r.name === c.name) && (!columns || columns.includes(c.name)))
      skipped.push({ column: c.name, reason: `not in ${ref.name}` });
  return { reference: ref.name, current: cur.name, columns: out, skipped };
}

async function sortedValues(table: TableOf, id: string, column: string): Promise<Float64Array> {
  const t = await table(
    `SELECT CAST(${ident(column)} AS DOUBLE) AS v FROM ${ident(id)} WHERE ${ident(column)} IS NOT NULL AND isfinite(CAST(${ident(column)} AS DOUBLE)) ORDER BY v`,
  );
  return Float64Array.from((t.getChild('v')?.toArray() ?? []) as Float64Array);
}

async function numericDrift(
  table: TableOf,
  refId: string,
  curId: string,
  p: ColumnProfile,
): Promise<Omit<ColumnDrift, 'column' | 'rows' | 'nulls'>> {
  const a = await sortedValues(table, refId, p.name);
  const b = await sortedValues(table, curId, p.name);
  const ks = ks2(a, b);
  const edges = a.length ? quantileEdges(a, 10) : [];
  const lo = Math.min(a[0] ?? Infinity, b[0] ?? Infinity);
  const hi = Math.max(a.at(-1) ?? -Infinity, b.at(-1) ?? -Infinity);
  const width = (hi - lo) / HIST_BINS || 1;
  const hist = (v: Float64Array) => {
    const c = new Array<number>(HIST_BINS).fill(0);
    for (const x of v) c[Math.min(HIST_BINS - 1, Math.floor((x - lo) / width))]++;
    return c.map((k) => (v.length ? k / v.length : 0));
  };
  const fmt = (x: number) => String(Number(x.toPrecision(4)));
  return {
    kind: 'numeric',
    ks,
    wasserstein: wasserstein(a, b),
    psi: a.length && b.length ? psi(binCounts(a, edges), binCounts(b, edges)) : null,
    p_value: ks?.p_value ?? null,
    histogram: Number.isFinite(lo)
      ? {
          labels: Array.from({ length: HIST_BINS }, (_, k) => fmt(lo + k * width)),
          reference: hist(a),
          current: hist(b),
        }
      : { labels: [], reference: [], current: [] },
  };
}

async function counts(table: TableOf, id: string, column: string): Promise<Map<string, number>> {
  const t = await table(
    `SELECT CAST(${ident(column)} AS VARCHAR) AS v, count(*)::DOUBLE AS n FROM ${ident(id)} WHERE ${ident(column)} IS NOT NULL GROUP BY 1`,
  );
  const v = t.getChild('v')!.toArray() as string[];
  const n = t.getChild('n')!.toArray() as Float64Array;
  return new Map(v.map((x, i) => [String(x), n[i]]));
}

async function categoricalDrift(
  table: TableOf,
  refId: string,
  curId: string,
  rc: ColumnProfile,
): Promise<Omit<ColumnDrift, 'column' | 'rows' | 'nulls'>> {
  const a = await counts(table, refId, rc.name);
  const b = await counts(table, curId, rc.name);
  const cats = [...new Set([...a.keys(), ...b.keys()])].sort();
  const ra = cats.map((c) => a.get(c) ?? 0);
  const rb = cats.map((c) => b.get(c) ?? 0);
  const chi2 = cats.length > 1 ? chi2Contingency([ra, rb]) : null;
  const sa = ra.reduce((x, y) => x + y, 0) || 1;
  const sb = rb.reduce((x, y) => x + y, 0) || 1;
  const order = cats.map((_, i) => i).sort((i, j) => ra[j] + rb[j] - (ra[i] + rb[i]));
  const top = order.slice(0, HIST_CATEGORIES);
  const rest = order.slice(HIST_CATEGORIES);
  const share = (v: number[], s: number, idx: number[]) => idx.reduce((x, i) => x + v[i], 0) / s;
  return {
    kind: 'categorical',
    chi2,
    jensen_shannon: jensenShannon(ra, rb),
    psi: psi(ra, rb),
    p_value: chi2?.p_value ?? (cats.length === 1 ? 1 : null),
    histogram: {
      labels: [...top.map((i) => cats[i]), ...(rest.length ? [`other (${rest.length})`] : [])],
      reference: [...top.map((i) => ra[i] / sa), ...(rest.length ? [share(ra, sa, rest)] : [])],
      current: [...top.map((i) => rb[i] / sb), ...(rest.length ? [share(rb, sb, rest)] : [])],
    },
  };
}
