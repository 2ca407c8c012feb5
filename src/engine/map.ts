import { LoupeError } from '../core/errors';
import { UMAP_MAX_ROWS } from '../core/options';
import { defaultMetric, type Matrix } from '../core/neighbors/knn';
import { pca, standardised } from '../core/neighbors/pca';
import { Umap } from '../core/neighbors/umap';
import type { Predicate } from '../core/slices/predicate';
import { isNumericKind } from '../core/table/schema';
import { neighbourGraph, readSpace } from './dataIssues';
import { labelsOnly, type EvalSpec, type EvalTable, type Evaluator } from './Evaluator';
import { paced } from './pace';

/** A 2-D map of the rows: where each row lies, and what it was drawn from. */
export interface MapProjection {
  rows: number;
  /** x at 2i, y at 2i + 1. */
  xy: Float32Array;
  method: ProjectionMethod;
  /** Share of the variance on each axis. */
  explained: [number, number];
  source: 'embedding' | 'features';
  columns: string[];
  dims: number;
}

export type ProjectionMethod = 'pca' | 'umap';

/** What colours the points. */
export type ColourBy = { kind: 'label' | 'pred' | 'correct' | 'quality' | 'none' } | { kind: 'column'; column: string };

/** Colours for the points: a category per row (255: none), or a number per row (NaN: none). */
export type MapLayer = (
  | { kind: 'category'; codes: Uint8Array; names: string[] }
  | { kind: 'number'; values: Float32Array; min: number; max: number }
) & {
  /** Rows of the active slice (1), when one is active. */
  highlight: Uint8Array | null;
};

/** Categories drawn in colour; the rest are "other". */
const MAX_CATEGORIES = 12;
const NONE = 255;

/**
 * The map: PCA of the embedding (centred), else of the numeric features (standardised: they differ
 * in units); or UMAP (seeded) up to UMAP_MAX_ROWS rows, on the neighbour graph of the same
 * numbers (exact below 4,096 rows, else NN-descent, as umap-learn chooses). `onProgress` (a
 * fraction, and what is happening) may throw to cancel.
 */
export async function projectRows(
  ev: Evaluator,
  t: EvalTable,
  spec: EvalSpec,
  method: ProjectionMethod = 'pca',
  onProgress?: (done: number, stage: string) => void,
): Promise<MapProjection> {
  if (method === 'umap' && t.rows > UMAP_MAX_ROWS)
    throw new LoupeError(
      'bad-usage',
      `UMAP is offered up to ${UMAP_MAX_ROWS.toLocaleString('en-US')} rows; this table has ${t.rows.toLocaleString('en-US')}. PCA maps every row.`,
    );
  const { space: s, m } = await readSpace(ev, t, spec);
  // Missing values sit at the column's mean rather than refusing the map.
  const means = new Float64Array(m.d);
  const counts = new Float64Array(m.d);
  m.data.forEach((v, i) => Number.isFinite(v) && ((means[i % m.d] += v), counts[i % m.d]++));
  m.data.forEach((v, i) => !Number.isFinite(v) && (m.data[i] = counts[i % m.d] ? means[i % m.d] / counts[i % m.d] : 0));
  const base = { rows: m.n, method, ...s, dims: m.d };
  const x = s.source === 'features' ? standardised(m) : m;
  if (method === 'pca') {
    const p = pca(x);
    return { ...base, xy: p.xy, explained: p.explained };
  }
  return { ...base, xy: await umapLayout(x, onProgress), explained: [0, 0] };
}

/** UMAP with 15 neighbours (the row itself among them, as umap-learn counts), seeded, from the PCA map. */
export async function umapLayout(m: Matrix, onProgress?: (done: number, stage: string) => void): Promise<Float32Array> {
  const k = Math.min(15, m.n) - 1;
  if (k < 2) throw new LoupeError('bad-usage', 'UMAP needs at least 3 rows.');
  // As umap-learn: exact neighbours below 4,096 rows, NN-descent from there.
  const search = m.n < 4096 ? 'exact' : 'approximate';
  const { graph } = await neighbourGraph(m, k, defaultMetric(m.d), search, (done) =>
    onProgress?.(0.5 * done, 'nearest neighbours'),
  );
  const u = new Umap(graph, pca(m).xy);
  await paced(u.run(), (done) => onProgress?.(0.5 + 0.5 * done, 'layout'));
  return u.xy;
}

