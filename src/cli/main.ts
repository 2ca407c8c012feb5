import { openAsBlob, readdirSync, statSync } from 'node:fs';
import { open, realpath, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { version } from '../../package.json';
import { LoupeError, messageOf, plural } from '../core/errors';
import { inRange, rangeWords, type Range } from '../core/options';
import {
  predictionsOf,
  prefixedProbs,
  probColumnNames,
  roleColumns,
  type ProbRole,
  type RoleOverrides,
  type Roles,
  type Task,
} from '../core/table/roles';
import type { ColumnProfile } from '../core/table/schema';
import type { DataIssue } from '../core/table/validate';
import type { DataEngine, DatasetInfo, PickColumns } from '../engine/DataEngine';

type Command = (args: string[], io: IO) => Promise<number>;
/** Each command's module is loaded when it runs, so `loupe --help` starts no engine. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  eval: async () => (await import('./eval')).evalCommand,
  slices: async () => (await import('./slices')).slicesCommand,
  issues: async () => (await import('./labels')).issuesCommand,
  datalab: async () => (await import('./datalab')).datalabCommand,
  agree: async () => (await import('./labels')).agreeCommand,
  fairness: async () => (await import('./audit')).fairnessCommand,
  check: async () => (await import('./check')).checkCommand,
  compare: async () => (await import('./audit')).compareCommand,
  drift: async () => (await import('./audit')).driftCommand,
  predict: async () => (await import('./predict')).predictCommand,
};

/** Engines of the command running now, let go when it ends (`main` runs one command at a time). */
const engines = new Set<DataEngine>();

/** A data engine on DuckDB, started on first use. */
export async function newEngine(files: string[]): Promise<DataEngine> {
  const [{ DataEngine }, { nodePlatform }] = await Promise.all([
    import('../engine/DataEngine'),
    import('../engine/nodePlatform'),
  ]);
  // A folder the user named is the Parquet parts in it (see partsOf).
  const paths = files.flatMap((f) => (isFolder(f) ? partsOf(f) : [f]));
  const engine = new DataEngine(nodePlatform({ files: paths }));
  // No table is shown before it is profiled here: a large one is not listed early (nor waited on).
  engine.earlyRows = Infinity;
  engines.add(engine);
  return engine;
}

export const USAGE = `Usage: loupe <command> [options]

Commands:
  eval <file>     metrics with intervals, per-class scores, confusion, groups and slices
  eval <truth> <predictions>      the same, the model's output in a second file joined on an id
                  (a Kaggle solution and submission; --id COL where no column names it); so too
                  slices, issues, fairness and check
  slices <file>   the slices where the model fails most (SliceLine), with p-values
  issues <file>   likely label errors (confident learning, as cleanlab), most likely first;
                  for a regression, the errors beyond Q3 + 1.5 × IQR of |label − prediction|
  datalab <file>  near duplicates, outliers, class imbalance, label errors (as cleanlab Datalab)
  agree <file> <file> [<file>…]   agreement between reviewers' labels of the same ids
  fairness <file> --by COL        group fairness (as fairlearn): rates of a class, or a regression's errors
  check <file> --gates gates.json quality gates for CI (exit 1 when one fails)
  compare <file> --pred-b COL     model B against model A (the role options) on the same rows
  compare <a> <b> --id COL        the same, for two files of predictions joined on an id
                  (or in order, where neither has one)
  drift <reference> <current>     column by column: KS / χ², PSI, Wasserstein / Jensen–Shannon
  predict <data> --model FILE     run an ONNX model over the data; writes it with pred__/prob__ columns

Role options (every command; detected from column names when left out):
  --label COL            ground-truth column
  --pred COL             prediction column
  --probs COL,COL,…      probability columns (class = column name after their common prefix),
                         or one list column
  --probs-prefix PREFIX  probability columns named PREFIX<class>, or by a pattern with * for the
                         class (--probs-prefix '*_prob' for cat_prob, dog_prob)
  --task classification|regression
  --positive CLASS       positive class of a binary task
  --threshold X          binary: predict the positive class when p(positive) ≥ X

eval options:
  --by COL               metrics per value of COL (repeatable)
  --where SQL            metrics of the rows where SQL holds (repeatable)
  --bootstrap N          bootstrap resamples for intervals (default 1000; 0: Wilson intervals only)
  --stream               one pass over the data, in memory that does not grow with the rows, without
                         bootstrap intervals (automatic past 20,000,000 rows; DuckDB's memory:
                         LOUPE_MEMORY_LIMIT, default half the machine's, spilling to disk beyond it)
  --json                 the JSON report
  --out FILE             write to FILE instead of standard output

slices options:
  --features a,b,c       feature columns (default: all; categorical ones with > 100 values left out)
  --k 10  --max-level 3  --alpha 0.95  --min-support N (default max(32, ⌈n/100⌉))
  --bins 5               bins for numeric columns
  --binning quantile|width   equal-count (default) or equal-width bins
  --error misclassified|logloss|true-class-prob|absolute|squared
  --json  --out FILE

issues options:
  --id COL  --filter-by prune_by_noise_rate|prune_by_class|both|confident_learning|predicted_neq_given
  --rank-by self_confidence|normalized_margin|confidence_weighted_entropy  (classification only)
  --json  --out FILE

datalab options:
  --embedding COL|PREFIX  a list column, or numbered columns PREFIX0…PREFIXn (default: detected
                         emb_0…emb_n or a list column named embedding; else the numeric features)
  --issues near_duplicate,outlier,class_imbalance,label   (default: those the roles allow)
  --k 10                 nearest neighbours per row  --metric euclidean|cosine (default: cosine
                         above 3 dimensions, as Datalab)  --search auto|exact|approximate (auto:
                         exact up to ~1e11 multiply-adds, else an index with its recall)
  --id COL  --json  --out FILE

agree options:
  --id COL  --label COL  --json  --out FILE
  --numeric              the labels are numbers (a regression's): each pair's mean |difference| and
                         Krippendorff's alpha (interval) instead of Cohen's and Fleiss' kappa

fairness options:
  --by COL (repeatable)  --bins 5 (numeric columns)  --json  --out FILE

compare options:
  --pred-b COL  --probs-prefix-b PREFIX   model B's columns (two files: detected in the second)
  --id COL  --by COL (repeatable)  --bins 5  --bootstrap 1000  --slices (where regressions concentrate)
  --json  --out FILE

drift options:
  --columns a,b,c  --p 0.05  --psi 0.1 (drifted: p-value below --p and PSI at least --psi)
  --json  --out FILE

predict options:
  --model FILE (.onnx or TF.js model.json)  --features a,b,c | --spec preprocessing.json
  --classes FILE (class names: one per line, or a JSON list)  --name NAME (default: the model
  file's base name)  --batch 4096  --out FILE (.csv or .parquet)  --label COL (class names)
  --embedding OUTPUT (a second ONNX output, added as the list column emb__NAME)

check options:
  --gates FILE           a list of gates: {"metric": "accuracy", "min": 0.9},
                         {"metric": "macro_f1", "where": "season = 'winter'", "min": 0.7},
                         {"metric": "recall", "class": "malignant", "min": 0.9},
                         {"metric": "demographic_parity_difference", "by": "sex", "max": 0.1},
                         {"metric": "accuracy", "baseline": "baseline.json", "max_drop": 0.01}
                         (baseline: a saved loupe eval --json; paths relative to the gates file)
  --junit FILE           JUnit XML, one test case per gate
  --stream               every gate from one pass over the data, in memory that does not grow with the
                         rows (automatic past 20,000,000 rows)
  --json  --out FILE

Data files: CSV or TSV, Parquet (or a folder of Parquet parts), Arrow IPC, JSON or NDJSON (gzipped or
not), an Excel workbook (.xlsx: its first sheet), a NumPy array (.npy, one column named after the file).
A data file of "-" is read from standard input (cat data.csv | loupe eval -); its format is told from its content.
loupe --version prints the version.

Exit codes: 0 success, 1 a quality gate failed (check), 2 bad usage or bad input.`;

export const ROLE_OPTIONS = {
  label: { type: 'string' },
  pred: { type: 'string' },
  probs: { type: 'string' },
  'probs-prefix': { type: 'string' },
  task: { type: 'string' },
  positive: { type: 'string' },
  threshold: { type: 'string' },
  json: { type: 'boolean' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} satisfies ParseArgsConfig['options'];

export type Values = Record<string, string | boolean | string[] | undefined>;

/** Bad usage: exit code 2 with a one-line message. */
export class UsageError extends Error {}

export interface IO {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

export async function main(argv: string[], io: IO = { out: process.stdout, err: process.stderr }): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (!command || command === '--help' || command === '-h') {
      io.out.write(USAGE + '\n');
      return command ? 0 : 2;
    }
    if (command === '--version' || command === '-V') {
      io.out.write(`loupe ${version}\n`);
      return 0;
    }
    if (Object.hasOwn(COMMANDS, command)) return await (await COMMANDS[command]())(rest, io);
    throw new UsageError(
      `unknown command ${JSON.stringify(command)} (try: loupe eval | slices | issues | datalab | agree | fairness | compare | drift | check | predict)`,
    );
  } catch (e) {
    // One line, never a stack trace: a person reads it in a CI log.
    const msg = e instanceof UsageError || e instanceof LoupeError ? e.message : `unexpected error: ${messageOf(e)}`;
    io.err.write(`loupe: ${msg.replace(/\s*\n\s*/g, ' ')}\n`);
    return 2;
  } finally {
    // An engine that never started (native DuckDB missing) has nothing to let go.
    await Promise.allSettled([...engines].map((e) => e.dispose()));
    engines.clear();
  }
}

export function parse(args: string[], options: ParseArgsConfig['options']): { values: Values; positionals: string[] } {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true }) as {
      values: Values;
      positionals: string[];
    };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  // Output files are checked before any work, so a typo in a folder costs nothing.
  for (const flag of ['out', 'junit'])
    if (typeof parsed.values[flag] === 'string') checkOutput(flag, parsed.values[flag] as string);
  return parsed;
}

