import { expose, transfer, wrap } from 'comlink';
import { LoupeError } from '../core/errors';
import { inputDims, inputWidth, type PreprocessSpec } from '../core/models/spec';
import { joinBatches, type PredictionBatch } from './predictions';
import type { ModelOutput, OutputKind } from './ModelEngine';
import type { DatasetInfo } from './DataEngine';

/** Input values read from the data engine per query (16 MB): a chunk of many batches, or one batch of large rows. */
const CHUNK_VALUES = 1 << 22;

/** What running a model needs of the data engine (a worker in the browser, an object in Node). */
export interface DataSide {
  featureBatch(id: string, spec: PreprocessSpec, from: number, count: number): Promise<Float32Array>;
  beginPredictions(id: string, name: string): Promise<void>;
  stagePredictions(id: string, name: string, batch: PredictionBatch, classes: string[] | null): Promise<void>;
  commitPredictions(id: string, name: string, classes: string[] | null, embedding?: boolean): Promise<DatasetInfo>;
}

/** …and of the model engine. */
export interface ModelSide {
  check(
    id: string,
    dims: number[],
    input?: string,
    columns?: string[],
  ): { input: string; output: string } | Promise<{ input: string; output: string }>;
  run(
    id: string,
    data: Float32Array,
    rows: number,
    dims: number[],
    input: string,
    output: string,
    as: OutputKind | 'values',
    embedding?: string | null,
  ): Promise<ModelOutput>;
}

export interface PredictOptions {
  datasetId: string;
  rows: number;
  modelId: string;
  spec: PreprocessSpec;
  /** Model name in the new columns: `pred__<name>`, `prob__<name>__<class>` (and `emb__<name>`). */
  name: string;
  /** A second output of the model added as the list column `emb__<name>` (an embedding for the map and data issues). */
  embeddingOutput?: string | null;
  batchSize: number;
  /** Class names from the model's metadata, and the dataset's label classes (used when their number fits). */
  modelClasses?: string[] | null;
  datasetClasses?: string[] | null;
  onProgress?: (done: number, total: number) => void;
  /** Checked between batches: true stops the run (nothing is written). */
  cancelled?: () => boolean;
}

export interface PredictSummary {
  info: DatasetInfo;
  classes: string[] | null;
  /** Rows whose output held a NaN (their predictions are null). */
  nanRows: number;
  /** What was applied to the outputs. */
  applied: 'none' | 'softmax' | 'sigmoid' | 'regression';
  ms: number;
  /** Of which waiting for the model (inference, and moving the batches to it and back). */
  inferenceMs: number;
  /** Milliseconds until the first batch's predictions were back. */
  firstMs: number;
  /** The embedding column added (`emb__<name>`), and its width. */
  embedding: { column: string; width: number } | null;
}

/**
 * Runs a model over a whole dataset in batches: features from DuckDB → the model → class
 * probabilities (or values) staged in DuckDB, then added as columns in one step at the end (so a
 * cancelled or failed run changes nothing).
 */
