import {
  classImbalance,
  correctExactDuplicates,
  exactDuplicateSets,
  nearDuplicates,
  outliers,
} from '../core/datalab/issues';
import { LoupeError } from '../core/errors';
import { computeConfidentJoint, findLabelIssues, qualityScores } from '../core/labels/confidentLearning';
import { DescentNeighbors, recall } from '../core/neighbors/descent';
import { defaultMetric, NearestNeighbors, type Matrix, type Metric, type Neighbors } from '../core/neighbors/knn';
import { checkOptions, type SEARCHES } from '../core/options';
import { sortClasses } from '../core/table/classNames';
import { isNumericKind } from '../core/table/schema';
import type { EvalSpec, EvalTable, Evaluator } from './Evaluator';
import { scoredWithProbs } from './labelIssues';
import { paced } from './pace';

/** The checks, by Datalab's names. */
export const DATA_ISSUE_KINDS = ['near_duplicate', 'outlier', 'class_imbalance', 'label'] as const;
export type DataIssueKind = (typeof DATA_ISSUE_KINDS)[number];

export interface DataIssueOptions {
  /** Which checks (default: near_duplicate, outlier, and class_imbalance and label where the roles allow). */
  issues?: DataIssueKind[];
  /** Neighbours per row (Datalab's default 10). */
  k?: number;
  /** Default: cosine above 3 dimensions, else Euclidean (as Datalab). */
  metric?: Metric;
  /** Exact neighbours, an approximate index, or (auto) exact while it takes about a minute at most. */
  search?: (typeof SEARCHES)[number];
  /** Return every row's id too (for `loupe datalab`; the app asks for the rows it shows). */
  ids?: boolean;
}

/** One check's result: the rows it flags, most severe first, and every row's score (lower is worse; NaN: not scored). */
export interface IssueRows {
  flagged: number[];
  scores: Float64Array;
}

export interface DataIssues {
  rows: number;
  /** What the neighbours were found on. */
  space: {
    source: 'embedding' | 'features';
    columns: string[];
    dims: number;
    metric: Metric;
    k: number;
    search: GraphSearch;
    /** Distinct points among the rows (rows with the same numbers are one point). */
    distinct: number;
  } | null;
  /** Each row's id as `loupe issues` gives it (the id column's value, or the row number), when asked for. */
  ids: string[] | null;
  near_duplicate?: IssueRows & {
    /** Per flagged row (in row order): the row, then its near duplicates, as Datalab's `near_duplicate_sets`. */
    sets: number[][];
    /** The flagged rows whose near duplicates carry another class, most similar first; null when the labels are not classes (regression, none). */
    conflicting: number[] | null;
    median_nn_distance: number;
  };
  outlier?: IssueRows & { issue_threshold: number };
  class_imbalance?: IssueRows & { rarest: string | null };
  label?: IssueRows;
}

/** How a neighbour graph was found: exactly, or by NN-descent with its recall of the exact neighbours (on 100 rows). */
export type GraphSearch = { method: 'exact' } | { method: 'approximate'; rounds: number; recall: number };

/** Above this many multiply-adds (n² × dimensions; about a minute on two cores) the search is approximate. */
const EXACT_WORK = 1e11;

/**
 * Each row's k nearest other rows: exact (as scikit-learn's NearestNeighbors), or approximate by
 * NN-descent when asked or (auto) when the exact search would take over about a minute (`rounds`:
 * NN-descent's, null when exact). Paced (see pace.ts); `onProgress` (the share done) may throw to
 * cancel.
 */
export async function neighbourGraph(
  m: Matrix,
  k: number,
  metric: Metric,
  search: (typeof SEARCHES)[number] = 'auto',
  onProgress?: (done: number) => void,
): Promise<{ graph: Neighbors; rounds: number | null }> {
  const approximate = search === 'approximate' || (search === 'auto' && m.n * m.n * m.d > EXACT_WORK && m.n > 4 * k);
  const nn = approximate ? new DescentNeighbors(m, k, metric) : new NearestNeighbors(m, k, metric);
  await paced(nn.run(), onProgress);
  return { graph: nn.out, rounds: nn instanceof DescentNeighbors ? nn.rounds : null };
}

const flaggedRows = (isIssue: Uint8Array) => [...isIssue.keys()].filter((i) => isIssue[i]);

/** Rows in order of score (lowest first), ties by row; NaN scores left out. */
const byScore = (rows: Iterable<number>, scores: Float64Array) =>
  [...rows].filter((r) => !Number.isNaN(scores[r])).sort((a, b) => scores[a] - scores[b] || a - b);

/**
 * What neighbours and the map are found on — the embedding, else the numeric features — and its
 * numbers as a matrix, every row in file order (a missing value is NaN).
 */
export async function readSpace(
  ev: Evaluator,
  t: EvalTable,
  spec: EvalSpec,
): Promise<{ space: { source: 'embedding' | 'features'; columns: string[] }; m: Matrix }> {
  const e = spec.roles.embedding;
  if (e) {
    const space = { source: 'embedding' as const, columns: e.kind === 'list' ? [e.column] : e.columns };
    return { space, m: await ev.matrix(t, e.kind === 'list' ? { list: e.column } : { columns: e.columns }) };
  }
  const numeric = new Set(t.columns.filter((c) => isNumericKind(c.kind)).map((c) => c.name));
  const columns = spec.roles.features.filter((f) => numeric.has(f));
  if (!columns.length)
    throw new LoupeError(
      'bad-roles',
      'Near duplicates, outliers and the map need an embedding (a list column, or columns emb_0 … emb_n) or numeric feature columns; this table has neither.',
    );
  return { space: { source: 'features', columns }, m: await ev.matrix(t, { columns }) };
}