/** A numeric option checked against its range; the message gives the range. */
export function number(values: Values, name: string, r: Range): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const x = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !inRange(x, r))
    throw new UsageError(`--${name} ${JSON.stringify(v)}: expected ${rangeWords(r)}`);
  return x;
}

/** Inputs larger than this are refused: the engine holds a file in memory while loading it. */
export const MAX_INPUT_BYTES = 2 ** 31 - 1;

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is not a folder',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
  EMFILE: 'too many open files',
};
const reason = (e: unknown) => REASONS[(e as NodeJS.ErrnoException).code ?? ''] ?? (e as Error).message;

/**
 * Checks that `file` is a regular file to read (never a folder, FIFO, socket or device, which could
 * block or never end) of at most `limit` bytes; anything else is a usage error naming it. Returns
 * its size and resolved path.
 */
async function inputFile(file: string, limit: number): Promise<{ size: number; real: string }> {
  try {
    const s = await stat(file);
    if (s.isDirectory()) throw new UsageError(`cannot read ${file}: it is a folder, not a file`);
    if (!s.isFile())
      throw new UsageError(`cannot read ${file}: not a regular file (a pipe, socket or device is not read)`);
    if (s.size > limit)
      throw new UsageError(
        `cannot read ${file}: it is ${(s.size / 2 ** 20).toFixed(0)} MiB, above the limit of ${(limit / 2 ** 20).toFixed(0)} MiB`,
      );
    return { size: s.size, real: await realpath(file) };
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot read ${file}: ${reason(e)}`);
  }
}

/** A file's bytes (models, gates, baselines): a regular file of at most `limit` bytes. */
export async function readInput(file: string, limit = MAX_INPUT_BYTES): Promise<Uint8Array> {
  const { size } = await inputFile(file, limit);
  try {
    const h = await open(file, 'r');
    try {
      // Read what stat promised and no more: a file that grows while read does not grow the input.
      const buf = new Uint8Array(size);
      let at = 0;
      while (at < size) {
        const { bytesRead } = await h.read(buf, at, size - at, at);
        if (bytesRead === 0) break;
        at += bytesRead;
      }
      return at === size ? buf : buf.subarray(0, at);
    } finally {
      await h.close();
    }
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${reason(e)}`);
  }
}

