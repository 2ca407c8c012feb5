import type { ERROR_KINDS } from '../core/options';
import { LoupeError } from '../core/errors';
import { rowStats } from '../core/metrics/classification';
import { subset, type EvalData } from '../core/metrics/data';
import { wilson, Z95, type Interval } from '../core/stats/intervals';
import { isDateTime, sliceable, type Group } from '../core/slices/groups';
import type { Predicate } from '../core/slices/predicate';
import {
  sliceLine,
  type EncodedFeature,
  type SliceLineParams,
  type SliceLineResult,
  type SliceStats,
} from '../core/slices/sliceline';
import { benjaminiHochberg, twoProportionTest, twoSidedP } from '../core/stats/proportions';
import { errorTree, type TreeFeature, type TreeNode, type TreeStep } from '../core/slices/errorTree';
import { isNumericKind } from '../core/table/schema';
import type { Roles } from '../core/table/roles';
import type { Binning, EvalSpec, EvalTable, Evaluator } from './Evaluator';
import { every, nextTask } from './pace';

export type ErrorKind = (typeof ERROR_KINDS)[number];

export interface FindOptions {
  /** Feature columns (default: every feature column; categorical ones with more than 100 values left out). */
  features?: string[];
  k?: number;
  maxLevel?: number;
  alpha?: number;
  /** Default max(32, ⌈n/100⌉). */
  minSupport?: number;
  /** Bins for numeric columns, and how they are cut. */
  bins?: number;
  binning?: Binning;
  error?: ErrorKind;
  /** Errors given per row instead (model comparison: B wrong where A was right), over these rows. */
  custom?: { rows: Uint32Array; errors: Float64Array };
}

export interface FoundSlice {
  predicates: Record<string, string>;
  /** The slice as a predicate tree (to save it, filter by it, show its rows). */
  where: Predicate;
  size: number;
  errors: number;
  error_rate: number;
  lift: number;
  score: number;
  interval: Interval | null;
  p_value: number | null;
  p_adjusted: number | null;
}

export interface SliceReport {
  params: {
    k: number;
    max_level: number;
    alpha: number;
    min_support: number;
    bins: number;
    binning: Binning;
    error: ErrorKind;
    features: string[];
  };
  rows: number;
  baseline_error_rate: number;
  /** Slices whose size and error were computed; the p-values are adjusted over all of them. */
  evaluated: number;
  /** Milliseconds the search took (after reading the features). */
  search_ms: number;
  levels: SliceLineResult['levels'];
  /** The bins of numeric features: column → bin labels. */
  bins: Record<string, string[]>;
  slices: FoundSlice[];
}

const MAX_CATEGORIES = 100;

/** Each scored row's error under `kind`. */
function errorsOf(d: EvalData, kind: ErrorKind): Float64Array {
  const n = d.n;
  const e = new Float64Array(n);
  if (d.task === 'regression') {
    if (kind !== 'absolute' && kind !== 'squared')
      throw new LoupeError('bad-usage', `--error ${kind} is for classification; regression takes absolute or squared.`);
    const { y, pred } = d;
    for (let i = 0; i < n; i++) e[i] = kind === 'absolute' ? Math.abs(y[i] - pred[i]) : (y[i] - pred[i]) ** 2;
    return e;
  }
  const { y, pred, probs } = d;
  if (kind === 'misclassified') {
    for (let i = 0; i < n; i++) e[i] = y[i] === pred[i] ? 0 : 1;
    return e;
  }
  if (kind === 'absolute' || kind === 'squared')
    throw new LoupeError(
      'bad-usage',
      `--error ${kind} is for regression; classification takes misclassified, logloss or true-class-prob.`,
    );
  if (!probs) throw new LoupeError('bad-usage', `--error ${kind} needs probabilities.`);
  if (kind === 'logloss') return Float64Array.from(rowStats(d).ll);
  for (let i = 0; i < n; i++) e[i] = 1 - probs[y[i]][i];
  return e;
}

/** The features slice discovery uses unless told: numeric ones, and categorical ones of at most 100 values. */
export function defaultFeatures(t: EvalTable, roles: Roles): string[] {
  const profile = (c: string) => t.columns.find((p) => p.name === c);
  return roles.features.filter((c) => sliceable(profile(c), MAX_CATEGORIES));
}

/** How each feature is encoded: numeric ones in `bins` bins, the others by value. */
export function encodings(t: EvalTable, names: string[], bins = 5, binning: Binning = 'quantile') {
  return names.map((column) => {
    const p = t.columns.find((x) => x.name === column);
    const binned = isNumericKind(p?.kind ?? 'other') || isDateTime(p);
    return { column, bins, limit: binned ? bins : MAX_CATEGORIES, binning };
  });
}