/**
 * Data issues beyond labels, as cleanlab Datalab finds them: near duplicates and outliers from one
 * exact kNN graph of the embedding (or the numeric features), class imbalance from the labels, and
 * label issues by confident learning. `onProgress` (rows of the graph done) may throw to cancel.
 */
export async function findDataIssues(
  ev: Evaluator,
  t: EvalTable,
  spec: EvalSpec,
  opts: DataIssueOptions,
  onProgress?: (done: number, total: number) => void,
): Promise<DataIssues> {
  const roles = spec.roles;
  for (const i of opts.issues ?? [])
    if (!DATA_ISSUE_KINDS.includes(i))
      throw new LoupeError(
        'bad-usage',
        `Unknown data issue ${JSON.stringify(i)}: choose from ${DATA_ISSUE_KINDS.join(', ')}.`,
      );
  checkOptions({ k: opts.k, metric: opts.metric, search: opts.search }, 'Data issues');
  const wanted = new Set<DataIssueKind>(
    opts.issues ??
      ([
        'near_duplicate',
        'outlier',
        ...(roles.label && roles.task === 'classification' ? ['class_imbalance' as const] : []),
        ...(roles.label && roles.probs && roles.task === 'classification' ? ['label' as const] : []),
      ] as DataIssueKind[]),
  );
  const ids = !opts.ids
    ? null
    : roles.id
      ? (await ev.columnText(t, roles.id)).map((v, r) => v ?? String(r))
      : Array.from({ length: t.rows }, (_, r) => String(r));
  const out: DataIssues = { rows: t.rows, space: null, ids };

  if (wanted.has('near_duplicate') || wanted.has('outlier')) {
    const { space: s, m } = await readSpace(ev, t, spec);
    const k = opts.k ?? 10;
    const metric = opts.metric ?? defaultMetric(m.d);
    const { graph, rounds } = await neighbourGraph(m, k, metric, opts.search, (done) =>
      onProgress?.(Math.round(done * m.n), m.n),
    );
    const search: GraphSearch =
      rounds === null ? { method: 'exact' } : { method: 'approximate', rounds, recall: recall(m, graph) };
    const same = exactDuplicateSets(m);
    const distinct = m.n - same.reduce((a, g) => a + g.length - 1, 0);
    out.space = { ...s, dims: m.d, metric, k, search, distinct };
    correctExactDuplicates(graph, same);
    if (wanted.has('near_duplicate')) {
      const r = nearDuplicates(graph);
      const flagged = byScore(flaggedRows(r.isIssue), r.scores);
      const sets = flaggedRows(r.isIssue).map((i) => [i, ...r.sets[i]]);
      // A regression label differs between any two rows: only classes can conflict.
      const labels = roles.label && roles.task === 'classification' ? await ev.columnText(t, roles.label) : null;
      const conflicting = labels ? flagged.filter((i) => r.sets[i].some((j) => labels[j] !== labels[i])) : null;
      out.near_duplicate = { flagged, scores: r.scores, sets, conflicting, median_nn_distance: r.median };
    }
    if (wanted.has('outlier')) {
      const r = outliers(graph);
      const flagged = byScore(flaggedRows(r.isIssue), r.scores);
      out.outlier = { flagged, scores: r.scores, issue_threshold: r.issueThreshold };
    }
  }

  if (wanted.has('class_imbalance')) {
    if (!roles.label || roles.task !== 'classification')
      throw new LoupeError('bad-roles', 'Class imbalance needs a label column with classes.');
    const labels = await ev.columnText(t, roles.label);
    // Datalab numbers the classes present in sorted order (as np.unique), over the labelled rows.
    const rows = [...labels.keys()].filter((r) => labels[r] !== null);
    const classes = sortClasses(rows.map((r) => labels[r]!));
    const index = new Map(classes.map((c, i) => [c, i]));
    const r = classImbalance(
      rows.map((row) => index.get(labels[row]!)!),
      classes.length,
    );
    const scores = new Float64Array(t.rows).fill(NaN);
    rows.forEach((row, j) => (scores[row] = r.scores[j]));
    out.class_imbalance = {
      flagged: rows.filter((_, j) => r.isIssue[j]),
      scores,
      rarest: r.rarest === null ? null : classes[r.rarest],
    };
  }

  if (wanted.has('label')) {
    const { loaded, data } = await scoredWithProbs(ev, t, spec);
    const found = findLabelIssues(
      data.y,
      data.probs,
      'prune_by_noise_rate',
      'self_confidence',
      computeConfidentJoint(data.y, data.probs),
    );
    const q = qualityScores(data.y, data.probs, 'self_confidence');
    const scores = new Float64Array(t.rows).fill(NaN);
    loaded.scored.forEach((row, j) => (scores[row] = q[j]));
    out.label = { flagged: found.map((j) => loaded.scored[j]), scores };
  }
  return out;
}
