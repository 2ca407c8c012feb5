/**
 * The engines as the app sees them: the services the data worker and the model worker expose, and
 * every type that crosses to the app. The app imports from here (types, and the client-side model
 * run), never from the engine's other files; the data worker exposes `dataService(engine)`, which
 * holds exactly the methods listed below, so internals (raw SQL, CSV and Parquet writers) are not
 * reachable from the page.
 */
import type { DataEngine } from './DataEngine';
import type { ModelEngine } from './ModelEngine';

/** Datasets: opening, roles, joining, exporting, closing. */
export const CATALOG = [
  'whenReady',
  'cancel',
  'list',
  'open',
  'histograms',
  'close',
  'roles',
  'detect',
  'validate',
  'renormalise',
  'joinOnId',
  'labelClasses',
  'exportTable',
  'cellBytes',
] as const;
/** Rows and columns: pages, row sets (slices, sorted, filtered), ids, a column's groups. */
export const ROWS = ['rows', 'rowSet', 'rowSetPosition', 'rowSetPage', 'rowsOfIds', 'idsOfRows', 'groups'] as const;
/** Metrics of slices and groups, the JSON report, fairness, comparison of two models, drift. */
export const METRICS = [
  'evaluate',
  'stopIntervals',
  'evaluateMany',
  'evaluateGroups',
  'reportJson',
  'fairness',
  'compare',
  'drift',
] as const;
/** Failing slices: SliceLine and the error tree. */
export const SLICES = ['findSlices', 'errorTree', 'cancelSlices', 'prepareSlices'] as const;
/** Data issues beyond labels (Datalab's checks on a kNN graph of the embedding or features). */
export const DATA_ISSUES = ['dataIssues', 'cancelDataIssues'] as const;
/** The map of the rows: a 2-D projection and its colours. */
export const MAP = ['projection', 'cancelProjection', 'mapLayer'] as const;
/** Label review: queues, decisions mirrored into DuckDB, reviewers, merges, exports. */
export const REVIEW = [
  'labelIssues',
  'syncReviews',
  'updateReviews',
  'reviewSummary',
  'exportCorrected',
  'importReviewer',
  'removeReviewer',
  'reviewMerge',
  'reviewLabelsOf',
  'mergedLabelsCsv',
  'parquetFromColumns',
] as const;
/** A model's run: feature batches out, predictions staged and committed as columns. */
export const PREDICTIONS = ['featureBatch', 'beginPredictions', 'stagePredictions', 'commitPredictions'] as const;

export type Catalog = Pick<DataEngine, (typeof CATALOG)[number]>;
export type Rows = Pick<DataEngine, (typeof ROWS)[number]>;
export type Metrics = Pick<DataEngine, (typeof METRICS)[number]>;
export type Slices = Pick<DataEngine, (typeof SLICES)[number]>;
export type Review = Pick<DataEngine, (typeof REVIEW)[number]>;
export type DataIssuesService = Pick<DataEngine, (typeof DATA_ISSUES)[number]>;
export type MapService = Pick<DataEngine, (typeof MAP)[number]>;
export type Predictions = Pick<DataEngine, (typeof PREDICTIONS)[number]>;
/** What the data worker exposes. */
export type DataService = Catalog & Rows & Metrics & Slices & DataIssuesService & MapService & Review & Predictions;
/** What the model worker exposes (onnxruntime-web, TF.js). */
export type ModelService = Pick<ModelEngine, 'load' | 'loadTfjs' | 'info' | 'check' | 'run' | 'dispose'>;

const DATA_METHODS = [...CATALOG, ...ROWS, ...METRICS, ...SLICES, ...DATA_ISSUES, ...MAP, ...REVIEW, ...PREDICTIONS];

/** Work the engine does when nothing else is asked of it (it waits for the rest): histograms, the roles' checks, slice features, the error tree. */
const BACKGROUND = new Set<string>(['histograms', 'validate', 'prepareSlices', 'errorTree', 'whenReady']);

/** The data service of an engine: its listed methods, bound, and nothing else; the app's requests are counted as foreground work. */
export function dataService(engine: DataEngine): DataService {
  const service: Record<string, unknown> = {};
  for (const m of DATA_METHODS) {
    const call = (engine[m] as (...args: unknown[]) => unknown).bind(engine);
    service[m] = BACKGROUND.has(m) ? call : (...args: unknown[]) => engine.foreground(async () => call(...args));
  }
  return service as unknown as DataService;
}

export type { DatasetInfo, LoadProgress, OpenSource, RowPage } from './DataEngine';
export type { ChartData, EvalOptions, EvalResult, EvalSpec, RowOrder, RowTest } from './Evaluator';
export type { ColourBy, MapLayer, MapProjection, ProjectionMethod } from './map';
export type { DataIssueKind, DataIssueOptions, DataIssues, IssueRows } from './dataIssues';
export type { ErrorKind, ErrorTreeNode, FindOptions, FoundSlice, SliceReport } from './SliceFinder';
export type { LabelIssues, QueueSource } from './labelIssues';
export type { MergeSummary, ReviewRow, ReviewSummary } from './reviews';
export type { FairnessReport } from './audit';
export type { Comparison, CompareOptions, GroupChange } from './compare';
export type { ModelInfo, ModelOutput, OutputKind, Backend } from './ModelEngine';
export type { TfjsFiles } from './tfjsModel';
export { predictAll, type PredictSummary } from './predict';