/**
 * `rel`, a path that one file names for another below its own folder `dir` (a baseline, a weight
 * file), followed through links: null when it resolves outside `dir`, so that a link placed there
 * does not reach other files. A missing file is returned as named (reading it says so).
 */
export async function inFolder(dir: string, rel: string): Promise<string | null> {
  const file = path.resolve(dir, rel);
  let real: string;
  let realDir: string;
  try {
    [real, realDir] = await Promise.all([realpath(file), realpath(dir)]);
  } catch {
    return file;
  }
  const up = path.relative(realDir, real);
  return up.startsWith('..') || path.isAbsolute(up) ? null : real;
}

/** Standard input, whole (a data file named "-"): refused when it is a terminal or holds nothing. */
async function readStdin(limit = MAX_INPUT_BYTES): Promise<Uint8Array> {
  if (process.stdin.isTTY)
    throw new UsageError('"-" reads the data from standard input, which is a terminal: pipe a file into it');
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > limit) throw new UsageError(`standard input holds more than ${limit} bytes: give the file by its name`);
    parts.push(chunk);
  }
  if (size === 0) throw new UsageError('standard input is empty: there is no data to read');
  return Buffer.concat(parts);
}

/** Checks before any work that `file` can be written: its folder exists and it is not a folder itself. */
function checkOutput(flag: string, file: string): void {
  const dir = path.dirname(path.resolve(file));
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(`--${flag} ${JSON.stringify(file)}: the folder ${dir} does not exist`);
  const f = statSync(file, { throwIfNoEntry: false });
  if (f && !f.isFile()) throw new UsageError(`--${flag} ${JSON.stringify(file)}: it exists and is not a regular file`);
}

