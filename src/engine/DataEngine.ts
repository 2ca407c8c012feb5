import { gunzipSync } from 'fflate';
import { LoupeError, messageOf, plural } from '../core/errors';
import { checkOptions } from '../core/options';
import { freeName, ident, literal } from '../core/sql';
import { detectFormat, isGzip, sniffDelimiter, splitCsvLine, type DataFormat } from '../core/table/format';
import { parseJsonRows } from '../core/table/jsonRows';
import {
  assembleProfiles,
  HISTOGRAM_BINS,
  histogramCounts,
  exactDistinctSql,
  finiteRangeSql,
  histogramSql,
  summarySql,
  topValuesSql,
  type ColumnType,
  type SummaryRow,
} from '../core/table/profileSql';
import { alignIds } from '../core/labels/ids';
import {
  CLASS_NAMES_COLUMN,
  confidenceColumn,
  unusedConfidence,
  countColumn,
  logitColumns,
  detectRoles,
  namesARole,
  type RoleOverrides,
  type Roles,
  type Task,
} from '../core/table/roles';
import { checkWidth, isNumericKind, MAX_COLUMNS, kindOfType, type ColumnProfile } from '../core/table/schema';
import { classExpr, validateRoles, type DataIssue } from '../core/table/validate';
import { arrowToStream, jsonColumnsToIpc } from './arrowIpc';
import { describeDuckError, plainSqlError } from './duckErrors';
import { QueryRunner } from './QueryRunner';
import type { Connector } from './connector';
import {
  MAX_DECOMPRESSED_BYTES,
  MAX_IN_MEMORY_BYTES,
  checkGunzippedSize,
  download,
  gunzipHead,
  jsonText,
  tooLarge,
} from './sources';
import type { ParquetBatch, ParquetBatches } from './parquet';
import { fnv1a } from '../core/hash';
import { neutraliseSql } from '../core/table/csv';
import { parseNpy } from '../core/table/npy';
import { isWorkbook, xlsxToCsv, type Sheet } from '../core/table/xlsx';
import { legacyToUtf8, utf16Encoding, utf16ToUtf8 } from '../core/table/encodings';
import {
  numberStyleOf,
  styledCheckSql,
  styledFixSql,
  listCheckSql,
  listFixSql,
  looksLikeList,
  isShortenedArray,
  isPadded,
  missingFix,
  missingScanParts,
  paddingCheckSql,
  paddingFixSql,
  nonNumbersSql,
  isIndexedClass,
  indexedCheckSql,
  indexedFixSql,
} from '../core/table/missing';
import { reportJson, toReport, type ReportInput } from '../core/metrics/report';
import { parseNames, parseScores, scoreColumns } from '../core/table/scores';
import type { FilterBy, RankBy } from '../core/labels/confidentLearning';
import { fairnessOf, type FairnessReport } from './audit';
import { compare, type CompareOptions, type Comparison } from './compare';
import { drift } from './drift';
import type { DriftReport } from '../core/audit/drift';
import {
  batchIpc,
  joinBatches,
  commitSql,
  featureMatrix,
  featureSql,
  imageBatch,
  imageColumnSql,
  isModelColumn,
  type PredictionBatch,
} from './predictions';
import type { Pixels } from '../core/models/image';
import { inputWidth, type PreprocessSpec } from '../core/models/spec';
import { classNamesSql } from '../core/metrics/evalSql';
import { sortClasses } from '../core/table/classNames';
import { labelIssues, type LabelIssues, type QueueSource } from './labelIssues';
import { findDataIssues, type DataIssueOptions, type DataIssues } from './dataIssues';
import { mapLayer, projectRows, type ColourBy, type MapLayer, type MapProjection, type ProjectionMethod } from './map';
import {
  correctedSql,
  labelsOf,
  mergedCsv,
  mergeSummary,
  REVIEWS_COLUMNS,
  reviewsTable,
  reviewSummary,
  syncReviews,
  updateReviews,
  type MergeSummary,
  type OtherReviewer,
  type ReviewRow,
  type ReviewSummary,
} from './reviews';
import { makeVector, Table, tableToIPC, Utf8, vectorFromArray, type Vector } from 'apache-arrow';

import type { Group } from '../core/slices/groups';
import type { Predicate } from '../core/slices/predicate';
import {
  defaultFeatures,
  encodings,
  findErrorTree,
  findSlices,
  type ErrorTreeNode,
  type FindOptions,
  type SliceReport,
} from './SliceFinder';
import {
  Evaluator,
  sqlOf,
  type EvalOptions,
  type EvalResult,
  type EvalSpec,
  type EvalTable,
  type RowOrder,
  type RowTest,
} from './Evaluator';
import { streamedEvaluations, STREAM_ROWS } from './streamedReport';
import type { Evaluation } from '../core/metrics/report';
import { nextTask } from './pace';

type Progress = (done: number, total: number) => void;

/** A column of class scores by its name (a dict per row, or a struct): its fields are `prob_<class>`. */
const SCORES_COLUMN = /^(.+\.)?(probs?|probas?|probabilit(y|ies)|scores?|confidences|(y|pred|predict)_probas?)$/i;

/** The types DuckDB may sniff in a CSV column: everything but BOOLEAN (see insertCsv). */
const CSV_TYPES = "auto_type_candidates=['BIGINT', 'DOUBLE', 'TIME', 'DATE', 'TIMESTAMP', 'VARCHAR']";

/** Features encoded ahead of time for slice discovery (the evaluator keeps 16 encodings). */
const PREPARED_FEATURES = 12;
/** Quiet time before background work starts after a request. */
const IDLE_MS = 150;
/** Rows of a model's results written per insert. */
const STAGE_ROWS = 262144;
/** Rows per histogram query (a request waits for one at most: ~40 ms on DuckDB-wasm). */
const HISTOGRAM_ROWS = 1 << 19;
/** Chooses, from the columns' names and types, those to profile (see `DataEngine.open`). */
export type PickColumns = (columns: ColumnProfile[]) => string[];

/** A CSV that is not UTF-8 is converted in memory: up to this size. */
const MAX_RECODED_BYTES = 512 * 2 ** 20;
const notUtf8TooLarge = (name: string, bytes: number) =>
  new LoupeError(
    'too-large',
    `${name} is not UTF-8 and is ${(bytes / 2 ** 20).toFixed(0)} MiB: files in other encodings are read up to ${MAX_RECODED_BYTES / 2 ** 20} MiB. Save it as UTF-8 CSV.`,
    { file: name },
  );

/** The fields Label Studio's CSV export adds to a task's data and its annotation. */
const LABEL_STUDIO_FIELDS = ['id', 'annotator', 'annotation_id', 'lead_time', 'created_at', 'updated_at', 'agreement'];

/** Columns profiled per query (see profileColumns). */
const PROFILE_COLUMNS = 48;