export async function predictAll(data: DataSide, models: ModelSide, o: PredictOptions): Promise<PredictSummary> {
  const t0 = performance.now();
  const dims = inputDims(o.spec);
  const { input, output } = await models.check(o.modelId, dims, o.spec.input, o.spec.image ? [] : o.spec.features);
  const embedding = o.embeddingOutput ?? null;
  if (embedding === output)
    throw new LoupeError(
      'bad-model-input',
      `${embedding} is the output the predictions come from; choose another for the embedding.`,
    );
  const regression = o.spec.output?.task === 'regression';
  const batch = Math.max(1, Math.floor(o.batchSize));
  let classes: string[] | null = null;
  let nanRows = 0;
  let applied: PredictSummary['applied'] = regression ? 'regression' : 'none';
  let firstMs = 0;
  let inferenceMs = 0;
  let embeddingWidth = 0;
  await data.beginPredictions(o.datasetId, o.name);
  // Features are read a chunk at a time (many batches: one query each), and the next chunk is
  // read while the model runs over this one's batches; a chunk's results are staged in one message
  // while the model runs over the next. The first chunk is one batch, so that the model starts at once.
  const width = inputWidth(o.spec);
  const chunkRows = Math.max(1, Math.floor(CHUNK_VALUES / width / batch)) * batch;
  const read = (from: number, rows: number) =>
    from < o.rows ? data.featureBatch(o.datasetId, o.spec, from, Math.min(rows, o.rows - from)) : null;
  let pending = read(0, batch);
  let asked = Math.min(batch, o.rows);
  let staging: Promise<void> = Promise.resolve();
  for (let start = 0; start < o.rows;) {
    const chunk = await pending!;
    const rows = chunk.length / width;
    // Results are staged by position: every row asked for must come.
    if (rows !== asked) {
      await staging.catch(() => {});
      throw new LoupeError(
        'query-failed',
        `Rows ${start + 1}–${start + asked} of the dataset gave ${rows} rows of input; the table changed during the run.`,
      );
    }
    pending = read(start + rows, chunkRows);
    asked = Math.min(chunkRows, o.rows - start - rows);
    const results: PredictionBatch[] = [];
    for (let at = 0; at < rows; at += batch) {
      if (o.cancelled?.()) {
        await Promise.allSettled([pending, staging]);
        throw new LoupeError('cancelled', 'Cancelled: no predictions were added.');
      }
      const count = Math.min(batch, rows - at);
      const t1 = performance.now();
      // The model worker turns the outputs into probabilities (or values) too: nothing per row here.
      const r = await models.run(
        o.modelId,
        chunk.subarray(at * width, (at + count) * width),
        count,
        dims,
        input,
        output,
        regression ? 'values' : (o.spec.output?.kind ?? 'auto'),
        embedding,
      );
      inferenceMs += performance.now() - t1;
      if (regression && r.k !== 1)
        throw new LoupeError(
          'bad-model-input',
          `A regression model must give one output per row; this one gives ${r.k}.`,
        );
      if (!regression) {
        classes ??= pickClasses(o, r.k);
        if (r.k !== classes.length)
          throw new LoupeError(
            'bad-model-input',
            `The model gives ${r.outputs} output${r.outputs > 1 ? 's' : ''} per row but there are ${classes.length} class names (${classes.slice(0, 6).join(', ')}${classes.length > 6 ? ', …' : ''}).`,
          );
        if (start + at === 0) applied = r.applied;
      }
      nanRows += r.nan;
      embeddingWidth = r.embedding?.width ?? 0;
      results.push({ rows: count, values: r.values, ...(r.embedding && { embedding: r.embedding }) });
      if (start + at === 0) firstMs = performance.now() - t0;
      o.onProgress?.(start + at + count, o.rows);
    }
    await staging;
    staging = data.stagePredictions(o.datasetId, o.name, joinBatches(results), regression ? null : classes);
    start += rows;
  }
  await staging;
  const info = await data.commitPredictions(o.datasetId, o.name, regression ? null : classes, !!embedding);
  return {
    info,
    classes,
    nanRows,
    applied,
    ms: performance.now() - t0,
    inferenceMs,
    firstMs,
    embedding: embedding ? { column: `emb__${o.name}`, width: embeddingWidth } : null,
  };
}

function pickClasses(o: PredictOptions, k: number): string[] {
  const given = o.spec.output?.classes;
  if (given) return given;
  if (o.modelClasses?.length === k) return o.modelClasses;
  if (o.modelClasses && o.modelClasses.length !== k)
    throw new LoupeError(
      'bad-model-input',
      `The model's metadata names ${o.modelClasses.length} classes but it gives ${k} outputs per row.`,
    );
  if (o.datasetClasses?.length === k) return o.datasetClasses;
  return Array.from({ length: k }, (_, i) => `class_${i}`);
}

/**
 * The data side of a model's run served on a MessagePort (in the data worker): the model worker
 * pulls feature batches straight from it and sends results back, buffers transferred, so a run's
 * data never passes through the page.
 */
export function servePredictions(data: DataSide, port: MessagePort): void {
  const side: DataSide = {
    ...data,
    featureBatch: async (...args) => {
      const x = await data.featureBatch(...args);
      return transfer(x, [x.buffer]);
    },
  };
  expose(side, port);
}

/** The other end, in the model worker: the data side as served by `servePredictions`. */
export function dataOverPort(port: MessagePort): DataSide {
  const remote = wrap<DataSide>(port);
  return {
    featureBatch: (...args) => remote.featureBatch(...args),
    beginPredictions: (id, name) => remote.beginPredictions(id, name),
    stagePredictions: (id, name, batch, classes) => {
      const values = owned(batch.values);
      const emb = batch.embedding && { ...batch.embedding, values: owned(batch.embedding.values) };
      const moved = { ...batch, values, ...(emb && { embedding: emb }) };
      return remote.stagePredictions(
        id,
        name,
        transfer(moved, [values.buffer, ...(emb ? [emb.values.buffer] : [])]),
        classes,
      );
    },
    commitPredictions: (id, name, classes, embedding) => remote.commitPredictions(id, name, classes, embedding),
  };
}

/** An array that owns its whole (transferable) buffer: itself, or a copy of a view or of shared memory. */
function owned<T extends Float32Array | Float64Array>(a: T): T {
  const whole = a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength;
  return whole ? a : (a.slice() as T);
}