/** The point colours for `by`, and the active slice's rows. */
export async function mapLayer(
  ev: Evaluator,
  t: EvalTable,
  spec: EvalSpec,
  by: ColourBy,
  highlight: Predicate | null,
): Promise<MapLayer> {
  const sel = await ev.select(t, highlight);
  let mask: Uint8Array | null = null;
  if (sel) {
    mask = new Uint8Array(t.rows);
    for (const r of sel) mask[r] = 1;
  }
  return { ...(await colours(ev, t, spec, by)), highlight: mask };
}

async function colours(ev: Evaluator, t: EvalTable, spec: EvalSpec, by: ColourBy) {
  const n = t.rows;
  if (by.kind === 'none') return { kind: 'category' as const, codes: new Uint8Array(n), names: ['row'] };
  if (by.kind === 'column') {
    const col = t.columns.find((c) => c.name === by.column);
    if (!col) throw new LoupeError('unknown-column', `Unknown column ${JSON.stringify(by.column)}.`);
    if (isNumericKind(col.kind)) {
      const m = await ev.matrix(t, { columns: [col.name] });
      return numbers(Float32Array.from(m.data));
    }
    return categories(await ev.columnText(t, col.name));
  }
  // Coloured by label, the map needs no model.
  const { data, scored } = await ev.load(t, by.kind === 'label' ? labelsOnly(spec) : spec);
  if (data.task === 'regression') {
    const values = new Float32Array(n).fill(NaN);
    const { y, pred } = data;
    for (const r of scored) values[r] = by.kind === 'label' ? y[r] : by.kind === 'pred' ? pred[r] : pred[r] - y[r];
    return numbers(values);
  }
  if (by.kind === 'quality') {
    if (!data.probs) throw new LoupeError('bad-roles', 'Label quality needs class probabilities.');
    const values = new Float32Array(n).fill(NaN);
    const { y, probs } = data;
    for (const r of scored) values[r] = probs[y[r]][r];
    return numbers(values);
  }
  const codes = new Uint8Array(n).fill(NONE);
  if (by.kind === 'correct') {
    const { y, pred } = data;
    for (const r of scored) codes[r] = y[r] === pred[r] ? 0 : 1;
    return { kind: 'category' as const, codes, names: ['right', 'wrong'] };
  }
  const values = by.kind === 'label' ? data.y : data.pred;
  const names = data.classes.slice(0, MAX_CATEGORIES - 1);
  if (data.classes.length > names.length) names.push('other');
  for (const r of scored) codes[r] = Math.min(values[r], names.length - 1);
  return { kind: 'category' as const, codes, names };
}

function numbers(values: Float32Array) {
  let [min, max] = [Infinity, -Infinity];
  for (const v of values) if (Number.isFinite(v)) [min, max] = [Math.min(min, v), Math.max(max, v)];
  return { kind: 'number' as const, values, min: Number.isFinite(min) ? min : 0, max: Number.isFinite(max) ? max : 1 };
}

/** The most frequent values get their own colour, the rest are "other"; missing values none. */
function categories(text: (string | null)[]) {
  const counts = new Map<string, number>();
  for (const v of text) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
  const top = [...counts].sort((a, b) => b[1] - a[1]).map(([v]) => v);
  const names = top.slice(0, top.length > MAX_CATEGORIES ? MAX_CATEGORIES - 1 : MAX_CATEGORIES);
  if (top.length > names.length) names.push('other');
  const index = new Map(names.map((v, i) => [v, i]));
  const codes = Uint8Array.from(text, (v) => (v === null ? NONE : (index.get(v) ?? names.length - 1)));
  return { kind: 'category' as const, codes, names };
}