/** Writes an output file; a failure is one line naming it. */
export async function writeOutput(flag: string, file: string, data: string | Uint8Array): Promise<void> {
  try {
    await writeFile(file, data);
  } catch (e) {
    throw new UsageError(`--${flag} ${JSON.stringify(file)}: cannot write it: ${reason(e)}`);
  }
}

/**
 * Opens a data file in an engine (named by its base name). Native DuckDB reads it where it lies,
 * in slices, so any size works; the file is also handed over as a disk-backed Blob (never read
 * whole here) for sniffing its start, and for DuckDB-wasm, which reads it into memory.
 */
const isFolder = (file: string) => {
  try {
    return file !== '-' && statSync(file).isDirectory();
  } catch {
    return false;
  }
};

/**
 * The Parquet parts of a folder (Spark's and pandas' partitioned output: `part-00000-….parquet`
 * beside `_SUCCESS` and `.crc` files, which are left out), in name order. A folder of folders
 * (`year=2024/`, Hive partitions, whose columns are in the folder names) is not read.
 */
function partsOf(folder: string): string[] {
  const entries = readdirSync(folder, { withFileTypes: true }).filter((e) => !/^[._]/.test(e.name));
  const folders = entries.filter((e) => e.isDirectory());
  if (folders.length)
    throw new UsageError(
      `cannot read ${folder}: it holds folders (${folders[0].name}/); give a folder of .parquet files, or one file`,
    );
  const parts = entries
    .filter((e) => e.isFile() && /\.parquet$/i.test(e.name))
    .map((e) => path.join(folder, e.name))
    .sort();
  if (!parts.length)
    throw new UsageError(`cannot read ${folder}: it is a folder, not a file, and holds no .parquet files`);
  return parts;
}

