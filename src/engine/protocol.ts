/**
 * The engines as the app sees them: the services the data worker and the model worker expose, and
 * every type that crosses to the app. The app imports from here (types, and the client-side model
 * run), never from the engine's other files; the data worker exposes `dataService(engine)`, which
 * holds exactly the methods listed below, so internals (raw SQL, CSV and Parquet writers) are not
 * reachable from the page.
 */
import type { DataEngine } from './DataEngine';
import type { ModelEngine } from './ModelEngine';
import {
  dataOverPort,
  predictAll,
  servePredictions,
  type DataSide,
  type PredictOptions,
  type PredictSummary,
} from './predict';

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
/** A model's run: feature batches out, predictions staged and committed as columns (served to the model worker on a port). */
const PREDICTIONS = ['featureBatch', 'beginPredictions', 'stagePredictions', 'commitPredictions'] as const;

export type Catalog = Pick<DataEngine, (typeof CATALOG)[number]>;
export type Rows = Pick<DataEngine, (typeof ROWS)[number]>;
export type Metrics = Pick<DataEngine, (typeof METRICS)[number]>;
export type Slices = Pick<DataEngine, (typeof SLICES)[number]>;
export type Review = Pick<DataEngine, (typeof REVIEW)[number]>;
export type DataIssuesService = Pick<DataEngine, (typeof DATA_ISSUES)[number]>;
export type MapService = Pick<DataEngine, (typeof MAP)[number]>;
/** A model's run: the data side handed to the model worker on a port of a MessageChannel (see servePredictions). */
export interface Predictions {
  predictionPort(port: MessagePort): void;
}
/** What the data worker exposes. */
export type DataService = Catalog & Rows & Metrics & Slices & DataIssuesService & MapService & Review & Predictions;
/** A model's run as the page starts it: everything but the callbacks, which become `onProgress` and `cancelPredict`. */
export type PredictRequest = Omit<PredictOptions, 'onProgress' | 'cancelled'>;
/** What the model worker exposes (onnxruntime-web, TF.js), and the run of a model over a dataset. */
export type ModelService = Pick<ModelEngine, 'load' | 'loadTfjs' | 'info' | 'check' | 'run' | 'dispose'> & {
  /** Runs the model, pulling features from the data worker on `port` (see Predictions.predictionPort). */
  predict(
    port: MessagePort,
    o: PredictRequest,
    onProgress: (done: number, total: number) => void,
  ): Promise<PredictSummary>;
  /** Stops the run between batches: it rejects with a `cancelled` error and adds nothing. */
  cancelPredict(): void;
};

const DATA_METHODS = [...CATALOG, ...ROWS, ...METRICS, ...SLICES, ...DATA_ISSUES, ...MAP, ...REVIEW];

/** Work the engine does when nothing else is asked of it (it waits for the rest): histograms, the roles' checks, slice features, the error tree. */
const BACKGROUND = new Set<string>(['histograms', 'validate', 'prepareSlices', 'errorTree', 'whenReady']);

/** The data service of an engine: its listed methods, bound, and nothing else; the app's requests are counted as foreground work. */
export function dataService(engine: DataEngine): DataService {
  const bound = (m: keyof DataEngine) => {
    const call = (engine[m] as (...args: unknown[]) => unknown).bind(engine);
    return BACKGROUND.has(m) ? call : (...args: unknown[]) => engine.foreground(async () => call(...args));
  };
  const service: Record<string, unknown> = Object.fromEntries(DATA_METHODS.map((m) => [m, bound(m)]));
  const side = Object.fromEntries(PREDICTIONS.map((m) => [m, bound(m)])) as unknown as DataSide;
  service.predictionPort = (port: MessagePort) => servePredictions(side, port);
  return service as unknown as DataService;
}

/** The model service of an engine: its methods, and runs that pull their data from the data worker. */
export function modelService(engine: ModelEngine): ModelService {
  let cancelled = false;
  return {
    load: engine.load.bind(engine),
    loadTfjs: engine.loadTfjs.bind(engine),
    info: engine.info.bind(engine),
    check: engine.check.bind(engine),
    run: engine.run.bind(engine),
    dispose: engine.dispose.bind(engine),
    async predict(port, o, onProgress) {
      cancelled = false;
      try {
        return await predictAll(dataOverPort(port), engine, { ...o, onProgress, cancelled: () => cancelled });
      } finally {
        port.close();
      }
    },
    cancelPredict() {
      cancelled = true;
    },
  };
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
export type { PredictSummary } from './predict';
