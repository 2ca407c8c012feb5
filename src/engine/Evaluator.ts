import type { Table } from 'apache-arrow';
import { LoupeError } from '../core/errors';
import { curves, regressionCharts, reliability, type ClassCurves, type RegressionCharts, type ReliabilityBin } from '../core/metrics/charts';
import { defaultPositive, predictFromProbs, scoredRows, sortClasses, subset, type EvalData } from '../core/metrics/data';
import { classNamesSql, evalColumnsSql, rowsWhereSql } from '../core/metrics/evalSql';
import { evaluate, toReport, type EvalReport, type Evaluation } from '../core/metrics/report';
import { binGroups, binsNumeric, quantileEdgesSql, topValuesSql, valueGroups, type Group } from '../core/slices/groups';
import { toSql, type Predicate } from '../core/slices/predicate';
import { probClasses, type Roles } from '../core/table/roles';
import type { ColumnProfile } from '../core/table/schema';

/** What to evaluate: the roles, and for a binary task the positive class and decision threshold. */
export interface EvalSpec {
  roles: Roles;
  /** A class name; null or unknown → the default (`1`, `true`, `yes`, `positive`, else the second class). */
  positive?: string | null;
  /** Binary with probabilities: predict the positive class when p ≥ threshold (instead of the prediction column). */
  threshold?: number | null;
}

export interface EvalTable {
  id: string;
  rows: number;
  columns: ColumnProfile[];
}

export interface ChartData {
  curves: ClassCurves[];
  reliability: ReliabilityBin[];
  regression: RegressionCharts | null;
}

export interface EvalResult {
  task: EvalData['task'];
  classes: string[];
  positive: string | null;
  /** Rows in the slice (scored or not) and in the dataset. */
  selected: number;
  total: number;
  evaluation: Evaluation;
  charts: ChartData;
}

export interface EvalOptions {
  resamples?: number;
  onProgress?: (done: number, total: number) => void;
}

interface Loaded {
  key: string;
  data: EvalData;
  scored: Uint32Array;
}

/**
 * Metrics for a dataset table: reads the label, prediction and probability columns once into
 * typed arrays (cached per dataset and spec), selects a slice's rows with SQL, and computes
 * everything on the arrays. A newer bootstrap request cancels the one still running.
 */
export class Evaluator {
  private loaded = new Map<string, Loaded>();
  private selections = new Map<string, Uint32Array>();
  private bootGeneration = 0;

  constructor(private readonly table: (sql: string) => Promise<Table>) {}

  forget(id: string): void {
    this.loaded.delete(id);
    for (const k of this.selections.keys()) if (k.startsWith(`${id}\u0000`)) this.selections.delete(k);
  }

  /** The dataset's arrays for `spec`: every row, in file order, and which rows can be scored. */
  async load(t: EvalTable, spec: EvalSpec): Promise<Loaded> {
    const { roles } = spec;
    const key = JSON.stringify([roles.label, roles.pred, roles.probs, roles.task, spec.positive ?? null, spec.threshold ?? null]);
    const hit = this.loaded.get(t.id);
    if (hit?.key === key) return hit;
    if (!roles.label) throw new LoupeError('bad-roles', 'No label column: pick the column that holds the ground truth.');
    if (!roles.pred && !(roles.task === 'classification' && roles.probs)) {
      throw new LoupeError('bad-roles', roles.task === 'regression' ? 'No prediction column: pick the column with the predicted values.' : 'No prediction or probability columns: pick the column with the predictions.');
    }
    let data: EvalData;
    if (roles.task === 'regression') {
      const tab = await this.table(evalColumnsSql(t.id, roles, t.columns, []));
      data = { task: 'regression', n: tab.numRows, y: f64(tab, 'y'), pred: f64(tab, 'pred') };
    } else {
      const names = (await this.table(classNamesSql(t.id, roles, t.columns))).getChild('c')?.toArray() as string[] | undefined;
      const classes = sortClasses([...(names ?? []).map(String), ...probClasses(roles.probs)]);
      const tab = await this.table(evalColumnsSql(t.id, roles, t.columns, classes));
      const n = tab.numRows;
      const k = classes.length;
      let probs: Float64Array | null = null;
      if (roles.probs) {
        probs = new Float64Array(n * k);
        for (let c = 0; c < k; c++) {
          const col = f64(tab, `p${c}`);
          for (let i = 0; i < n; i++) probs[i * k + c] = col[i];
        }
      }
      const asked = spec.positive != null ? classes.indexOf(spec.positive) : -1;
      const positive = k === 2 ? (asked >= 0 ? asked : defaultPositive(classes)) : null;
      let pred = tab.getChild('pred')!.toArray() as Int32Array;
      if (probs && (!roles.pred || (positive !== null && spec.threshold != null))) {
        pred = predictFromProbs(probs, k, n, positive !== null && spec.threshold != null ? { positive, value: spec.threshold } : undefined);
      }
      data = { task: 'classification', classes, positive, n, y: tab.getChild('y')!.toArray() as Int32Array, pred, probs };
    }
    const loaded = { key, data, scored: scoredRows(data) };
    this.loaded.set(t.id, loaded);
    return loaded;
  }

  /** Row numbers where `where` holds (null: every row). A bad expression is a LoupeError to show inline. */
  async select(t: EvalTable, where: Predicate | null): Promise<Uint32Array | null> {
    if (!where) return null;
    const sql = toSql(where, t.columns.map((c) => c.name));
    const key = `${t.id}\u0000${sql}`;
    let rows = this.selections.get(key);
    if (!rows) {
      const tab = await this.table(rowsWhereSql(t.id, sql));
      rows = (tab.getChild('r')?.toArray() as Uint32Array | undefined) ?? new Uint32Array(0);
      if (this.selections.size > 200) this.selections.clear();
      this.selections.set(key, rows);
    }
    return rows;
  }