/** The chosen (or default) feature columns as value / bin codes of the scored rows. */
async function encodeFeatures(
  ev: Evaluator,
  t: EvalTable,
  spec: EvalSpec,
  chosen: string[] | undefined,
  bins: number,
  scored: Uint32Array,
  binning: Binning = 'quantile',
) {
  const profile = (c: string) => t.columns.find((p) => p.name === c);
  const names = chosen ?? defaultFeatures(t, spec.roles);
  for (const c of names)
    if (!profile(c)) throw new LoupeError('unknown-column', `Unknown column ${JSON.stringify(c)}.`, { column: c });
  const encoded = await ev.encodeMany(t, encodings(t, names, bins, binning));
  const grouped = names.map((column, j) => ({
    column,
    numeric: isNumericKind(profile(column)!.kind),
    dated: isDateTime(profile(column)),
    groups: encoded[j].groups,
  }));
  const features: EncodedFeature[] = encoded.map(({ groups, codes }, j) => {
    const mine = new Int32Array(scored.length);
    for (let i = 0; i < scored.length; i++) mine[i] = codes[scored[i]];
    return { name: names[j], labels: groups.map((x) => x.label), codes: mine };
  });
  return { names, grouped, features };
}

/**
 * Finds the slices where the model fails (SliceLine over the scored rows), with each slice's error
 * rate, Wilson interval, lift and a p-value against the rest adjusted (Benjamini–Hochberg) over
 * every slice the search evaluated.
 */
export async function findSlices(
  ev: Evaluator,
  t: EvalTable,
  spec: EvalSpec,
  o: FindOptions,
  onProgress?: (level: number, done: number, total: number) => void,
): Promise<SliceReport> {
  const loaded = await ev.load(t, spec);
  const kind: ErrorKind = o.error ?? (loaded.data.task === 'regression' ? 'absolute' : 'misclassified');
  const rows = o.custom?.rows ?? loaded.scored;
  const errors =
    o.custom?.errors ?? errorsOf(loaded.data.n === rows.length ? loaded.data : subset(loaded.data, rows), kind);
  const n = errors.length;
  const bins = o.bins ?? 5;
  const { names, grouped, features } = await encodeFeatures(ev, t, spec, o.features, bins, rows, o.binning);
  const params: SliceLineParams = {
    k: o.k ?? 10,
    maxLevel: o.maxLevel ?? 3,
    alpha: o.alpha ?? 0.95,
    minSupport: o.minSupport ?? Math.max(32, Math.ceil(n / 100)),
  };
  const t0 = performance.now();
  const due = every();
  const r = await sliceLine(features, errors, params, async (level, done, total) => {
    if (!due() && done < total) return;
    await nextTask();
    onProgress?.(level, done, total); // may throw to cancel
  });
  const binary = errors.every((e) => e === 0 || e === 1);
  const total = r.averageError * n;
  let sumSq = 0;
  for (let i = 0; i < n; i++) sumSq += errors[i] * errors[i];
  // Each evaluated slice against the rest: two proportions for 0/1 errors, otherwise a z-test of
  // the mean errors (variances from the sums of squares of the slice and of the rest).
  const pOf = (s: SliceStats): number | null => {
    const rest = n - s.size;
    if (binary) return twoProportionTest(s.errors, s.size, total - s.errors, rest);
    if (s.size < 2 || rest < 2) return null;
    const m1 = s.errors / s.size;
    const m2 = (total - s.errors) / rest;
    const v1 = (s.squares - s.size * m1 * m1) / (s.size - 1);
    const v2 = (sumSq - s.squares - rest * m2 * m2) / (rest - 1);
    const se = Math.sqrt(v1 / s.size + v2 / rest);
    return se > 0 ? twoSidedP((m1 - m2) / se) : null;
  };
  const ps = r.evaluated.map(pOf);
  const adjusted = benjaminiHochberg(ps);
  const keyOf = (preds: [number, number][]) => preds.map((x) => x.join(':')).join('|');
  const tested = new Map(r.evaluated.map((s, i) => [keyOf(s.predicates), { p: ps[i], adjusted: adjusted[i] }]));
  const slices: FoundSlice[] = r.top.map((s) => {
    const rate = s.errors / s.size;
    const t = tested.get(keyOf(s.predicates));
    const sd = Math.sqrt(Math.max(0, (s.squares - s.size * rate * rate) / Math.max(1, s.size - 1)));
    const half = (Z95 * sd) / Math.sqrt(s.size);
    return {
      predicates: Object.fromEntries(s.predicates.map(([f, v]) => [features[f].name, features[f].labels[v]])),
      where: { kind: 'and', items: s.predicates.map(([f, v]) => grouped[f].groups[v].where) },
      size: s.size,
      errors: s.errors,
      error_rate: rate,
      lift: rate / r.averageError,
      score: s.score,
      interval: binary ? wilson(s.errors, s.size) : [rate - half, rate + half],
      p_value: t?.p ?? null,
      p_adjusted: t?.adjusted ?? null,
    };
  });
  return {
    params: {
      k: params.k,
      max_level: params.maxLevel,
      alpha: params.alpha,
      min_support: params.minSupport,
      bins,
      binning: o.binning ?? 'quantile',
      error: kind,
      features: names,
    },
    rows: n,
    baseline_error_rate: r.averageError,
    evaluated: r.evaluated.length,
    search_ms: performance.now() - t0,
    levels: r.levels,
    bins: Object.fromEntries(
      grouped
        .filter((g) => (g.numeric || g.dated) && g.groups.some((x) => x.label.startsWith('[')))
        .map((g) => [g.column, g.groups.map((x) => x.label)]),
    ),
    slices,
  };
}