export async function openFile(
  engine: DataEngine,
  file: string,
  pick?: PickColumns,
  project = false,
): Promise<DatasetInfo> {
  if (file === '-') return engine.open({ name: 'stdin', bytes: await readStdin() }, undefined, pick, { project });
  if (isFolder(file)) {
    const parts = await Promise.all(partsOf(file).map((p) => inputFile(p, Number.MAX_SAFE_INTEGER)));
    const name = path.basename(path.resolve(file));
    const first = await openAsBlob(parts[0].real);
    const src = { name, path: parts[0].real, file: first, parts: parts.map((p) => p.real) };
    return engine.open(src, undefined, pick, { project });
  }
  const { real } = await inputFile(file, Number.MAX_SAFE_INTEGER);
  let blob: Blob;
  try {
    blob = await openAsBlob(real);
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${reason(e)}`);
  }
  return engine.open({ name: path.basename(file), path: real, file: blob }, undefined, pick, { project });
}

/**
 * Opens a data file with the engine and applies the role options (and `extra` overrides); exits
 * with a message on bad input. With `only`, a command that reads the roles' columns and these
 * profiles no other column (see `DataEngine.open`): a file's unused columns are not scanned; and,
 * with `project` (no SQL of the user's names other columns), not even read.
 */
export async function openWithRoles(
  file: string,
  values: Values,
  {
    more = [],
    extra = {},
    strict = true,
    only,
    project = false,
    predictions,
  }: {
    more?: string[];
    extra?: RoleOverrides;
    strict?: boolean;
    only?: string[];
    project?: boolean;
    /** A second file holding the model's output for the first's rows, joined on an id (see predictionsOf). */
    predictions?: string;
  } = {},
): Promise<{ engine: DataEngine; info: DatasetInfo; roles: Roles; warnings: string[]; errors: DataIssue[] }> {
  const task = values.task as string | undefined;
  if (task !== undefined && task !== 'classification' && task !== 'regression')
    throw new UsageError(`--task must be classification or regression, not ${JSON.stringify(task)}`);
  if (predictions !== undefined) return openJoined(file, predictions, values, extra, strict);
  const list = probsList(values);
  /** The role options as overrides, checked against the columns' names (when `name` is given). */
  const overrides = (columns: ColumnProfile[], name?: string): RoleOverrides => {
    const names = columns.map((c) => c.name);
    const need = (flag: string, col: string | undefined) => {
      if (name !== undefined && col !== undefined && !names.includes(col))
        throw new UsageError(`--${flag}: no column ${JSON.stringify(col)} in ${name} (columns: ${names.join(', ')})`);
      return col;
    };
    const over: RoleOverrides = {
      ...extra,
      label: need('label', values.label as string | undefined),
      pred: need('pred', values.pred as string | undefined),
      task: task as Task | undefined,
    };
    list?.forEach((c) => need('probs', c));
    if (values['probs-prefix'] !== undefined) over.probs = String(values['probs-prefix']);
    else if (list?.length === 1) over.probs = list[0];
    for (const k of ['label', 'pred', 'task'] as const) if (over[k] === undefined) delete over[k];
    return over;
  };
  const engine = await newEngine([file, ...more]);
  // The role options are checked against the file's columns here: a narrower table would list fewer.
  const name = file === '-' ? 'stdin' : path.basename(file);
  const pick: PickColumns | undefined =
    only && ((columns) => [...roleColumns(columns, overrides(columns, name)), ...(list ?? []), ...only]);
  const info = await openFile(engine, file, pick, project);
  const over = overrides(info.columns, info.name);
  const { roles, issues } = await engine.roles(info.id, over);
  if (list && list.length > 1) {
    roles.probs = listedProbs(list);
    roles.features = roles.features.filter((f) => !list.includes(f));
  }
  if (values['probs-prefix'] !== undefined && !roles.probs)
    throw new UsageError(
      `--probs-prefix ${JSON.stringify(values['probs-prefix'])}: no numeric columns ${String(values['probs-prefix']).includes('*') ? 'fit it' : 'start with it'}`,
    );
  const errors = issues.filter((i) => i.level === 'error');
  // Not strict: the caller may do without a label or probabilities, and judges the errors itself.
  if (errors.length && strict) throw new LoupeError('bad-roles', inCliWords(errors[0]));
  const warnings = [...info.notes, ...issues.filter((i) => i.level === 'warning').map(inCliWords)];
  return { engine, info, roles, errors, warnings };
}

/**
 * A command's data files: one, or a ground-truth file and a file of the model's output for its
 * rows (`loupe eval <truth> <predictions>`, see openJoined).
 */
export function dataFiles(positionals: string[], usage: string): { file: string; predictions?: string } {
  if (positionals.length === 1 || positionals.length === 2)
    return { file: positionals[0], predictions: positionals[1] };
  throw new UsageError(
    positionals.length
      ? `expected a data file, or a ground-truth file and a predictions file, got ${positionals.length} files`
      : `missing the data file: ${usage}`,
  );
}

/**
 * Ground truth in `file` and the model's output in `predictions`, joined on an id: the role options
 * name the truth's label and id, and the predictions file's prediction and probability columns.
 */
async function openJoined(file: string, predictions: string, values: Values, extra: RoleOverrides, strict: boolean) {
  const engine = await newEngine([file, predictions]);
  const truth = await openFile(engine, file);
  const preds = await openFile(engine, predictions);
  const given = (flag: string, d: DatasetInfo, col = values[flag] as string | undefined) => {
    if (col !== undefined && !d.columns.some((c) => c.name === col))
      throw new UsageError(`--${flag}: no column ${JSON.stringify(col)} in ${d.name}`);
    return col;
  };
  const id = values.id === undefined ? undefined : (given('id', truth), given('id', preds));
  const outputsGiven = ['pred', 'probs', 'probs-prefix'].some((k) => values[k] !== undefined);
  const plan = predictionsOf(truth.columns, preds.columns, truth.rows, {
    id,
    label: given('label', truth),
    outputsGiven,
    sameRows: truth.rows === preds.rows,
  });
  if (typeof plan === 'string')
    throw new UsageError(
      `${plan} Name ${/id column/.test(plan) ? 'it with --id COL' : /label/.test(plan) ? 'it with --label COL' : 'them with --pred COL or --probs-prefix PREFIX'}.`,
    );
  // The role options name the predictions file's columns; what predictionsOf found stands otherwise.
  const list = probsList(values);
  list?.forEach((c) => given('probs', preds, c));
  const own = engine.detect(preds.id, {
    label: null,
    pred: given('pred', preds) ?? null,
    probs: (values['probs-prefix'] as string | undefined) ?? null,
  });
  if (values['probs-prefix'] !== undefined && !own.probs)
    throw new UsageError(
      `--probs-prefix ${JSON.stringify(values['probs-prefix'])}: no numeric columns fit it in ${preds.name}`,
    );
  const pred = values.pred !== undefined ? own.pred : plan.pred;
  const probs = list ? listedProbs(list) : values['probs-prefix'] !== undefined ? own.probs : plan.probs;
  const at = (c: string) => preds.columns.findIndex((x) => x.name === c);
  const only = [...(pred ? [pred] : []), ...probColumnNames(probs)].sort((a, b) => at(a) - at(b));
  const info = await engine.joinOnId(truth.id, preds.id, plan.id, `${truth.name} + ${preds.name}`, only);
  const roles = engine.detect(info.id, {
    ...extra,
    label: plan.label,
    pred: pred ? `b__${pred}` : null,
    probs: null,
    ...(values.task ? { task: values.task as Task } : {}),
  });
  roles.probs = probs && prefixedProbs(probs, 'b__');
  roles.features = roles.features.filter((f) => !f.startsWith('b__'));
  if (roles.probs && values.task === undefined) roles.task = 'classification';
  const issues = await engine.validate(info.id, roles);
  const errors = issues.filter((i) => i.level === 'error');
  if (errors.length && strict) throw new LoupeError('bad-roles', inCliWords(errors[0]));
  const warnings = [
    ...truth.notes,
    ...preds.notes,
    `${truth.name} and ${preds.name} joined ${plan.id === null ? `row by row (no id column in both; ${plural(truth.rows, 'row')} each)` : `on ${plan.id}`}: the label is ${plan.label} of ${truth.name}, the model's output ${only.join(', ')} of ${preds.name}.`,
    ...info.notes,
    ...issues.filter((i) => i.level === 'warning').map(inCliWords),
  ];
  return { engine, info, roles, errors, warnings };
}