/** Whether bytes are valid UTF-8 (a sequence cut at the end of `head` is allowed). */
function isUtf8(head: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** What the engine needs from its platform (browser worker or Node). */
export interface Platform {
  /** DuckDB: every statement, bulk insert and sandbox file goes through it. */
  connector: Connector;
  /** Parquet, read in record batches of Arrow IPC (parquet-wasm), where DuckDB cannot read it. */
  readParquet(file: Blob): Promise<ParquetBatches>;
  /** Decodes an image (PNG, JPEG, …) to RGBA pixels at its own size; only the browser can. */
  decodeImage?(bytes: Uint8Array): Promise<Pixels>;
  /** Arrow IPC stream → Parquet file bytes (parquet-wasm). */
  writeParquet(ipc: Uint8Array): Promise<Uint8Array>;
  /** Makes a local file readable by DuckDB without copying it whole (browser), reporting bytes read. */
  registerFile?(name: string, file: Blob, onRead: (bytes: number) => void): void;
}

/** A file, bytes or a URL to open. */
export interface OpenSource {
  name: string;
  file?: Blob;
  bytes?: Uint8Array;
  url?: string;
  /** The file's resolved path on disk: DuckDB reads it there when it is one of the connector's allowed paths. */
  path?: string;
  /**
   * A folder of Parquet parts (Spark's and pandas' partitioned output): every part's resolved path,
   * read as one table by DuckDB where it lies (`path` and `file` are the first part's).
   */
  parts?: string[];
}

export interface LoadProgress {
  phase: 'download' | 'read' | 'parse' | 'profile';
  message: string;
  done?: number;
  total?: number;
  unit?: 'bytes' | 'rows';
  /**
   * While a large table is profiled (EARLY_ROWS or more): the dataset as it can already be shown — its
   * rows, and its columns' names and types (`unprofiled`). `open` resolves with the profiled one.
   */
  shape?: DatasetInfo;
}

/** Tables with at least this many rows are shown before they are profiled (see LoadProgress.shape). */
export const EARLY_ROWS = 250_000;
/** How long the profile waits after that, so that the view's first rows are read before its scans. */
const FIRST_VIEW_MS = 100;

export interface DatasetInfo {
  id: string;
  name: string;
  format: DataFormat;
  gzip: boolean;
  bytes: number;
  rows: number;
  columns: ColumnProfile[];
  /** SQL for each row's 0-based number in the file (see `rowIdentity`). */
  row: string;
  /** Columns where cells such as NA, None, ? or NaN were read as missing, and how many. */
  missing: { column: string; cells: number }[];
  /** What was changed while reading it, for the person who opened it (rows left out, and why). */
  notes: string[];
  fingerprint: string;
  /** Milliseconds from the start of loading until the table was queryable, and then profiled. */
  timings: { loadMs: number; profileMs: number };
}

export interface RowPage {
  columns: string[];
  /** 0-based row number of the first row. */
  offset: number;
  rows: unknown[][];
  /** Each row's 0-based number in the file, when the page is of a subset. */
  rowids?: number[];
}

/**
 * The data engine: one DuckDB table per open dataset; loading every format, profiling columns,
 * detecting roles, validating them, and paging rows. Runs inside the data worker in the browser and
 * directly in Node (tests, CLI); all heavy work is SQL or typed arrays, never the UI thread.
 */
export class DataEngine {
  private readonly runner: Promise<QueryRunner>;
  private readonly datasets = new Map<string, DatasetInfo>();
  private next = 1;
  private readonly created = performance.now();
  private sliceRun = 0;
  private issuesRun = 0;
  private projectionRun = 0;
  /** Projections by dataset, roles and method (the newest four). */
  private readonly projected = new Map<string, Promise<MapProjection>>();
  private exports = 0;
  /** Other reviewers' labels imported for each dataset. */
  private readonly others = new Map<string, OtherReviewer[]>();
  private readonly evaluator = new Evaluator(async (sql) => {
    const r = await this.runner;
    try {
      return await r.table(sql);
    } catch (e) {
      throw describeDuckError(e, {});
    }
  });

  constructor(private readonly platform: Promise<Platform>) {
    this.runner = platform.then(async ({ connector }) => {
      // Locked before any query: no extension is loaded or installed, no file or URL outside the
      // sandbox directory (and the files the user named, in Node) is reachable, and no query can
      // change a setting again: DuckDB refuses re-enabling external access and any SET after
      // lock_configuration (issue 12).
      const { sandbox, allowedPaths } = connector;
      const settings = [
        'autoload_known_extensions=false',
        'autoinstall_known_extensions=false',
        `allowed_directories=[${literal(sandbox)}]`,
      ]
        .concat(allowedPaths.length ? [`allowed_paths=[${allowedPaths.map(literal).join(', ')}]`] : [])
        .concat(['enable_external_access=false', 'lock_configuration=true']);
      for (const setting of settings) await connector.query(`SET ${setting}`, () => false);
      return new QueryRunner(connector);
    });
  }

  /** Lets DuckDB go (the `loupe` command, when done): nothing runs on this engine afterwards. */
  async dispose(): Promise<void> {
    const { connector } = await this.platform;
    // After the statement running now (and the settings, when the command failed before they ran).
    const runner = await this.runner.catch(() => null);
    runner?.cancel();
    await (runner ? runner.exclusive(async () => connector.close()) : connector.close());
  }

  /** Stops what is running; it rejects with a `cancelled` error and leaves open datasets as they were. */
  async cancel(): Promise<void> {
    (await this.runner).cancel();
  }

  async query(sql: string): Promise<Record<string, unknown>[]> {
    const r = await this.runner;
    try {
      return await r.rows(sql);
    } catch (e) {
      throw describeDuckError(e, {});
    }
  }

  list(): DatasetInfo[] {
    return [...this.datasets.values()];
  }

  /** Resolves once DuckDB has started, with the time since the engine was created (ms). */
  async whenReady(): Promise<number> {
    await this.runner;
    return performance.now() - this.created;
  }

  /**
   * Opens a file as a table and profiles its columns — or, given `pick` (the command line, which
   * reads a few columns of a large file), only those it names from the columns' names and types:
   * the others keep their names and types (`unprofiled`), and there is no fingerprint. Missing
   * tokens and NaN are set to null in every column either way: the data is the same.
   */
  async open(
    src: OpenSource,
    onProgress: (p: LoadProgress) => void = () => {},
    pick?: PickColumns,
    { project = false }: { project?: boolean } = {},
  ): Promise<DatasetInfo> {
    if (!pick || !project) return this.load(src, onProgress, pick ?? true);
    // `project`: a CSV or Parquet file is read with only the columns `pick` names from the file's
    // names and types (a large file's other columns are never converted). When their profiles then
    // name a column that was left out (probabilities named as the label's classes), the file is
    // read again whole.
    const file: { columns?: ColumnType[] } = {};
    const info = await this.load(src, onProgress, pick, file);
    const left = file.columns?.filter((c) => !info.columns.some((p) => p.name === c.name)) ?? [];
    if (!left.length) return info;
    const wanted = new Set(pick([...info.columns, ...left.map(unprofiled)]));
    if (!left.some((c) => wanted.has(c.name))) return info;
    await this.close(info.id);
    return this.load(src, onProgress, pick);
  }

  /**
   * Opens a file as a table; `profile` false: its columns get names and types only (no scan of the
   * data). Given `project` (and `profile` a pick), a CSV or Parquet file that DuckDB reads itself
   * keeps only the picked columns, and `project.columns` is set to all the file's.
   */
  private async load(
    src: OpenSource,
    onProgress: (p: LoadProgress) => void,
    profile: boolean | PickColumns,
    project?: { columns?: ColumnType[] },
  ): Promise<DatasetInfo> {
    const { readParquet, registerFile, connector } = await this.platform;
    const runner = await this.runner;
    const id = `ds_${this.next++}`;
    // DuckDB reads the user's file where it lies when it may (native), else a copy in its sandbox.
    let direct = src.path !== undefined && connector.allowedPaths.includes(src.path);
    if (src.parts && !(connector.readsParquet && src.parts.every((p) => connector.allowedPaths.includes(p))))
      throw new LoupeError(
        'unsupported-format',
        `${src.name} is a folder of Parquet parts, which only native DuckDB reads as one table here.`,
        { file: src.name },
      );
    let file = `${connector.sandbox}${id}.data`;
    let registered = false;
    let utf8Copy: string | null = null;
    /** What to keep of a file DuckDB reads (`from`: its read_csv or read_parquet call): `*`, or the picked columns. */
    const select = async (from: string): Promise<string> => {
      if (!project || typeof profile !== 'function') return '*';
      const rows = await runner.rows<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM ${from}`);
      const columns = rows.map((r) => ({ name: r.column_name, type: r.column_type }));
      const names = new Set(profile(columns.map(unprofiled)));
      const keep = columns.filter((c) => names.has(c.name));
      if (!keep.length || keep.length === columns.length) return '*';
      project.columns = columns;
      return keep.map((c) => ident(c.name)).join(', ');
    };
    return runner.begin(async () => {
      const t0 = performance.now();
      try {
        let bytes = src.bytes;
        let blob = src.file;
        if (src.url) bytes = await download(src.url, src.name, onProgress, () => runner.checkpoint());
        let head = bytes ? bytes.subarray(0, 65536) : new Uint8Array(await blob!.slice(0, 65536).arrayBuffer());
        // UTF-16 text (Excel's "Unicode Text", Windows PowerShell's `>`) is read as its UTF-8 copy.
        const fileBytes = bytes?.byteLength ?? blob!.size;
        const utf16 = utf16Encoding(head);
        if (utf16) {
          if (fileBytes > MAX_RECODED_BYTES) throw notUtf8TooLarge(src.name, fileBytes);
          bytes = utf16ToUtf8(bytes ?? new Uint8Array(await blob!.arrayBuffer()), utf16);
          blob = undefined;
          head = bytes.subarray(0, 65536);
          direct = false;
        }
        // An Excel workbook's first sheet is read as the CSV it holds.
        let sheet: Sheet | null = null;
        if (isWorkbook(src.name, head)) {
          if (fileBytes > MAX_RECODED_BYTES) throw notUtf8TooLarge(src.name, fileBytes);
          sheet = xlsxToCsv(bytes ?? new Uint8Array(await blob!.arrayBuffer()), src.name);
          bytes = sheet.csv;
          blob = undefined;
          head = bytes.subarray(0, 65536);
          direct = false;
        }
        const size = bytes?.byteLength ?? blob?.size ?? 0;
        if (size === 0)
          throw new LoupeError('empty-file', `${src.name} is empty: there is nothing to load.`, { file: src.name });
        const gzip = isGzip(head);
        if (gzip) await checkGunzippedSize(bytes ?? blob!, src.name, () => runner.checkpoint());
        const start = gzip ? gunzipHead(head, src.name) : head;
        const { format } = detectFormat(src.name, start, gzip);
        if (src.parts && format !== 'parquet')
          throw new LoupeError('unsupported-format', `${src.name}: its first part is not a Parquet file.`, {
            file: src.name,
          });
        const whole = async () => {
          if (bytes) return bytes;
          if (size > MAX_IN_MEMORY_BYTES) {
            throw new LoupeError(
              'too-large',
              `${src.name} is ${(size / 2 ** 30).toFixed(1)} GiB; ${format} files above 2 GiB cannot be read in the browser. Convert it to Parquet or CSV (both read in slices) or split it.`,
              { file: src.name },
            );
          }
          onProgress({ phase: 'read', message: `Reading ${src.name}`, done: 0, total: size, unit: 'bytes' });
          return new Uint8Array(await blob!.arrayBuffer());
        };
        const place = async () => {
          if (direct) return (file = src.path!);
          if (blob && registerFile)
            registerFile(file, blob, (n) =>
              onProgress({ phase: 'parse', message: `Parsing ${src.name}`, done: n, total: size, unit: 'bytes' }),
            );
          else await connector.writeFile(file, await whole());
          registered = true;
          return file;
        };
        if (format === 'csv' || format === 'tsv') {
          await place();
          onProgress({ phase: 'parse', message: `Parsing ${src.name}`, done: 0, total: size, unit: 'bytes' });
          // A file that is not UTF-8 (Excel's CSV in western Europe or Japan) is read as Windows-1252 —
          // Latin-1 with “ ” – € in 0x80–0x9F — or Shift-JIS, through a UTF-8 copy in the sandbox.
          const toUtf8 = async () => {
            const data = await whole();
            const plain = gzip ? gunzipSync(data) : data;
            if (plain.length > MAX_RECODED_BYTES) throw notUtf8TooLarge(src.name, plain.length);
            utf8Copy = `${connector.sandbox}${id}.utf8`;
            await connector.writeFile(utf8Copy, legacyToUtf8(plain));
            return utf8Copy;
          };
          await this.insertCsv(runner, id, file, src.name, start, format === 'tsv', gzip, toUtf8, select);
        } else if (format === 'parquet' && connector.readsParquet) {
          onProgress({ phase: 'parse', message: `Reading ${src.name}` });
          const from = src.parts
            ? `read_parquet([${src.parts.map(literal).join(', ')}], union_by_name = true)`
            : `read_parquet(${literal(await place())})`;
          await (async () =>
            runner.exec(`CREATE TABLE ${ident(id)} AS SELECT ${await select(from)} FROM ${from}`))().catch((e) => {
            const why = plainSqlError(String((e as Error)?.message ?? e)).replace(
              /^(IO Error: )?Failed to read file "[^"]*":\s*/i,
              '',
            );
            throw new LoupeError(
              'corrupt-parquet',
              `${src.name} is not a readable Parquet file: ${why.replace(/\.$/, '')}.`,
              { file: src.name },
            );
          });
        } else if (format === 'parquet') {
          await this.insertParquet(
            runner,
            readParquet,
            id,
            blob ?? new Blob([bytes as Uint8Array<ArrayBuffer>]),
            src.name,
            onProgress,
          );
        } else {
          let data = await whole();
          await runner.checkpoint();
          onProgress({ phase: 'parse', message: `Parsing ${src.name}` });
          const plain = () => (gzip ? gunzipSync(data) : data);
          const ipc =
            format === 'arrow'
              ? arrowToStream(data, src.name)
              : jsonColumnsToIpc(
                  format === 'npy'
                    ? parseNpy(plain(), src.name)
                    : parseJsonRows(jsonText(plain(), src.name), format === 'ndjson', src.name),
                );
          await runner.checkpoint();
          await runner.insertArrow(id, ipc, true);
        }
        const profiling = { phase: 'profile', message: `Profiling columns of ${src.name}` } as const;
        onProgress(profiling);
        const base = { id, name: src.name, format: sheet ? ('xlsx' as const) : format, gzip, bytes: fileBytes };
        const info = await this.adopt(runner, base, t0, profile, (shape) => onProgress({ ...profiling, shape }));
        if (sheet?.others.length)
          info.notes.unshift(
            `${src.name} has ${sheet.others.length + 1} sheets: the first, "${sheet.name}", is read (not ${sheet.others.map((n) => `"${n}"`).join(', ')}).`,
          );
        return info;
      } catch (e) {
        await runner.exec(`DROP TABLE IF EXISTS ${ident(id)}`).catch(() => {});
        // DuckDB names the file it read: the user knows it by its name, not by a sandbox path.
        if (e instanceof Error && !(e instanceof LoupeError)) e.message = e.message.split(file).join(src.name);
        throw describeDuckError(e, { file: src.name });
      } finally {
        if (registered) connector.removeFile(file);
        if (utf8Copy) connector.removeFile(utf8Copy);
      }
    });
  }

  /** Gives a freshly created table its row identity and profiles, and lists it as an open dataset. */
  private async adopt(
    runner: QueryRunner,
    base: Pick<DatasetInfo, 'id' | 'name' | 'format' | 'gzip' | 'bytes'>,
    t0: number,
    profile: boolean | PickColumns = true,
    early?: (shape: DatasetInfo) => void,
  ): Promise<DatasetInfo> {
    await this.plainTypes(runner, base.id);
    const row = await this.rowIdentity(runner, base.id);
    const t1 = performance.now();
    /** The table's names, types and rows, without reading its data. */
    const shape = async (): Promise<DatasetInfo> => {
      const types = await this.describe(runner, base.id, row);
      const [{ n }] = await runner.rows<{ n: number }>(`SELECT count(*) AS n FROM ${ident(base.id)}`);
      const columns = types.map(unprofiled);
      const timings = { loadMs: t1 - t0, profileMs: 0 };
      return { ...base, row, rows: Number(n), columns, fingerprint: '', missing: [], notes: [], timings };
    };
    if (!profile) {
      const info = await shape();
      this.datasets.set(base.id, info);
      return info;
    }
    // A large table is listed (its rows can be read) and shown before its profile; the profiled
    // dataset replaces it. The view's first requests (the rows on screen) go before the profile's scans.
    let listed = false;
    if (early) {
      const info = await shape();
      if (info.rows >= this.earlyRows) {
        this.datasets.set(base.id, info);
        listed = true;
        early(info);
        await new Promise((r) => setTimeout(r, FIRST_VIEW_MS));
      }
    }
    try {
      return await this.profiled(runner, base, row, t0, t1, profile);
    } catch (e) {
      if (listed) this.datasets.delete(base.id);
      throw e;
    }
  }

  private async profiled(
    runner: QueryRunner,
    base: Pick<DatasetInfo, 'id' | 'name' | 'format' | 'gzip' | 'bytes'>,
    row: string,
    t0: number,
    t1: number,
    profile: true | PickColumns,
  ): Promise<DatasetInfo> {
    let missing: DatasetInfo['missing'];
    let profiled: Awaited<ReturnType<DataEngine['profile']>>;
    if (profile === true) {
      // The missing-value scan rides on the profile's pass; in the rare file that has such cells they
      // are set to null (or a column becomes numeric) and the table is profiled again.
      profiled = await this.profile(runner, base.id, row, base.name, true);
      missing = await this.fixMissing(runner, base.id, profiled.types, profiled.summary);
      if (missing.length) profiled = await this.profile(runner, base.id, row, base.name, false);
    } else {
      // Missing tokens and NaN first, in one pass over every column: the picked columns' types are then final.
      const types = await this.describe(runner, base.id, row);
      checkWidth(types.length, base.name);
      const [scan] = await runner.rows<SummaryRow>(
        `SELECT ${['count(*) AS n', ...missingScanParts(types, true)].join(', ')} FROM ${ident(base.id)}`,
      );
      missing = await this.fixMissing(runner, base.id, types, scan);
      profiled = await this.profile(runner, base.id, row, base.name, false, profile);
    }
    // Text padded with spaces (a CSV with a space after each delimiter), lists and numbers (1,234.5;
    // 85%) written as text are found from the profiled columns' samples, then trimmed and read as
    // lists and numbers.
    const pick = profile === true ? undefined : profile;
    const text = base.format === 'csv' || base.format === 'tsv' || base.format === 'xlsx';
    const notes: string[] = [];
    const headers = text ? await this.dropRepeatedHeaders(runner, base.id, profiled.types) : 0;
    if (headers) {
      notes.push(
        `${plural(headers, 'row')} repeating the header (files joined end to end) ${headers === 1 ? 'was' : 'were'} left out, and the columns read as what the rest of their values are.`,
      );
      profiled = await this.profile(runner, base.id, row, base.name, false, pick);
    }
    if (
      (await this.fixStructs(runner, base.id, profiled.columns)).length +
      (text ? await this.fixPadding(runner, base.id, profiled.columns) : []).length +
      (await this.fixIndexedClasses(runner, base.id, profiled.columns, notes)).length +
      (await this.fixScores(runner, base.id, row, profiled.columns)).length +
      (await this.fixLists(runner, base.id, profiled.columns, notes)).length +
      (
        await this.fixWrittenNumbers(
          runner,
          base.id,
          profiled.columns,
          base.format !== 'parquet' && base.format !== 'arrow',
        )
      ).length
    )
      profiled = await this.profile(runner, base.id, row, base.name, false, pick);
    // Then, on the types those fixes made: a probability list named by a column of class names, else
    // a binary prediction's confidence, as the classes' probabilities.
    if (
      (await this.fixListNames(runner, base.id, profiled.columns)).length ||
      (await this.fixConfidence(runner, base.id, profiled.columns, profiled.rows, notes)).length ||
      (await this.fixLogits(runner, base.id, profiled.columns, profiled.rows, notes)).length
    )
      profiled = await this.profile(runner, base.id, row, base.name, false, pick);
    if (await this.fixCounts(runner, base.id, row, profiled.columns, profiled.rows, notes))
      profiled = await this.profile(runner, base.id, row, base.name, false, pick);
    const { rows, columns, fingerprint } = profiled;
    const info: DatasetInfo = {
      ...base,
      row,
      rows,
      columns,
      fingerprint,
      missing,
      notes,
      timings: { loadMs: t1 - t0, profileMs: performance.now() - t1 },
    };
    this.datasets.set(base.id, info);
    return info;
  }

  /** CSV/TSV → DuckDB with its own reader, from a registered file; `head` is the (gunzipped) start of the file. */
  private async insertCsv(
    runner: QueryRunner,
    id: string,
    file: string,
    name: string,
    head: Uint8Array,
    tsv: boolean,
    gzip: boolean,
    toUtf8: () => Promise<string>,
    select: (from: string) => Promise<string>,
  ): Promise<void> {
    // Excel's first line "sep=;" names the delimiter; the header follows it.
    const start = new TextDecoder().decode(head); // without a byte order mark
    const hint = /^sep=([,;|\t])\r?\n/.exec(start);
    // NumPy's savetxt writes its header as a comment ("# y_true y_pred") above rows of numbers, its
    // fields one space apart unless told otherwise: the names are read from it, the line skipped.
    const [line0, line1 = ''] = start.split(/\r?\n/, 2);
    const numpy = !hint && /^#\s*\S/.test(line0) && /^\s*[+-]?(\d|\.\d|nan|inf)/i.test(line1);
    const text = hint ? start.slice(hint[0].length) : numpy ? start.slice(line0.length).replace(/^\r?\n/, '') : start;
    // Fields one space apart (savetxt's default): every one of the first lines splits into as many,
    // two or more, none holds another delimiter or a quote, and the rows below the first are numbers.
    const lines = text
      .split(/\r?\n/)
      .slice(0, 20)
      .filter((l) => l.trim());
    const widths = lines.map((l) => l.split(' ').length);
    const spaced =
      !tsv &&
      !hint &&
      lines.length > 1 &&
      !lines.some((l) => /[,;\t|"]/.test(l)) &&
      widths.every((w) => w === widths[0] && w > 1) &&
      lines.slice(1).every((l) => l.split(' ').every((f) => /^([+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|nan)$/i.test(f)));
    const delim = hint ? hint[1] : tsv ? '\t' : spaced ? ' ' : sniffDelimiter(text);
    // The comment names the columns when it has as many fields as the rows below; else it is only a
    // comment (`# generated by …`) above rows without a header, and is skipped all the same.
    const fields = numpy ? splitCsvLine(line0.replace(/^#\s*/, '').trim(), delim) : null;
    const named = fields && fields.length === splitCsvLine(line1.trim(), delim).length ? fields : null;
    const first = named ?? splitCsvLine(text.split(/\r?\n/, 1)[0], delim);
    checkWidth(first.length, name);
    // A first line with no number in it is the header, and so is one that names a label or a
    // prediction (`label,pred,0,1,2`). DuckDB's sniffer, left to itself, takes a text-only file
    // whose header has an empty name (Excel's trailing "label,pred,,") for one without.
    // So is one whose first cell is empty where every line below has one: pandas' index over a Series
    // written with to_csv (`,0` above `0,0.81`).
    const indexHeader =
      first.length > 1 &&
      first[0].trim() === '' &&
      lines.length > 1 &&
      lines.slice(1).every((l) => splitCsvLine(l, delim)[0].trim() !== '');
    const header =
      !named &&
      (first.every((f) => !/^\s*[+-]?(\d+[.,]?\d*|[.,]\d+)([eE][+-]?\d+)?\s*$/.test(f)) ||
        first.some((f) => namesARole(f)) ||
        indexHeader);
    // DuckDB sniffs the header and the types; the dialect is pinned so that a malformed line
    // is an error with its line number rather than a silently re-sniffed one-column table.
    // Files written with a decimal comma (0,953) use ";" between fields: numbers are read with it.
    // No column is sniffed as BOOLEAN: DuckDB would read yes/no, y/n, t/f as booleans and the
    // classes' spellings would be lost; True/False stay text, as written.
    const decimalComma = delim === ';' && /(^|;)\s*-?\d+,\d+\s*(;|\r?$)/m.test(text);
    const opts = (gz = gzip, withHeader = header) =>
      [
        `compression=${literal(gz ? 'gzip' : 'none')}`,
        `delim=${literal(delim)}`,
        `quote='"'`,
        `escape='"'`,
        'strict_mode=true',
        CSV_TYPES,
      ]
        .concat(
          decimalComma ? [`decimal_separator=','`] : [],
          hint || numpy ? ['skip=1'] : [],
          withHeader ? ['header=true'] : [],
          named ? [`header=false, names=[${named.map((n) => literal(n)).join(', ')}]`] : [],
        )
        .join(', ');
    const read = async (file: string, gz = gzip) => {
      const from = `read_csv(${literal(file)}, ${opts(gz)})`;
      await runner.exec(`CREATE TABLE ${ident(id)} AS SELECT ${await select(from)} FROM ${from}`);
    };
    try {
      // Not UTF-8 at the start, or further on: read from its UTF-8 copy.
      if (!isUtf8(head)) await read(await toUtf8(), false);
      else
        await read(file).catch(async (e) =>
          /invalid unicode/i.test(String((e as Error)?.message)) ? read(await toUtf8(), false) : Promise.reject(e),
        );
    } catch (e) {
      // When the sniffer gives up it names no line: read again with the header's columns as
      // text and no sniffing, so DuckDB stops at the first line that does not fit.
      if (!/sniffing/i.test(String((e as Error)?.message))) throw e;
      const columns = `{${first.map((h, i) => `${literal(h || `column${i}`)}: 'VARCHAR'`).join(', ')}}`;
      await runner.exec(
        `SELECT count(*) FROM read_csv(${literal(file)}, ${opts(gzip, false)}, header=true, auto_detect=false, columns=${columns})`,
      );
      throw e;
    }
  }

  /** Parquet → DuckDB one record batch at a time, with progress in rows and a cancel point per batch. */
  private async insertParquet(
    runner: QueryRunner,
    read: Platform['readParquet'],
    id: string,
    file: Blob,
    name: string,
    onProgress: (p: LoadProgress) => void,
  ): Promise<void> {
    let parquet: ParquetBatches;
    try {
      parquet = await read(file);
    } catch (e) {
      throw new LoupeError('corrupt-parquet', `${name} is not a readable Parquet file: ${messageOf(e)}.`, {
        file: name,
      });
    }
    if (parquet.uncompressed > MAX_DECOMPRESSED_BYTES) throw tooLarge(name, parquet.uncompressed);
    checkWidth(parquet.columns, name);
    let done = 0;
    let first = true;
    onProgress({ phase: 'parse', message: `Reading ${name}`, done, total: parquet.rows, unit: 'rows' });
    const it = parquet.batches[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<ParquetBatch>;
      try {
        next = await it.next();
      } catch (e) {
        throw new LoupeError('corrupt-parquet', `${name} is not a readable Parquet file: ${messageOf(e)}.`, {
          file: name,
        });
      }
      if (next.done) break;
      await runner.insertArrow(id, next.value.ipc, first);
      first = false;
      done += next.value.rows;
      onProgress({ phase: 'parse', message: `Reading ${name}`, done, total: parquet.rows, unit: 'rows' });
      await runner.checkpoint().catch(async (e) => (await it.return?.(), Promise.reject(e)));
    }
    if (first) throw new LoupeError('corrupt-parquet', `${name} holds no record batches.`, { file: name });
  }

  /**
   * Columns of types that the rest reads as others, converted once: DECIMAL (a database's export,
   * a Parquet file's) to DOUBLE, as every metric reads numbers (Arrow's decimals reach JS as raw
   * words); UUID to its text.
   */
  private async plainTypes(runner: QueryRunner, id: string): Promise<void> {
    for (const c of await this.describe(runner, id, 'rowid')) {
      const to = /^DECIMAL/i.test(c.type) ? 'DOUBLE' : /^UUID$/i.test(c.type) ? 'VARCHAR' : null;
      if (to) await runner.exec(`ALTER TABLE ${ident(id)} ALTER ${ident(c.name)} SET DATA TYPE ${to}`);
    }
  }

  /**
   * Each row's number in the file. Tables are created whole in file order, so DuckDB's `rowid`
   * is that number, unless a user column is named rowid (in any case) and shadows it: then the
   * table is rebuilt with a column of Loupe's own, named so that no user column has its name, and
   * every query reads that instead (issue 12).
   */
  private async rowIdentity(runner: QueryRunner, id: string): Promise<string> {
    const names = (await this.describe(runner, id, 'rowid')).map((c) => c.name);
    if (!names.some((n) => n.toLowerCase() === 'rowid')) return 'rowid';
    const row = ident(freeName('__loupe_row', names));
    const next = ident(`${id}__rows`);
    await runner.exec(
      `CREATE TABLE ${next} AS SELECT *, CAST(row_number() OVER () - 1 AS UBIGINT) AS ${row} FROM ${ident(id)}`,
    );
    await runner.exec(`DROP TABLE ${ident(id)}`);
    await runner.exec(`ALTER TABLE ${next} RENAME TO ${ident(id)}`);
    return row;
  }

  /** Text columns that hold lists of numbers (pandas' list and array cells in CSV) read as lists; their names. */
  /**
   * Struct columns (Parquet's and Arrow's nested records: a pandas column of dicts) spread into a
   * column per field, as JSON objects are (core/table/jsonRows): `meta.source`; a struct of numbers
   * as a dict of scores is (fixScores): `prob_<field>` when named as probabilities, else `<column>_<field>`;
   * Spark ML's vectors as one list column.
   */
  private async fixStructs(runner: QueryRunner, id: string, columns: ColumnProfile[]): Promise<string[]> {
    const fixed: string[] = [];
    const taken = new Set(columns.map((x) => x.name));
    for (const c of columns) {
      if (/^STRUCT\(.*\)\[\]$/.test(c.type)) {
        if (await this.fixRecords(runner, id, c.name, taken)) fixed.push(c.name);
        continue;
      }
      if (!/^STRUCT\(.*\)$/.test(c.type)) continue;
      const fields = await runner.rows<{ column_name: string; column_type: string }>(
        `DESCRIBE SELECT unnest(${ident(c.name)}) FROM ${ident(id)}`,
      );
      // Spark ML's vector (probability, rawPrediction, features): one list of numbers, sparse ones made dense.
      const q = ident(c.name);
      if (fields.map((f) => f.column_name.toLowerCase()).join() === 'type,size,indices,values') {
        const dense = `list_transform(range(${q}.size), k -> coalesce(${q}['values'][list_position(${q}.indices, k)], 0))`;
        await runner.exec(
          `CREATE OR REPLACE TABLE ${ident(id)} AS SELECT * REPLACE (CAST(CASE WHEN ${q}.type = 1 THEN ${q}['values'] ELSE ${dense} END AS DOUBLE[]) AS ${q}) FROM ${ident(id)}`,
        );
        fixed.push(c.name);
        continue;
      }
      const numbers = fields.every((f) => isNumericKind(kindOfType(f.column_type)));
      const prefix = !numbers ? `${c.name}.` : SCORES_COLUMN.test(c.name) ? 'prob_' : `${c.name}_`;
      const names = fields.map((f) => prefix + f.column_name);
      if (!fields.length || names.some((n) => taken.has(n))) continue;
      const spread = fields.map(
        (f, i) => `struct_extract(${ident(c.name)}, ${literal(f.column_name)}) AS ${ident(names[i])}`,
      );
      await runner.exec(
        `CREATE OR REPLACE TABLE ${ident(id)} AS SELECT * EXCLUDE (${ident(c.name)}), ${spread.join(', ')} FROM ${ident(id)}`,
      );
      names.forEach((n) => taken.add(n));
      fixed.push(c.name);
    }
    return fixed;
  }

  /**
   * A list of records of a class and its probability per row (BigQuery ML's `predicted_<label>_probs`,
   * `[{label, prob}, …]`, in Parquet) made into a `prob_<class>` column per class, in its place.
   * Whether it was one.
   */
  private async fixRecords(runner: QueryRunner, id: string, column: string, taken: Set<string>): Promise<boolean> {
    const q = ident(column);
    const fields = (
      await runner.rows<{ column_name: string }>(`DESCRIBE SELECT unnest(${q}[1]) FROM ${ident(id)}`)
    ).map((f) => f.column_name);
    const label = fields.find((f) => /^(label|class)$/i.test(f));
    const score = fields.find((f) => /^(prob|probability|score)$/i.test(f));
    if (!label || !score) return false;
    const name = (x: string) => `CAST(${x}.${ident(label)} AS VARCHAR)`;
    const classes = (
      await runner.rows<{ c: string }>(
        `SELECT DISTINCT ${name('x')} AS c FROM (SELECT unnest(${q}) AS x FROM ${ident(id)}) WHERE c IS NOT NULL ORDER BY c LIMIT ${MAX_COLUMNS + 1}`,
      )
    ).map((r) => r.c);
    const names = classes.map((c) => `prob_${c}`);
    if (classes.length < 2 || classes.length > MAX_COLUMNS || names.some((n) => taken.has(n))) return false;
    const probs = classes.map(
      (c, i) =>
        `CAST(list_filter(${q}, x -> ${name('x')} = ${literal(c)})[1].${ident(score)} AS DOUBLE) AS ${ident(names[i])}`,
    );
    await runner.exec(
      `CREATE OR REPLACE TABLE ${ident(id)} AS SELECT * EXCLUDE (${q}), ${probs.join(', ')} FROM ${ident(id)}`,
    );
    names.forEach((n) => taken.add(n));
    return true;
  }

  /**
   * A table of counts (see core/table/roles' countColumn) made into the rows it counts: each row
   * repeated `count` times, in file order, without the count. Not when two rows share all their
   * other values (then the column is a feature), nor past 50,000,000 rows. Whether it was expanded.
   */
  private async fixCounts(
    runner: QueryRunner,
    id: string,
    row: string,
    columns: ColumnProfile[],
    rows: number,
    notes: string[],
  ): Promise<boolean> {
    const count = countColumn(columns, rows);
    if (!count) return false;
    const t = ident(id);
    const q = ident(count);
    const others = columns.filter((c) => c.name !== count).map((c) => ident(c.name));
    const [s] = await runner.rows<{ total: number; distinct: number }>(
      `SELECT (SELECT CAST(sum(${q}) AS DOUBLE) FROM ${t}) AS total, (SELECT count(*) FROM (SELECT DISTINCT ${others.join(', ')} FROM ${t})) AS "distinct"`,
    );
    if (Number(s.distinct) !== rows || !(Number(s.total) > 0) || Number(s.total) > 50_000_000) return false;
    // Each row `count` times, numbered in file order (then by repeat): DuckDB's rowid follows the
    // insertion order, or Loupe's own row column is that number.
    // `row` is `rowid` or Loupe's own column, already quoted (see rowIdentity).
    const drop = [q, '"__loupe_k"', '"__loupe_n"', ...(row === 'rowid' ? [] : [row])].join(', ');
    const number = row === 'rowid' ? '' : `, CAST("__loupe_n" AS UBIGINT) AS ${row}`;
    await runner.exec(
      `CREATE OR REPLACE TABLE ${t} AS SELECT * EXCLUDE (${drop})${number} FROM (SELECT t.*, r."__loupe_k", row_number() OVER (ORDER BY t.${row}, r."__loupe_k") - 1 AS "__loupe_n" FROM ${t} AS t, range(CAST(t.${q} AS BIGINT)) AS r("__loupe_k")) ORDER BY "__loupe_n"`,
    );
    notes.push(
      `Each row counts ${count} rows (a table of counts): read as the ${Number(s.total).toLocaleString('en-US')} rows it counts.`,
    );
    return true;
  }

  /**
   * A binary prediction's confidence (see core/table/roles' confidenceColumn) made into the two
   * classes' probabilities, `prob_<class>`: the predicted class's is the confidence, the other's 1 − it.
   */
  private async fixConfidence(
    runner: QueryRunner,
    id: string,
    columns: ColumnProfile[],
    rows: number,
    notes: string[],
  ): Promise<string[]> {
    const found = confidenceColumn(columns, rows);
    const unused = found ? null : unusedConfidence(columns, rows);
    if (unused)
      notes.push(
        `${unused} is the confidence of the predicted class: of more than two classes, it gives no other class's probability, so log loss, ROC AUC and calibration need a probability column per class.`,
      );
    if (!found) return [];
    const names = found.classes.map((c) => `prob_${c}`);
    if (names.some((n) => columns.some((c) => c.name === n))) return [];
    const pred = classExpr(
      found.pred,
      columns.find((c) => c.name === found.pred),
    );
    const conf = `CAST(${ident(found.column)} AS DOUBLE)`;
    if (found.separable) {
      // A score that thresholds the predictions (every row predicted one class scores at most every
      // row predicted the other) is a class's probability; a confidence mixes both classes' rows.
      const [a] = found.classes.map(literal);
      const [s] = await runner.rows<Record<string, number | null>>(
        `SELECT max(${conf}) FILTER (WHERE ${pred} = ${a}) AS a1, min(${conf}) FILTER (WHERE ${pred} = ${a}) AS a0, max(${conf}) FILTER (WHERE ${pred} <> ${a}) AS b1, min(${conf}) FILTER (WHERE ${pred} <> ${a}) AS b0 FROM ${ident(id)}`,
      );
      if (s.a1 === null || s.b1 === null || Number(s.a1) <= Number(s.b0) || Number(s.b1) <= Number(s.a0)) return [];
    }
    const probs = found.classes.map(
      (c, i) => `CASE WHEN ${pred} = ${literal(c)} THEN ${conf} ELSE 1 - ${conf} END AS ${ident(names[i])}`,
    );
    await runner.exec(`CREATE OR REPLACE TABLE ${ident(id)} AS SELECT *, ${probs.join(', ')} FROM ${ident(id)}`);
    notes.push(
      `${found.column} is the confidence of the predicted class (every value is ½ or more${found.separable ? ', and both classes are predicted across its range' : ''}): read as the probabilities ${names.join(' and ')}.`,
    );
    return [found.column];
  }

  /**
   * Logits (see core/table/roles' logitColumns) made into probabilities as the model makes them: a
   * softmax over the `logit_<class>` columns (`prob_<class>`) or the `logits` list (`probs`), a
   * sigmoid of a binary model's one `logit` (`prob`, the positive class's). Computed from the largest
   * logit down, so no exp overflows.
   */
  private async fixLogits(
    runner: QueryRunner,
    id: string,
    columns: ColumnProfile[],
    rows: number,
    notes: string[],
  ): Promise<string[]> {
    const found = logitColumns(columns, rows);
    if (!found) return [];
    const t = ident(id);
    const free = (n: string) => !columns.some((c) => c.name.toLowerCase() === n.toLowerCase());
    let sql: string;
    let made: string;
    if (found.kind === 'columns') {
      const names = found.columns.map((c) => `prob_${c.cls}`);
      if (!names.every(free)) return [];
      const l = found.columns.map((c) => `CAST(${ident(c.column)} AS DOUBLE)`);
      const e = l.map((x) => `exp(${x} - "__max")`);
      sql = `SELECT * EXCLUDE ("__max", "__sum"), ${e.map((x, i) => `${x} / "__sum" AS ${ident(names[i])}`).join(', ')} FROM (SELECT *, ${e.join(' + ')} AS "__sum" FROM (SELECT *, greatest(${l.join(', ')}) AS "__max" FROM ${t}))`;
      made = names.join(', ');
    } else if (found.kind === 'list') {
      if (!free('probs')) return [];
      const q = ident(found.column);
      sql = `SELECT * EXCLUDE ("__exp"), list_transform("__exp", x -> x / list_sum("__exp")) AS "probs" FROM (SELECT *, list_transform(${q}, x -> exp(CAST(x AS DOUBLE) - list_max(${q}))) AS "__exp" FROM ${t})`;
      made = 'probs';
    } else {
      if (!free('prob')) return [];
      const x = `CAST(${ident(found.column)} AS DOUBLE)`;
      sql = `SELECT *, CASE WHEN ${x} >= 0 THEN 1 / (1 + exp(-${x})) ELSE exp(${x}) / (1 + exp(${x})) END AS "prob" FROM ${t}`;
      made = 'prob';
    }
    await runner.exec(`CREATE OR REPLACE TABLE ${t} AS ${sql}`);
    const from = found.kind === 'columns' ? found.columns.map((c) => c.column) : [found.column];
    notes.push(
      `${from.join(', ')} ${from.length === 1 ? 'holds logits' : 'are logits'}: read as the probabilities ${made} by ${found.kind === 'one' ? 'a sigmoid' : 'softmax'}, as the model makes them.`,
    );
    return from;
  }

  /**
   * A probability list beside a column naming its positions, the same in every row (SageMaker
   * Autopilot's `labels`, `['no', 'yes']`, beside `probabilities`; Vertex AI's `prediction.classes`
   * beside `prediction.scores`): a `prob_<class>` column per name, in place of both.
   */
  private async fixListNames(runner: QueryRunner, id: string, columns: ColumnProfile[]): Promise<string[]> {
    const list = columns.find((c) => c.kind === 'list' && SCORES_COLUMN.test(c.name));
    const named = columns.find((c) => c.type === 'VARCHAR' && c.distinct === 1 && CLASS_NAMES_COLUMN.test(c.name));
    const classes = named && parseNames(named.top?.[0]?.value ?? named.sample[0] ?? '');
    const names = classes?.map((c) => `prob_${c}`) ?? [];
    if (!list || !classes || names.some((n) => columns.some((c) => c.name === n))) return [];
    const q = ident(list.name);
    const [{ n }] = await runner.rows<{ n: number }>(
      `SELECT count(*) AS n FROM ${ident(id)} WHERE ${q} IS NOT NULL AND len(${q}) <> ${classes.length}`,
    );
    if (Number(n)) return [];
    const probs = names.map((name, i) => `${q}[${i + 1}] AS ${ident(name)}`);
    await runner.exec(
      `CREATE OR REPLACE TABLE ${ident(id)} AS SELECT * EXCLUDE (${q}, ${ident(named.name)}), ${probs.join(', ')} FROM ${ident(id)}`,
    );
    return [list.name, named.name];
  }

  private async fixLists(
    runner: QueryRunner,
    id: string,
    columns: ColumnProfile[],
    notes: string[],
  ): Promise<string[]> {
    const fixed: string[] = [];
    for (const c of columns) {
      if (c.type !== 'VARCHAR' || !c.sample.length || !c.sample.every(looksLikeList)) continue;
      if (c.sample.some(isShortenedArray)) {
        notes.push(
          `${c.name} holds arrays as NumPy prints those of over 1,000 numbers, with "..." for the middle: those numbers are not in the file, so it is read as text. Write the arrays whole (as lists: .tolist(), or as Parquet).`,
        );
        continue;
      }
      const [{ n, bad }] = await runner.rows<{ n: number; bad: number }>(listCheckSql(id, c.name));
      if (Number(n) === 0 || Number(bad) > 0) continue;
      await runner.exec(listFixSql(id, c.name));
      fixed.push(c.name);
    }
    return fixed;
  }

  /**
   * Text columns of model outputs — a dict of class scores per row, or Hugging Face's ranked
   * `[{"label", "score"}]` — replaced by plain columns (`scoreColumns`): a score per class, named
   * `prob_<class>` where the column's name says probabilities (or the output is ranked labels), else
   * `<column>_<class>` (not again where such columns exist); ranked labels also give the top label in
   * the column's place (the prediction). Their names.
   */
  private async fixScores(runner: QueryRunner, id: string, row: string, columns: ColumnProfile[]): Promise<string[]> {
    const fixed: string[] = [];
    const taken = new Set(columns.map((x) => x.name));
    for (const c of columns) {
      const seen = [...c.sample, ...(c.top ?? []).map((t) => t.value)];
      if (c.type !== 'VARCHAR' || !seen.length || !seen.every((v) => parseScores(v) !== null)) continue;
      const tab = await runner.table(`SELECT ${ident(c.name)} AS v FROM ${ident(id)} ORDER BY ${row}`);
      const out = scoreColumns(tab.getChild('v')!.toArray() as (string | null)[]);
      if (!out) continue;
      const named = out.pred !== null || SCORES_COLUMN.test(c.name);
      const prefix = named ? 'prob_' : `${c.name}_`;
      // Scores already given by another column (a ranked top label beside a dict of the same): kept once.
      if ([...out.probs.keys()].some((k) => taken.has(prefix + k))) {
        if (!out.pred) continue;
        out.probs.clear();
      }
      const stage: Record<string, Vector> = {};
      const added: string[] = [];
      if (out.pred) {
        stage.pred = vectorFromArray(out.pred, new Utf8());
        added.push(`s.pred AS ${ident(c.name)}`);
      }
      [...out.probs.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .forEach(([k, v], i) => {
          stage[`p${i}`] = makeVector(v);
          added.push(`CASE WHEN isnan(s.p${i}) THEN NULL ELSE s.p${i} END AS ${ident(prefix + k)}`);
        });
      if (out.confidence) {
        stage.confidence = makeVector(out.confidence);
        added.push(`CASE WHEN isnan(s.confidence) THEN NULL ELSE s.confidence END AS ${ident(`${c.name}_score`)}`);
      }
      const staged = `${id}_scores`;
      await runner.insertArrow(staged, tableToIPC(new Table(stage), 'stream'), true);
      try {
        await runner.exec(
          `CREATE OR REPLACE TABLE ${ident(id)} AS SELECT t.* EXCLUDE (${ident(c.name)}), ${added.join(', ')} FROM ${ident(id)} AS t POSITIONAL JOIN ${ident(staged)} AS s`,
        );
      } finally {
        await runner.exec(`DROP TABLE IF EXISTS ${ident(staged)}`);
      }
      for (const k of out.probs.keys()) taken.add(prefix + k);
      if (out.confidence) taken.add(`${c.name}_score`);
      fixed.push(c.name);
    }
    return fixed;
  }

  /**
   * Rows that repeat the header — every cell its column's name, as `cat a.csv b.csv` leaves them —
   * deleted; the text columns they kept from their types are then read as their other values are
   * (whole numbers, numbers, dates, timestamps). How many rows went.
   */
  private async dropRepeatedHeaders(runner: QueryRunner, id: string, cols: ColumnType[]): Promise<number> {
    if (!cols.length || cols.some((c) => c.type !== 'VARCHAR')) return 0;
    const header = cols.map((c) => `${ident(c.name)} = ${literal(c.name)}`).join(' AND ');
    const [{ n }] = await runner.rows<{ n: number }>(`SELECT count(*) AS n FROM ${ident(id)} WHERE ${header}`);
    if (!Number(n)) return 0;
    await runner.exec(`DELETE FROM ${ident(id)} WHERE ${header}`);
    const types = ['BIGINT', 'DOUBLE', 'DATE', 'TIMESTAMP'];
    for (const c of cols) {
      const q = ident(c.name);
      // DuckDB casts '0.37' to the BIGINT 0: whole numbers are told by their digits.
      const fits = (t: string) =>
        t === 'BIGINT'
          ? `regexp_full_match(trim(${q}), '[+-]?[0-9]{1,18}')`
          : `TRY_CAST(trim(${q}) AS ${t}) IS NOT NULL`;
      const parts = types.map((t, i) => `count(*) FILTER (WHERE ${q} IS NOT NULL AND NOT ${fits(t)}) AS t${i}`);
      const [fails] = await runner.rows<Record<string, number>>(
        `SELECT count(${q}) AS n, ${parts.join(', ')} FROM ${ident(id)}`,
      );
      const t = types.findIndex((_, i) => Number(fails[`t${i}`]) === 0);
      if (Number(fails.n) && t >= 0)
        await runner.exec(
          `ALTER TABLE ${ident(id)} ALTER ${q} SET DATA TYPE ${types[t]} USING TRY_CAST(trim(${q}) AS ${types[t]})`,
        );
    }
    return Number(n);
  }

  /** Text columns whose every value has a space at either end, trimmed; their names. */
  private async fixPadding(runner: QueryRunner, id: string, columns: ColumnProfile[]): Promise<string[]> {
    const fixed: string[] = [];
    for (const c of columns) {
      const seen = [...c.sample, ...(c.top ?? []).map((t) => t.value)];
      if (c.type !== 'VARCHAR' || !seen.length || !seen.every(isPadded)) continue;
      const [{ bad }] = await runner.rows<{ bad: number }>(paddingCheckSql(id, c.name));
      if (Number(bad) > 0) continue;
      await runner.exec(paddingFixSql(id, c.name));
      // The trimmed values are what the lists and numbers below are found from.
      c.sample = c.sample.map((v) => v.trim());
      c.top = c.top?.map((t) => ({ ...t, value: t.value.trim() }));
      fixed.push(c.name);
    }
    return fixed;
  }

  /** Weka's indexed class values (`1:yes`) as the classes they name (see indexedCheckSql); the columns. */
  private async fixIndexedClasses(
    runner: QueryRunner,
    id: string,
    columns: ColumnProfile[],
    notes: string[],
  ): Promise<string[]> {
    const indexed = columns
      .filter((c) => {
        const seen = [...c.sample, ...(c.top ?? []).map((t) => t.value)];
        return c.type === 'VARCHAR' && seen.length > 0 && seen.every(isIndexedClass);
      })
      .map((c) => c.name);
    if (indexed.length < 2) return [];
    const [r] = await runner.rows<Record<string, number>>(indexedCheckSql(id, indexed));
    if (Number(r.bad) || Number(r.pairs) !== Number(r.indices) || Number(r.pairs) !== Number(r.names)) return [];
    await runner.exec(indexedFixSql(id, indexed));
    const seen = columns.find((c) => c.name === indexed[0])!.sample[0];
    notes.push(
      `${indexed.join(', ')}: the classes are read without Weka's index before them (${seen} is ${seen.replace(/^\d+:/, '')}).`,
    );
    return indexed;
  }

  /** Text columns of numbers with thousands separators (1,234.5 or 1.234,5) or percentages (85%) read as numbers; their names. */
  private async fixWrittenNumbers(
    runner: QueryRunner,
    id: string,
    columns: ColumnProfile[],
    untyped: boolean,
  ): Promise<string[]> {
    const fixed: string[] = [];
    for (const c of columns) {
      if (c.type !== 'VARCHAR') continue;
      const g = numberStyleOf([...c.sample, ...(c.top ?? []).map((t) => t.value)], untyped);
      if (!g) continue;
      const [{ bad }] = await runner.rows<{ bad: number }>(styledCheckSql(id, c.name, g));
      if (Number(bad) > 0) continue;
      await runner.exec(styledFixSql(id, c.name, g));
      fixed.push(c.name);
    }
    return fixed;
  }

  /** Missing-value tokens (NA, None, …) and NaN read as null in every column; numbers with NA among them become numeric. */
  private async fixMissing(
    runner: QueryRunner,
    id: string,
    cols: ColumnType[],
    scan: SummaryRow,
  ): Promise<DatasetInfo['missing']> {
    const found: DatasetInfo['missing'] = [];
    for (const [i, c] of cols.entries()) {
      const n = Number(scan[`m_${i}`] ?? 0);
      if (!n) continue;
      const others = c.type === 'VARCHAR' ? Number((await runner.rows<{ x: number }>(nonNumbersSql(id, c)))[0].x) : 0;
      const fix = missingFix(id, c, n, others);
      if (!fix) continue;
      await runner.exec(fix);
      found.push({ column: c.name, cells: n });
    }
    return found;
  }

  /** The user's columns (without Loupe's own row column, `star`). */
  private star = (row: string) => (row === 'rowid' ? '*' : `* EXCLUDE (${row})`);

  /**
   * Profiles the table's columns, with its content fingerprint (what the app keeps slices and
   * decisions under) — or only those `pick` names, without one (the command line keeps nothing).
   */
  private async profile(
    runner: QueryRunner,
    id: string,
    row: string,
    name: string,
    scanMissing: boolean,
    pick?: PickColumns,
  ) {
    const cols = await this.describe(runner, id, row);
    checkWidth(cols.length, name);
    const { rows, columns, summary } = pick
      ? await this.profilePicked(runner, id, cols, pick)
      : await this.profileColumns(runner, id, cols, scanMissing);
    if (pick) return { rows, columns, fingerprint: '', summary, types: cols };
    // Content fingerprint: order-independent XOR of row hashes, with the schema and row count.
    const [h] = await runner.rows<{ h: string }>(
      `SELECT CAST(bit_xor(hash(t)) AS VARCHAR) AS h FROM (SELECT ${this.star(row)} FROM ${ident(id)}) AS t`,
    );
    const schema = cols.map((c) => `${c.name}:${c.type}`).join('|');
    const fingerprint = fnv1a(`${schema}#${rows}#${h?.h ?? ''}`);
    return { rows, columns, fingerprint, summary, types: cols };
  }

  /**
   * The columns `pick` names from names and types, then those it names once it sees their profiles
   * (a label's classes may name its probability columns); the others unprofiled. `summary`: the row count only.
   */
  private async profilePicked(runner: QueryRunner, id: string, cols: ColumnType[], pick: PickColumns) {
    let columns = cols.map(unprofiled);
    let rows = 0;
    for (let pass = 0; pass < 2; pass++) {
      const names = new Set(pick(columns));
      const more = cols.filter((c, i) => names.has(c.name) && columns[i].unprofiled);
      if (pass && !more.length) break;
      const got = await this.profileColumns(runner, id, more);
      rows = got.rows;
      columns = columns.map((c) => got.columns.find((p) => p.name === c.name) ?? c);
    }
    return { rows, columns, summary: { n: rows } };
  }

  private async describe(runner: QueryRunner, id: string, row: string): Promise<ColumnType[]> {
    const rows = await runner.rows<{ column_name: string; column_type: string }>(
      `DESCRIBE SELECT ${this.star(row)} FROM ${ident(id)}`,
    );
    return rows.map<ColumnType>((r) => ({ name: r.column_name, type: r.column_type }));
  }

  /** Profiles of some columns of a table (type, nulls, distinct, histogram or top values). */
  private async profileColumns(
    runner: QueryRunner,
    id: string,
    cols: ColumnType[],
    scanMissing = false,
  ): Promise<{ rows: number; columns: ColumnProfile[]; summary: SummaryRow }> {
    const extra = scanMissing ? missingScanParts(cols) : [];
    // A few dozen columns per query: each distinct count and group-by holds a hash table, and
    // hundreds at once (an embedding of 512 columns) exhaust DuckDB-wasm's memory.
    const summary: SummaryRow = { n: 0 };
    const top: { col: number; value: string; n: number | null }[] = [];
    for (let at = 0; at < cols.length || at === 0; at += PROFILE_COLUMNS) {
      const part = cols.slice(at, at + PROFILE_COLUMNS);
      const [s] = await runner.rows<SummaryRow>(summarySql(id, part, at === 0 ? extra : []));
      const dSql = exactDistinctSql(id, part, s);
      if (dSql) Object.assign(s, (await runner.rows(dSql))[0]);
      const tSql = topValuesSql(id, part, s);
      for (const t of tSql ? await runner.rows<{ col: number; value: string; n: number | null }>(tSql) : [])
        top.push({ ...t, col: Number(t.col) + at });
      // Per-column keys (`nulls_3`) renumbered to the column's place in `cols`.
      for (const [k, v] of Object.entries(s)) {
        const m = /^(.*)_(\d+)$/.exec(k);
        if (m && !(at === 0 && extra.some((e) => e.endsWith(` AS ${k}`)))) summary[`${m[1]}_${Number(m[2]) + at}`] = v;
        else summary[k] = v;
      }
    }
    const finite = finiteRangeSql(id, cols, summary, scanMissing);
    if (finite) Object.assign(summary, (await runner.rows(finite))[0]);
    // Histograms are counted later (`histograms`): the table is shown without waiting for them.
    return { rows: Number(summary.n), columns: assembleProfiles(cols, summary, null, top), summary };
  }

  /** Tables with this many rows or more are shown before they are profiled (tests lower it; the command line shows none). */
  earlyRows = EARLY_ROWS;

  /** Requests being served (see `foreground`), and when the last one started or ended. */
  private busy = 0;
  private lastRequest = 0;
  private idle: (() => void)[] = [];

  /** Runs a request of the app; background work (histograms, checks, slice features, the error tree) waits until none is running. */
  async foreground<T>(work: () => Promise<T>): Promise<T> {
    this.busy++;
    this.lastRequest = performance.now();
    try {
      return await work();
    } finally {
      this.lastRequest = performance.now();
      if (--this.busy === 0) for (const wake of this.idle.splice(0)) wake();
    }
  }

  /**
   * Resolves when no request has run for IDLE_MS (views often ask again right after an answer, and
   * a model's run asks for batch after batch: each gap between them is short, not quiet).
   */
  private async whenIdle(): Promise<void> {
    // A task boundary first: a request that arrived during the last (synchronous) query is only
    // seen once its message is handled — awaiting resolved promises alone never lets it in.
    await nextTask();
    for (;;) {
      if (this.busy) await new Promise<void>((r) => this.idle.push(r));
      const quiet = performance.now() - this.lastRequest;
      if (!this.busy && quiet >= IDLE_MS) return;
      await new Promise((r) => setTimeout(r, Math.max(1, IDLE_MS - quiet)));
    }
  }

  /**
   * The dataset's profiles with every numeric column's histogram counted (those not counted yet),
   * one column and HISTOGRAM_ROWS rows per query when the engine is otherwise idle, so that a
   * request the user makes meanwhile waits for one short query at most.
   */
  async histograms(id: string): Promise<ColumnProfile[]> {
    const runner = await this.runner;
    const d = this.get(id);
    for (const [i, c] of d.columns.entries()) {
      const h = c.histogram;
      if (!h || h.counts) continue;
      const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
      for (let from = 0; from < d.rows; from += HISTOGRAM_ROWS) {
        await this.whenIdle();
        if (this.datasets.get(id) !== d) return this.get(id).columns;
        const rows = { row: d.row, from, to: from + HISTOGRAM_ROWS };
        const sql = histogramSql(d.id, [c], new Map([[0, [h.min, h.max]]]), rows)!;
        histogramCounts(await runner.rows(sql), 0).forEach((n, b) => (counts[b] += n));
      }
      // The dataset may have been closed or changed meanwhile: count into what it is now.
      const now = this.datasets.get(id)?.columns[i];
      if (now?.name === c.name && now.histogram && !now.histogram.counts) now.histogram.counts = counts;
    }
    return this.get(id).columns;
  }

  private get(id: string): DatasetInfo {
    const d = this.datasets.get(id);
    if (!d) throw new LoupeError('query-failed', `No open dataset ${id}.`);
    return d;
  }

  /** Detects roles (with the user's overrides) and checks the data against them. */
  async roles(id: string, overrides: RoleOverrides = {}): Promise<{ roles: Roles; issues: DataIssue[] }> {
    const roles = this.detect(id, overrides);
    return { roles, issues: await this.check(id, roles) };
  }

  /** The roles from column names, types and profiles (instant: no query). */
  detect(id: string, overrides: RoleOverrides = {}): Roles {
    const d = this.get(id);
    return detectRoles(d.columns, d.rows, overrides);
  }

  /** Checks the data against its roles (SQL scans, each when no request of the app is running). */
  async validate(id: string, roles: Roles): Promise<DataIssue[]> {
    return this.check(id, roles, async (sql) => (await this.whenIdle(), this.query(sql)));
  }

  private check(id: string, roles: Roles, query = (sql: string) => this.query(sql)): Promise<DataIssue[]> {
    const d = this.get(id);
    return validateRoles(id, d.row, d.rows, d.columns, roles, query);
  }

  /** Divides each row's probabilities by their sum (the file itself is untouched). */
  async renormalise(id: string, roles: Roles): Promise<void> {
    if (roles.probs?.kind !== 'columns' || roles.probs.columns.length < 2) return;
    this.evaluator.forget(id); // its arrays and results hold the old probabilities
    const cols = roles.probs.columns.map((c) => ident(c.column));
    const sum = cols.map((c) => `CAST(${c} AS DOUBLE)`).join(' + ');
    await this.query(
      `UPDATE ${ident(id)} SET ${cols.map((c) => `${c} = CAST(${c} AS DOUBLE) / (${sum})`).join(', ')} WHERE (${sum}) > 0`,
    );
  }

  /** One page of rows for the virtualised table; values are text, numbers, booleans or null. */
  async rows(id: string, offset: number, limit: number, rowids?: number[]): Promise<RowPage> {
    const d = this.get(id);
    // Tables are only ever created whole, so the row number runs 0…rows−1 in file order; a range
    // of it is a cheap seek where OFFSET would scan.
    const from = Math.max(0, Math.floor(offset));
    const names = d.columns.map((c) => c.name);
    const sel = d.columns.map((c) =>
      c.kind === 'list' || c.kind === 'binary' || c.kind === 'temporal' || c.kind === 'other'
        ? `left(CAST(${ident(c.name)} AS VARCHAR), 500)`
        : ident(c.name),
    );
    const result = await this.query(
      `SELECT ${d.row} AS r, ${sel.map((s, i) => `${s} AS c${i}`).join(', ')} FROM ${ident(id)} WHERE ${rowids ? `${d.row} IN (${rowids.map((r) => Math.floor(r)).join(', ') || 'NULL'})` : `${d.row} >= ${from} AND ${d.row} < ${from + Math.max(0, Math.floor(limit))}`} ORDER BY ${d.row}`,
    );
    const rows: unknown[][] = result.map((r) => names.map((_, i) => r[`c${i}`] ?? null));
    if (!rowids) return { columns: names, offset, rows };
    // In the order asked for (a sorted row set lists its rows out of file order).
    const byRow = new Map<number, unknown[]>(result.map((r, i) => [Number(r.r), rows[i]]));
    return {
      columns: names,
      offset,
      rows: rowids.map((r) => byRow.get(Math.floor(r))).filter((x): x is unknown[] => x !== undefined),
    };
  }

  /** A batch of a model's input: the spec's columns for rows [from, from + count), row-major float32, standardised. */
  async featureBatch(id: string, spec: PreprocessSpec, from: number, count: number): Promise<Float32Array> {
    const d = this.get(id);
    const r = await this.runner;
    if (spec.image?.column)
      return imageBatch(
        await r.table(imageColumnSql(id, d.row, spec.image.column, from, count)),
        spec.image,
        (await this.platform).decodeImage,
        from,
      );
    return featureMatrix(await r.table(featureSql(id, d.row, spec, d.columns, from, count)), spec);
  }

  private stageOf = (id: string, name: string) => `stage_${id}_${name}`;
  /** Staging tables created by the current runs. */
  private staged = new Set<string>();

  /** Starts a model run's results (staged apart from the data until committed). */
  async beginPredictions(id: string, name: string): Promise<void> {
    this.get(id);
    const stage = this.stageOf(id, name);
    this.staged.delete(stage);
    this.pendingStage.delete(stage);
    await this.query(`DROP TABLE IF EXISTS ${ident(stage)}`);
  }

  /** Staged results not yet written to their staging table (written STAGE_ROWS at a time: one insert per batch costs DuckDB-wasm ~10 ms). */
  private pendingStage = new Map<string, PredictionBatch[]>();

  async stagePredictions(id: string, name: string, batch: PredictionBatch, classes: string[] | null): Promise<void> {
    const stage = this.stageOf(id, name);
    const pending = this.pendingStage.get(stage) ?? [];
    pending.push(batch);
    this.pendingStage.set(stage, pending);
    if (pending.reduce((n, b) => n + b.rows, 0) >= STAGE_ROWS) await this.flushStage(stage, classes);
  }

  private async flushStage(stage: string, classes: string[] | null): Promise<void> {
    const batches = this.pendingStage.get(stage);
    this.pendingStage.delete(stage);
    if (!batches?.length) return;
    const r = await this.runner;
    const create = !this.staged.has(stage);
    this.staged.add(stage);
    await r.insertArrow(stage, batchIpc(joinBatches(batches), classes), create);
  }

  /**
   * Adds the staged results as columns `pred__<name>`, `prob__<name>__<class>` and, with
   * `embedding`, the list column `emb__<name>` (replacing an earlier run's); the fingerprint stays
   * that of the data.
   */
  async commitPredictions(id: string, name: string, classes: string[] | null, embedding = false): Promise<DatasetInfo> {
    const d = this.get(id);
    const r = await this.runner;
    const stage = this.stageOf(id, name);
    await this.flushStage(stage, classes);
    const next = `${id}__next`;
    await this.query(
      `CREATE OR REPLACE TABLE ${ident(next)} AS ${commitSql(id, d.row, stage, name, classes, d.columns, embedding)}`,
    );
    await this.query(`DROP TABLE ${ident(id)}`);
    await this.query(`ALTER TABLE ${ident(next)} RENAME TO ${ident(id)}`);
    await this.query(`DROP TABLE IF EXISTS ${ident(stage)}`);
    // Only the new columns need profiles.
    const all = await this.describe(r, id, d.row);
    const added = await this.profileColumns(
      r,
      id,
      all.filter((c) => !d.columns.some((p) => p.name === c.name && !isModelColumn(c.name, name))),
    );
    const columns = all.map(
      (c) => added.columns.find((p) => p.name === c.name) ?? d.columns.find((p) => p.name === c.name)!,
    );
    const info: DatasetInfo = { ...d, rows: added.rows, columns };
    this.datasets.set(id, info);
    this.evaluator.forget(id);
    return info;
  }

  /** The whole table as CSV or Parquet bytes, in file order. */
  exportTable(id: string, format: 'csv' | 'parquet'): Promise<Uint8Array> {
    const d = this.get(id);
    const sql = `SELECT ${this.star(d.row)} FROM ${ident(id)} ORDER BY ${d.row}`;
    return format === 'parquet' ? this.parquetOf(sql) : this.csvOf(sql);
  }

  /** The label column's classes (sorted as the metrics sort them), for naming a model's outputs. */
  async labelClasses(id: string, roles: Roles): Promise<string[] | null> {
    if (!roles.label || roles.task === 'regression') return null;
    const d = this.get(id);
    const rows = await this.query(classNamesSql(id, { ...roles, pred: null, probs: null }, d.columns));
    return sortClasses(rows.map((x) => String(x.c)));
  }

  /** The bytes of one binary cell (an image stored in the file), or null. */
  async cellBytes(id: string, row: number, column: string): Promise<Uint8Array | null> {
    const d = this.get(id);
    const t = await (
      await this.runner
    ).table(`SELECT ${ident(column)} AS b FROM ${ident(id)} WHERE ${d.row} = ${Math.floor(row)}`);
    const v = t.getChild('b')?.get(0);
    return v instanceof Uint8Array ? v.slice() : null;
  }

  /** Stops the bootstrap running on a channel (it rejects with `cancelled`). */
  stopIntervals(channel: string): void {
    this.evaluator.stop(channel);
  }

  /** Metrics, intervals (resamples > 0) and chart data of a slice (null: all rows). */
  async evaluate(
    id: string,
    spec: EvalSpec,
    where: Predicate | null,
    opts: EvalOptions = {},
    onProgress?: Progress,
  ): Promise<EvalResult> {
    checkOptions({ threshold: spec.threshold, resamples: opts.resamples }, 'Evaluate');
    return this.evaluator.evaluate(this.get(id), spec, where, { ...opts, onProgress });
  }

  /** Metrics of several slices; `onProgress` (a separate argument, so it can cross the worker boundary) counts slices. */
  async evaluateMany(
    id: string,
    spec: EvalSpec,
    wheres: Predicate[],
    opts: EvalOptions = {},
    onProgress?: Progress,
  ): Promise<Evaluation[]> {
    checkOptions({ threshold: spec.threshold, resamples: opts.resamples }, 'Evaluate');
    return this.evaluator.evaluateMany(this.get(id), spec, wheres, { ...opts, onProgress });
  }

  /** Metrics of a column's groups (from `groups`), all in one pass. */
  async evaluateGroups(
    id: string,
    spec: EvalSpec,
    column: string,
    groups: Group[],
    opts: EvalOptions = {},
    onProgress?: Progress,
  ): Promise<Evaluation[]> {
    checkOptions({ threshold: spec.threshold, resamples: opts.resamples }, 'Evaluate');
    return this.evaluator.evaluateGroups(this.get(id), spec, column, groups, { ...opts, onProgress });
  }

  /** Fairness of a binary classifier across a column's groups, with per-group threshold curves. */
  async fairness(id: string, spec: EvalSpec, column: string, bins?: number): Promise<FairnessReport> {
    checkOptions({ threshold: spec.threshold, bins }, 'Fairness');
    return fairnessOf(this.evaluator, this.get(id), spec, column, bins);
  }

  /** Slice discovery (SliceLine) over the scored rows; progress by level. */
  async findSlices(
    id: string,
    spec: EvalSpec,
    opts: FindOptions,
    onProgress?: (level: number, done: number, total: number) => void,
  ): Promise<SliceReport> {
    checkOptions({ ...opts, threshold: spec.threshold }, 'Find slices');
    const run = ++this.sliceRun;
    return findSlices(this.evaluator, this.get(id), spec, opts, (level, done, total) => {
      if (run !== this.sliceRun) throw new LoupeError('cancelled', 'Cancelled.');
      onProgress?.(level, done, total);
    });
  }

  /**
   * Encodes the default features of slice discovery ahead of time, one column whenever no request
   * of the app is running, so that Find slices finds them ready.
   */
  async prepareSlices(id: string, roles: Roles): Promise<void> {
    const d = this.get(id);
    for (const ask of encodings(d, defaultFeatures(d, roles)).slice(0, PREPARED_FEATURES)) {
      await this.whenIdle();
      if (this.datasets.get(id) !== d) return;
      await this.evaluator.encodeMany(d, [ask]);
    }
  }

  /**
   * The error tree (a shallow decision tree on the error over the same features); in the app, it
   * grows node by node while no other request is running.
   */
  async errorTree(
    id: string,
    spec: EvalSpec,
    opts: FindOptions & { maxDepth?: number; minLeaf?: number },
  ): Promise<ErrorTreeNode> {
    checkOptions({ ...opts, threshold: spec.threshold }, 'Error tree');
    await this.whenIdle();
    return findErrorTree(this.evaluator, this.get(id), spec, opts, () => this.whenIdle());
  }

  /** A review queue: the likely label errors by confident learning (as cleanlab), most likely first, or other rows. */
  labelIssues(
    id: string,
    spec: EvalSpec,
    filterBy: FilterBy = 'prune_by_noise_rate',
    rankBy: RankBy = 'self_confidence',
    source: QueueSource = { kind: 'issues' },
  ): Promise<LabelIssues> {
    return labelIssues(this.evaluator, this.get(id), spec, filterBy, rankBy, source);
  }

  /**
   * Mirrors a reviewer's decisions into the DuckDB table `reviews_<dataset>` (row, decision,
   * new_label), replacing what was there, so they can be joined to the data and evaluated.
   */
  async syncReviews(id: string, decisions: ReviewRow[]): Promise<void> {
    this.get(id);
    await syncReviews((sql) => this.query(sql), id, decisions);
    this.evaluator.reviewsChanged(id);
  }

  /** Applies the decisions changed since the last mirror: one row each, added, replaced or (`remove`) deleted. */
  async updateReviews(id: string, put: ReviewRow[], remove: number[]): Promise<void> {
    this.get(id);
    await updateReviews((sql) => this.query(sql), id, put, remove);
    this.evaluator.reviewsChanged(id);
  }

  /**
   * The dataset with a `label_reviewed` column (the reviewed label where relabelled, else the
   * label), as CSV or Parquet bytes; a number for a regression task's label.
   */
  async exportCorrected(id: string, label: string, format: 'csv' | 'parquet', task?: Task): Promise<Uint8Array> {
    const d = this.get(id);
    await this.query(`CREATE TABLE IF NOT EXISTS ${reviewsTable(id)} ${REVIEWS_COLUMNS}`);
    const sql = correctedSql(d, label, task === 'regression');
    return format === 'parquet' ? this.parquetOf(sql) : this.csvOf(sql);
  }

  /** A query's result as CSV bytes (with a header); text cells that a spreadsheet would run as formulas are neutralised. */
  async csvOf(sql: string): Promise<Uint8Array> {
    const { connector } = await this.platform;
    const columns = await this.query(`DESCRIBE ${sql}`);
    const safe = columns.map(({ column_name: c, column_type: t }) =>
      t === 'VARCHAR' ? `${neutraliseSql(String(c))} AS ${ident(String(c))}` : ident(String(c)),
    );
    sql = `SELECT ${safe.join(', ')} FROM (${sql})`;
    // Each export has its own file in the sandbox, removed after reading (in Node it is a real file).
    return this.copyOut(connector, sql, 'csv', "HEADER, DELIMITER ','");
  }

  /** A query's result written by DuckDB's COPY into a sandbox file, read back and removed. */
  private async copyOut(connector: Connector, sql: string, ext: string, options: string): Promise<Uint8Array> {
    const path = `${connector.sandbox}export-${++this.exports}.${ext}`;
    try {
      await this.query(`COPY (${sql}) TO ${literal(path)} (${options})`);
      return await connector.readFile(path);
    } finally {
      connector.removeFile(path);
    }
  }

  /**
   * Two datasets joined on an id column, as a new dataset: every column of `a`, and `b`'s other
   * columns (or those of `only`) prefixed `b__`. An id that either names twice is refused: the join
   * would count its rows again. With no id column (null), row i of `a` beside row i of `b`, which
   * must have as many rows and agree row by row in the columns `agree` names (the label both hold).
   */
  async joinOnId(
    a: string,
    b: string,
    idColumn: string | null,
    name: string,
    only?: string[],
    agree: string[] = [],
  ): Promise<DatasetInfo> {
    const da = this.get(a);
    const db = this.get(b);
    if (idColumn === null) return this.joinInOrder(da, db, name, only, agree);
    for (const d of [da, db])
      if (!d.columns.some((c) => c.name === idColumn))
        throw new LoupeError('bad-roles', `${d.name} has no id column ${JSON.stringify(idColumn)}`);
    const cols = [
      ...da.columns.map((c) => `x.${ident(c.name)}`),
      ...db.columns
        .filter((c) => c.name !== idColumn && (!only || only.includes(c.name)))
        .map((c) => `y.${ident(c.name)} AS ${ident(`b__${c.name}`)}`),
    ];
    for (const d of [da, db]) {
      const [twice] = await this.query(
        `SELECT CAST(${ident(idColumn)} AS VARCHAR) AS v, count(*) AS n FROM ${ident(d.id)} WHERE ${ident(idColumn)} IS NOT NULL GROUP BY ALL HAVING count(*) > 1 LIMIT 1`,
      );
      if (twice)
        throw new LoupeError(
          'bad-roles',
          `${d.name} names ${idColumn} ${JSON.stringify(twice.v)} in ${Number(twice.n)} rows: an id must name one row to join the two files on it.`,
        );
    }
    const runner = await this.runner;
    const id = `ds_${this.next++}`;
    return runner.begin(async () => {
      const t0 = performance.now();
      try {
        const on = `${idKey(`x.${ident(idColumn)}`)} = ${idKey(`y.${ident(idColumn)}`)}`;
        await runner.exec(
          `CREATE TABLE ${ident(id)} AS SELECT ${cols.join(', ')} FROM ${ident(a)} AS x JOIN ${ident(b)} AS y ON ${on} ORDER BY x.${da.row}`,
        );
        const [{ n }] = await runner.rows<{ n: number }>(`SELECT count(*) AS n FROM ${ident(id)}`);
        if (!Number(n)) {
          const first = async (t: string) =>
            (
              await runner.rows<{ v: string }>(
                `SELECT CAST(${ident(idColumn)} AS VARCHAR) AS v FROM ${ident(t)} LIMIT 1`,
              )
            )[0]?.v;
          throw new LoupeError(
            'bad-roles',
            `No ${JSON.stringify(idColumn)} of ${da.name} is one of ${db.name}'s (${da.name} starts with ${JSON.stringify(await first(a))}, ${db.name} with ${JSON.stringify(await first(b))}): the two files must name the same rows the same way.`,
          );
        }
        const info = await this.adopt(runner, { id, name, format: da.format, gzip: false, bytes: 0 }, t0);
        // Rows of either file that the other does not name are left out: said.
        for (const d of [da, db]) {
          const left = d.rows - info.rows;
          if (left > 0)
            info.notes.push(
              `${plural(left, 'row')} of ${d.name} ${left === 1 ? 'has' : 'have'} no ${idColumn} in ${(d === da ? db : da).name}: left out.`,
            );
        }
        return info;
      } catch (e) {
        await runner.exec(`DROP TABLE IF EXISTS ${ident(id)}`).catch(() => {});
        throw describeDuckError(e, { file: name });
      }
    });
  }

  private async joinInOrder(
    da: DatasetInfo,
    db: DatasetInfo,
    name: string,
    only: string[] | undefined,
    agree: string[],
  ): Promise<DatasetInfo> {
    if (da.rows !== db.rows)
      throw new LoupeError(
        'bad-roles',
        `${da.name} has ${plural(da.rows, 'row')} and ${db.name} ${plural(db.rows, 'row')}: with no id column in both, rows are joined in order, so the two files must have as many rows.`,
      );
    const k = freeName(
      '__loupe_position',
      [...da.columns, ...db.columns].map((c) => c.name),
    );
    const cols = [
      ...da.columns.map((c) => `x.${ident(c.name)}`),
      ...db.columns
        .filter((c) => !only || only.includes(c.name))
        .map((c) => `y.${ident(c.name)} AS ${ident(`b__${c.name}`)}`),
    ];
    const numbered = (d: DatasetInfo) =>
      `(SELECT *, row_number() OVER (ORDER BY ${d.row}) AS ${ident(k)} FROM ${ident(d.id)})`;
    // Columns both files hold that should be the same (the label beside two models' predictions) must
    // agree row by row, or the rows are not in the same order.
    const shared = da.columns.filter(
      (c) => agree.includes(c.name) && db.columns.some((o) => o.name === c.name && o.type === c.type),
    );
    const runner = await this.runner;
    const from = `${numbered(da)} AS x JOIN ${numbered(db)} AS y USING (${ident(k)})`;
    if (shared.length) {
      const differs = (c: ColumnProfile) => `x.${ident(c.name)} IS DISTINCT FROM y.${ident(c.name)}`;
      const parts = shared.map(
        (c, i) =>
          `count(*) FILTER (WHERE ${differs(c)}) AS n${i}, min(${ident(k)}) FILTER (WHERE ${differs(c)}) AS at${i}`,
      );
      const [d] = await runner.rows<Record<string, number | null>>(`SELECT ${parts.join(', ')} FROM ${from}`);
      const i = shared.findIndex((_, i) => Number(d[`n${i}`]) > 0);
      if (i >= 0)
        throw new LoupeError(
          'bad-roles',
          `${da.name} and ${db.name} have no id column in common, and joined in order their rows disagree: ${shared[i].name} differs in ${plural(Number(d[`n${i}`]), 'row')}, first at row ${d[`at${i}`]}. Name the id column that joins them.`,
        );
    }
    const id = `ds_${this.next++}`;
    return runner.begin(async () => {
      const t0 = performance.now();
      try {
        await runner.exec(`CREATE TABLE ${ident(id)} AS SELECT ${cols.join(', ')} FROM ${from} ORDER BY ${ident(k)}`);
        return await this.adopt(runner, { id, name, format: da.format, gzip: false, bytes: 0 }, t0);
      } catch (e) {
        await runner.exec(`DROP TABLE IF EXISTS ${ident(id)}`).catch(() => {});
        throw describeDuckError(e, { file: name });
      }
    });
  }

  /** Two prediction sets on the same rows and labels: side-by-side metrics, paired intervals, McNemar, per-group changes, regressions. */
  async compare(id: string, specA: EvalSpec, specB: EvalSpec, opts: CompareOptions = {}): Promise<Comparison> {
    for (const spec of [specA, specB]) checkOptions({ ...opts, threshold: spec.threshold }, 'Compare');
    return compare(this.evaluator, this.get(id), specA, specB, opts);
  }

  /** Column-by-column drift of `current` from `reference`. */
  async drift(reference: string, current: string, columns?: string[]): Promise<DriftReport> {
    const r = await this.runner;
    return drift(
      (sql) => r.table(sql).catch((e) => Promise.reject(describeDuckError(e, {}))),
      this.get(reference),
      this.get(current),
      columns,
    );
  }

  /** A query's result as Parquet bytes (written by DuckDB where it can, else by parquet-wasm from Arrow). */
  async parquetOf(sql: string): Promise<Uint8Array> {
    const { connector, writeParquet } = await this.platform;
    if (connector.readsParquet) return this.copyOut(connector, sql, 'parquet', 'FORMAT parquet');
    const t = await (await this.runner).table(sql).catch((e) => Promise.reject(describeDuckError(e, {})));
    return writeParquet(tableToIPC(t, 'stream'));
  }

  /** Text columns as Parquet bytes (decision exports); null stays null. */
  async parquetFromColumns(columns: Record<string, (string | null)[]>): Promise<Uint8Array> {
    const ipc = tableToIPC(
      new Table(Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, vectorFromArray(v, new Utf8())]))),
      'stream',
    );
    return (await this.platform).writeParquet(ipc);
  }

  /** One reviewer's labels from an opened file: a Loupe decisions export, or any table with an id and a label column. */
  async reviewerLabels(
    id: string,
    roles: { id?: string | null; label?: string | null } = {},
  ): Promise<{ reviewer: string; labels: Map<string, string>; repeated: number }> {
    const d = this.get(id);
    const detected = this.detect(id, roles.label ? { label: roles.label } : {});
    const idCol = roles.id ?? detected.id;
    // Two columns, one the id: the other is the label, whatever its name.
    const other = d.columns.length === 2 && idCol ? d.columns.find((c) => c.name !== idCol)?.name : undefined;
    // Label Studio's CSV export: its own fields beside the task's data and the choice made, named as
    // the labelling interface names it (`sentiment`): the text column of fewest values.
    const has = (c: string) => d.columns.some((x) => x.name === c);
    const studio = has('annotator') && (has('annotation_id') || has('lead_time'));
    const choice = studio
      ? d.columns
          .filter((c) => !LABEL_STUDIO_FIELDS.includes(c.name) && c.kind === 'string' && !c.distinctApprox)
          .filter((c) => c.distinct > 0 && c.distinct <= 100)
          .sort((a, b) => a.distinct - b.distinct)[0]?.name
      : undefined;
    const found = await labelsOf((sql) => this.query(sql), d, d.name, {
      id: idCol,
      label: roles.label ?? detected.label ?? other ?? choice,
    });
    if (!studio) return found;
    // One annotator's export is named after them.
    const [a] = await this.query(
      `SELECT min(CAST(annotator AS VARCHAR)) AS a, count(DISTINCT annotator) AS n FROM ${ident(d.id)}`,
    );
    return Number(a.n) === 1 ? { ...found, reviewer: String(a.a) } : found;
  }

  /**
   * Reads another reviewer's file (a decisions export, or any id + label table) into the dataset's
   * imported reviewers. With `numeric` (a regression's labels) each value is written as the review
   * writes its own, JavaScript's shortest form (`52.0` → `52`), so that equal numbers agree.
   */
  async importReviewer(
    datasetId: string,
    src: OpenSource,
    mineName: string,
    numeric = false,
    idColumn: string | null = null,
  ): Promise<void> {
    const d = this.get(datasetId);
    // Only its id and label columns are read: the file is not profiled.
    const info = await this.load(src, () => {}, false);
    try {
      const r = await this.reviewerLabels(info.id);
      if (!r.labels.size) throw new LoupeError('bad-roles', `${src.name}: no labelled ids.`);
      const list = this.others.get(datasetId) ?? [];
      const taken = list.some((o) => o.reviewer === r.reviewer) || r.reviewer === mineName;
      const number = (v: string) => (v.trim() !== '' && Number.isFinite(Number(v)) ? String(Number(v)) : v);
      // Its ids on the dataset's spellings where they differ only as numbers (`7.0`, `0007` for `7`).
      const known = idColumn ? (await this.evaluator.columnText(d, idColumn)).filter((v) => v !== null) : undefined;
      const aligned = alignIds(r.labels, known);
      const labels = numeric ? new Map([...aligned].map(([k, v]) => [k, number(v)])) : aligned;
      this.others.set(datasetId, [
        ...list,
        { reviewer: taken ? `${r.reviewer} (${src.name})` : r.reviewer, file: src.name, labels },
      ]);
    } finally {
      await this.close(info.id);
    }
  }

  removeReviewer(datasetId: string, index: number): void {
    this.others.set(
      datasetId,
      (this.others.get(datasetId) ?? []).filter((_, i) => i !== index),
    );
  }

  /**
   * Agreement and merge of the active reviewer's labels (id → label) with the imported reviewers':
   * a majority vote, or with `numeric` (a regression's labels) the median. Null when none is imported.
   */
  reviewMerge(datasetId: string, mineName: string, mine: [string, string][], numeric = false): MergeSummary | null {
    const others = this.others.get(datasetId) ?? [];
    return others.length ? mergeSummary(mineName, mine, others, numeric) : null;
  }

  /** The imported reviewers' labels of one id (null where a reviewer gave none). */
  reviewLabelsOf(datasetId: string, id: string): (string | null)[] {
    return (this.others.get(datasetId) ?? []).map((o) => o.labels.get(id) ?? null);
  }

  /** The merge (majority vote; with `numeric`, the median) as CSV bytes. */
  mergedLabelsCsv(datasetId: string, mineName: string, mine: [string, string][], numeric = false): Uint8Array {
    return new TextEncoder().encode(mergedCsv(mineName, mine, this.others.get(datasetId) ?? [], numeric));
  }

  /** The active reviewer's decisions against the model and the issue finder. */
  async reviewSummary(id: string, spec: EvalSpec): Promise<ReviewSummary> {
    return reviewSummary((sql) => this.query(sql), this.evaluator, this.get(id), spec);
  }

  /** Each row's id: the id column's value, or the row number. */
  async idsOfRows(id: string, idColumn: string | null, rows: number[]): Promise<string[]> {
    if (!idColumn || !rows.length) return rows.map(String);
    const text = await this.evaluator.textAt(this.get(id), idColumn, rows);
    return rows.map((r, j) => text[j] ?? String(r));
  }

  /** Row numbers of ids (an id column's values as text, or row numbers when there is none); −1 where absent. */
  async rowsOfIds(id: string, idColumn: string | null, ids: string[]): Promise<number[]> {
    const d = this.get(id);
    if (!idColumn) return ids.map((x) => (/^\d+$/.test(x) && Number(x) < d.rows ? Number(x) : -1));
    const at = new Map<string, number>();
    (await this.evaluator.columnText(d, idColumn)).forEach((v, r) => v !== null && !at.has(v) && at.set(v, r));
    return ids.map((x) => at.get(x) ?? -1);
  }

  /** Near duplicates, outliers, class imbalance and label issues as cleanlab Datalab; progress in rows of the kNN graph. */
  async dataIssues(
    id: string,
    spec: EvalSpec,
    opts: DataIssueOptions = {},
    onProgress?: (done: number, total: number) => void,
  ): Promise<DataIssues> {
    checkOptions({ k: opts.k }, 'Data issues');
    const run = ++this.issuesRun;
    return findDataIssues(this.evaluator, this.get(id), spec, opts, (done, total) => {
      if (run !== this.issuesRun) throw new LoupeError('cancelled', 'Cancelled.');
      onProgress?.(done, total);
    });
  }

  /**
   * The map: a PCA (or UMAP) projection of the embedding, or of the numeric features, kept per
   * dataset, roles and method; progress as a fraction with what is happening; `cancelProjection` stops it.
   */
  async projection(
    id: string,
    spec: EvalSpec,
    method: ProjectionMethod = 'pca',
    onProgress?: (done: number, stage: string) => void,
  ): Promise<MapProjection> {
    const d = this.get(id);
    const e = spec.roles.embedding;
    const key = JSON.stringify([id, e, e ? null : spec.roles.features, method]);
    const hit = this.projected.get(key);
    if (hit) return hit;
    const run = ++this.projectionRun;
    const map = projectRows(this.evaluator, d, spec, method, (done, stage) => {
      if (run !== this.projectionRun) throw new LoupeError('cancelled', 'Cancelled.');
      onProgress?.(done, stage);
    });
    this.projected.set(key, map);
    if (this.projected.size > 4) this.projected.delete(this.projected.keys().next().value!);
    map.catch(() => this.projected.get(key) === map && this.projected.delete(key));
    return map;
  }

  /** Stops a UMAP layout in progress (it rejects with `cancelled`). */
  cancelProjection(): void {
    this.projectionRun++;
  }

  /** The map's colours (by label, prediction, right/wrong, label quality or a column) and the active slice's rows. */
  mapLayer(id: string, spec: EvalSpec, by: ColourBy, highlight: Predicate | null): Promise<MapLayer> {
    return mapLayer(this.evaluator, this.get(id), spec, by, highlight);
  }

  /** Stops a running data-issue search (it rejects with `cancelled`). */
  cancelDataIssues(): void {
    this.issuesRun++;
  }

  /** Stops a running slice search (it rejects with `cancelled`). */
  cancelSlices(): void {
    this.sliceRun++;
  }

  /** "Slice by column": the groups of a column (values, or quantile bins of a numeric one). */
  async groups(id: string, column: string, bins?: number): Promise<Group[]> {
    checkOptions({ bins }, 'Slice by column');
    return this.evaluator.groups(this.get(id), column, bins);
  }

  /**
   * The JSON report, byte for byte what `loupe eval --json` writes. With `stream`, or past
   * STREAM_ROWS rows, it is computed in one pass over the data in memory that does not grow with
   * the rows, without bootstrap intervals (see streamedEvaluations).
   */
  async reportJson(
    id: string,
    spec: EvalSpec,
    opts: {
      by?: string[];
      where?: Predicate[];
      resamples: number;
      bins?: number;
      stream?: boolean;
      /** Rows per batch of a streamed report (tests make it small). */
      batchRows?: number;
    },
  ): Promise<string> {
    const { resamples, bins, batchRows } = opts;
    checkOptions({ threshold: spec.threshold, resamples, bins, batchRows }, 'Report');
    if (opts.stream !== undefined && typeof opts.stream !== 'boolean')
      throw new LoupeError('bad-usage', 'Report: stream must be true or false.');
    const t = this.get(id);
    if (!opts.stream && t.rows <= STREAM_ROWS) return reportJson(await this.evaluator.report(t, spec, opts));
    return reportJson(toReport(await this.streamed(t, spec, opts)));
  }

  /**
   * The point evaluations of every row and of each `where` slice, and the confusion matrices of
   * each group of the `by` columns, in one pass over the data in memory that does not grow with the
   * rows (`loupe check` past STREAM_ROWS). A `where` that DuckDB cannot bind fails before the pass,
   * with its text as the error's `value`.
   */
  async evaluateStreamed(
    id: string,
    spec: EvalSpec,
    opts: { by?: string[]; where?: Predicate[]; bins?: number; batchRows?: number },
  ): Promise<ReportInput> {
    checkOptions({ threshold: spec.threshold, bins: opts.bins, batchRows: opts.batchRows }, 'Evaluate');
    return this.streamed(this.get(id), spec, { ...opts, groupsCounted: true });
  }

  private async streamed(
    t: EvalTable,
    spec: EvalSpec,
    opts: { by?: string[]; where?: Predicate[]; bins?: number; batchRows?: number; groupsCounted?: boolean },
  ): Promise<ReportInput> {
    const by = [];
    for (const column of opts.by ?? []) by.push({ column, ...(await this.evaluator.groupCodes(t, column, opts.bins)) });
    const runner = await this.runner;
    const translated = async <T>(run: () => Promise<T>) => {
      try {
        return await run();
      } catch (e) {
        throw describeDuckError(e, {});
      }
    };
    // Each slice's SQL is made and bound on no rows first, so that one that fails says which it is.
    const slices = [];
    for (const w of opts.where ?? []) {
      // As the user wrote it, for the report and for an error to point at.
      const text = w.kind === 'sql' ? w.sql.trim() : null;
      try {
        const sql = sqlOf(t, w);
        await translated(() => runner.table(`SELECT ${sql} AS s FROM ${ident(t.id)} LIMIT 0`));
        slices.push({ where: text ?? sql, sql });
      } catch (e) {
        if (e instanceof LoupeError && text !== null)
          throw new LoupeError(e.code, e.message, { ...e.context, value: text });
        throw e;
      }
    }
    const sql = {
      table: (q: string) => translated(() => runner.table(q)),
      stream: (q: string, rows: number, each: (b: Table) => void) => translated(() => runner.stream(q, rows, each)),
    };
    return streamedEvaluations(sql, t, spec, by, slices, opts);
  }

  /** A set of rows to page through: a slice (null: all), optionally narrowed by a test behind a chart mark. */
  rowSet(
    id: string,
    spec: EvalSpec | null,
    where: Predicate | null,
    test?: RowTest,
    order?: RowOrder,
  ): Promise<{ key: string; count: number }> {
    return this.evaluator.rowSet(this.get(id), spec, where, test, order);
  }

  /** The position of the file's row `row` in a row set (−1: not in it). */
  rowSetPosition(id: string, key: string, row: number): number {
    return this.evaluator.position(this.get(id), key, row);
  }

  /** One page of a row set, with each row's number in the file. */
  async rowSetPage(id: string, key: string, offset: number, limit: number): Promise<RowPage> {
    const rowids = this.evaluator.page(this.get(id), key, offset, limit);
    const page = await this.rows(id, 0, 0, rowids);
    return { ...page, offset, rowids };
  }

  async close(id: string): Promise<void> {
    this.evaluator.forget(id);
    this.others.delete(id);
    this.datasets.delete(id);
    await this.query(`DROP TABLE IF EXISTS ${ident(id)}`);
  }
}

/** A column known by its name and type only: not profiled. */
const unprofiled = (c: ColumnType): ColumnProfile => ({
  ...c,
  kind: kindOfType(c.type),
  nulls: 0,
  distinct: 0,
  sample: [],
  unprofiled: true,
});

/**
 * An id as two files are matched on: its text without surrounding spaces; an id written as a whole
 * number, however (`7`, `0007`, `7.0`, as Excel and pandas' float columns write it), as that number.
 * In SQL, as core/labels/ids' idKey in JavaScript.
 */
function idKey(q: string): string {
  const text = `trim(CAST(${q} AS VARCHAR))`;
  return `CASE WHEN regexp_full_match(${text}, '[+-]?[0-9]{1,30}(\\.0*)?') THEN CAST(TRY_CAST(regexp_replace(${text}, '\\.0*$', '') AS HUGEINT) AS VARCHAR) ELSE ${text} END`;
}