export interface ErrorTreeNode {
  /** How the node is reached from its parent ("" for the root), and from the root. */
  label: string;
  name: string;
  where: Predicate | null;
  size: number;
  errors: number;
  error_rate: number;
  /** Share of all errors in this node, and share of all rows. */
  coverage: number;
  share: number;
  children: ErrorTreeNode[];
}

/** The error tree over the same features and errors as slice discovery (depth ≤ 4, leaves ≥ 1% of rows by default). */
export async function findErrorTree(
  ev: Evaluator,
  t: EvalTable,
  spec: EvalSpec,
  o: FindOptions & { maxDepth?: number; minLeaf?: number },
  pause?: () => Promise<void>,
): Promise<ErrorTreeNode> {
  const loaded = await ev.load(t, spec);
  const d = loaded.data.n === loaded.scored.length ? loaded.data : subset(loaded.data, loaded.scored);
  const errors = errorsOf(d, o.error ?? (d.task === 'regression' ? 'absolute' : 'misclassified'));
  const { grouped, features } = await encodeFeatures(ev, t, spec, o.features, o.bins ?? 5, loaded.scored, o.binning);
  const treeFeatures: TreeFeature[] = features.map((f, j) => ({
    ...f,
    ordered: grouped[j].numeric && grouped[j].groups.some((g) => g.label.startsWith('[')),
    nullCode: grouped[j].groups.findIndex((g) => g.where.kind === 'cond' && g.where.op === 'is-null'),
  }));
  const root = await errorTree(
    treeFeatures,
    errors,
    { maxDepth: o.maxDepth ?? 4, minLeaf: o.minLeaf ?? Math.max(1, Math.ceil(d.n / 100)) },
    pause,
  );
  let total = 0;
  for (const e of errors) total += e;
  const stepOf = (st: TreeStep): { label: string; where: Predicate } => {
    const g = grouped[st.f];
    const col = g.column;
    if (st.op === 'lt') {
      const lower = g.groups[st.v].where;
      const edge =
        lower.kind === 'and'
          ? ((lower.items.find((x) => x.kind === 'cond' && x.op === '>=') as { value: number } | undefined)?.value ?? 0)
          : 0;
      const hasNull = treeFeatures[st.f].nullCode! >= 0;
      const shown = Number(edge.toPrecision(4));
      return st.side
        ? { label: `${col} < ${shown}`, where: { kind: 'cond', column: col, op: '<', value: edge } }
        : {
            label: `${col} ≥ ${shown}${hasNull ? ' or null' : ''}`,
            where: hasNull
              ? {
                  kind: 'or',
                  items: [
                    { kind: 'cond', column: col, op: '>=', value: edge },
                    { kind: 'cond', column: col, op: 'is-null' },
                  ],
                }
              : { kind: 'cond', column: col, op: '>=', value: edge },
          };
    }
    const grp = g.groups[st.v];
    // A bin (of dates: the tree takes them as groups) is a range: "in", as slices are described.
    const range = g.dated && grp.label.startsWith('[');
    if (st.side) return { label: `${col} ${range ? 'in' : '='} ${grp.label}`, where: grp.where };
    // "Not this group" is the union of the others (the groups partition the rows).
    return {
      label: `${col} ${range ? 'not in' : '≠'} ${grp.label}`,
      where: { kind: 'or', items: g.groups.filter((_, i) => i !== st.v).map((x) => x.where) },
    };
  };
  const convert = (n: TreeNode): ErrorTreeNode => {
    const steps = n.path.map(stepOf);
    return {
      label: steps.at(-1)?.label ?? '',
      name: steps.map((x) => x.label).join(' AND '),
      where: steps.length ? { kind: 'and', items: steps.map((x) => x.where) } : null,
      size: n.size,
      errors: n.errors,
      error_rate: n.size ? n.errors / n.size : 0,
      coverage: total ? n.errors / total : 0,
      share: d.n ? n.size / d.n : 0,
      children: n.children.map(convert),
    };
  };
  return convert(root);
}