/** A data problem as the command line says it: "choose the column" becomes the option that does it. */
export function inCliWords(issue: DataIssue): string {
  const option = { label: '--label COL', pred: '--pred COL', probs: '--probs-prefix PREFIX (or --probs a,b,c)' }[
    issue.role
  ];
  return issue.message
    .replace(/choose the column that holds (it|the ground truth)/, `name the column that holds $1 with ${option}`)
    .replace(
      'Labels in another file are joined to these rows on an id (or in order): open that file too.',
      'Labels in another file are joined to these rows on an id (or in order): give that file first (loupe eval <labels> <this file>).',
    );
}

/** `--probs a,b,c`: the columns named, or undefined. */
const probsList = (values: Values): string[] | undefined =>
  values.probs === undefined
    ? undefined
    : String(values.probs)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

/** Probability columns named one by one: each one's class is its name after their common prefix. */
function listedProbs(list: string[]): ProbRole {
  const prefix = commonPrefix(list);
  return { kind: 'columns', prefix, columns: list.map((column) => ({ cls: column.slice(prefix.length), column })) };
}

/** The names' common start, up to a separator (`prob_cat`, `prob_cow`: `prob_`, not `prob_c`). */
function commonPrefix(names: string[]): string {
  if (names.length < 2) {
    const m = /^(prob_|proba_|p_)/i.exec(names[0] ?? '');
    return m ? m[1] : '';
  }
  let p = names[0];
  for (const n of names) while (!n.startsWith(p)) p = p.slice(0, -1);
  return p.replace(/[\p{L}\p{N}]+$/u, '');
}

export async function emit(text: string, values: Values, out: NodeJS.WritableStream): Promise<void> {
  if (typeof values.out === 'string') await writeOutput('out', values.out, text);
  else out.write(text);
}