  /** The scored rows of a slice as a dataset of their own. */
  private async rowsOf(t: EvalTable, spec: EvalSpec, where: Predicate | null): Promise<{ data: EvalData; selected: number; loaded: Loaded }> {
    const loaded = await this.load(t, spec);
    const sel = await this.select(t, where);
    const idx = sel ? intersect(loaded.scored, sel) : loaded.scored;
    const data = idx.length === loaded.data.n ? loaded.data : subset(loaded.data, idx);
    return { data, selected: sel ? sel.length : t.rows, loaded };
  }

  private async run(data: EvalData, opts: EvalOptions): Promise<Evaluation> {
    const resamples = opts.resamples ?? 0;
    if (!resamples) return evaluate(data, { resamples: 0 });
    const generation = ++this.bootGeneration;
    return evaluate(data, {
      resamples,
      tick: async (done) => {
        if (done % 5 && done !== resamples) return;
        opts.onProgress?.(done, resamples);
        await new Promise((r) => setTimeout(r, 0));
        if (generation !== this.bootGeneration) throw new LoupeError('cancelled', 'Cancelled: a newer request replaced it.');
      },
    });
  }

  /** Metrics, intervals (when resamples > 0) and chart data of one slice (null: all rows). */
  async evaluate(t: EvalTable, spec: EvalSpec, where: Predicate | null, opts: EvalOptions = {}): Promise<EvalResult> {
    const { data, selected } = await this.rowsOf(t, spec, where);
    const evaluation = await this.run(data, opts);
    const charts: ChartData =
      data.task === 'classification'
        ? { curves: curves(data), reliability: reliability(data), regression: null }
        : { curves: [], reliability: [], regression: regressionCharts(data) };
    return {
      task: data.task,
      classes: data.task === 'classification' ? data.classes : [],
      positive: data.task === 'classification' && data.positive !== null ? data.classes[data.positive] : null,
      selected,
      total: t.rows,
      evaluation,
      charts,
    };
  }

  /** Metrics (and intervals, when resamples > 0) of several slices, in order. */
  async evaluateMany(t: EvalTable, spec: EvalSpec, wheres: Predicate[], opts: EvalOptions = {}): Promise<Evaluation[]> {
    const out: Evaluation[] = [];
    for (const w of wheres) out.push(await this.run((await this.rowsOf(t, spec, w)).data, { ...opts, onProgress: undefined }).then((e) => (opts.onProgress?.(out.length + 1, wheres.length), e)));
    return out;
  }

  /** "Slice by column": one group per frequent value, or per quantile bin of a numeric column. */
  async groups(t: EvalTable, column: string, bins = 5): Promise<Group[]> {
    const p = t.columns.find((c) => c.name === column);
    if (!p) throw new LoupeError('unknown-column', `Unknown column ${JSON.stringify(column)}.`, { column });
    if (binsNumeric(p)) {
      const r = (await this.table(quantileEdgesSql(t.id, column, Math.max(2, Math.floor(bins))))).get(0)!.toJSON();
      const edges = Array.from((r.q as { toArray(): ArrayLike<number> } | null)?.toArray() ?? [], Number);
      return binGroups(column, Number(r.lo), Number(r.hi), edges, p.nulls > 0);
    }
    const top = (await this.table(topValuesSql(t.id, column, p))).toArray().map((r) => ({ v: r.v == null ? null : String(r.v) }));
    return valueGroups(column, p, top);
  }

  /** The whole JSON report: overall, `--by` groups and `--where` slices. */
  async report(t: EvalTable, spec: EvalSpec, opts: { by?: string[]; where?: Predicate[]; resamples: number; bins?: number }): Promise<EvalReport> {
    const loaded = await this.load(t, spec);
    const run = async (where: Predicate | null) => this.run((await this.rowsOf(t, spec, where)).data, { resamples: opts.resamples });
    const overall = await run(null);
    const groups = [];
    for (const column of opts.by ?? []) {
      const values = [];
      for (const g of await this.groups(t, column, opts.bins)) values.push({ label: g.label, evaluation: await run(g.where) });
      groups.push({ column, values });
    }
    const slices = [];
    for (const w of opts.where ?? []) slices.push({ where: w.kind === 'sql' ? w.sql.trim() : toSql(w, t.columns.map((c) => c.name)), evaluation: await run(w) });
    return toReport({ data: loaded.data, skipped: loaded.data.n - loaded.scored.length, threshold: spec.threshold ?? null, overall, groups, slices });
  }

  /** Row numbers of a slice from `offset`, for paging its rows. */
  async sliceRows(t: EvalTable, where: Predicate, offset: number, limit: number): Promise<{ rowids: number[]; count: number }> {
    const sel = (await this.select(t, where))!;
    return { rowids: Array.from(sel.subarray(offset, offset + limit)), count: sel.length };
  }
}

function f64(t: Table, name: string): Float64Array {
  const v = t.getChild(name)!.toArray();
  return v instanceof Float64Array ? v : Float64Array.from(v as ArrayLike<number>);
}

/** Ascending `a` ∩ ascending `b`. */
function intersect(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(Math.min(a.length, b.length));
  let i = 0;
  let j = 0;
  let m = 0;
  while (i < a.length && j < b.length) {
    if (a[i] < b[j]) i++;
    else if (a[i] > b[j]) j++;
    else (out[m++] = a[i]), i++, j++;
  }
  return out.slice(0, m);
}

