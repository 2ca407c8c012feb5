import { metricInfo } from '../core/metrics/catalogue';
import path from 'node:path';
import { LoupeError } from '../core/errors';
import { metricKeys, type EvalReport, type Evaluation, type ReportInput } from '../core/metrics/report';
import { countsOfConfusion, fairnessOfCounts } from '../core/audit/fairness';
import { fairnessClass, fairnessNeedsClasses } from '../engine/audit';
import { STREAM_ROWS } from '../engine/streamedReport';
import type { EvalSpec } from '../engine/Evaluator';
import type { DataEngine } from '../engine/DataEngine';
import type { Predicate } from '../core/slices/predicate';
import { parseExpression } from '../core/slices/expression';
import {
  dataFiles,
  emit,
  inFolder,
  number,
  openWithRoles,
  parse,
  readInput,
  writeOutput,
  ROLE_OPTIONS,
  USAGE,
  UsageError,
  type IO,
} from './main';
import { RANGES } from '../core/options';
import { table } from './tables';

/** One quality gate, as written in gates.json. */
export interface Gate {
  metric: string;
  name?: string;
  min?: number;
  max?: number;
  /** SQL: the gate is on the rows where it holds. */
  where?: string;
  /** Fairness metrics: the sensitive column. */
  by?: string;
  /** Per-class precision, recall or f1: the class. */
  class?: string;
  /** A saved `loupe eval --json`; with max_drop, the metric may be at most that much worse than there. */
  baseline?: string;
  max_drop?: number;
}

export interface GateResult {
  name: string;
  metric: string;
  value: number | null;
  condition: string;
  passed: boolean;
  message: string;
}

const FAIRNESS = [
  'demographic_parity_difference',
  'demographic_parity_ratio',
  'equalized_odds_difference',
  'equalized_odds_ratio',
] as const;
const PER_CLASS = ['precision', 'recall', 'f1'] as const;
/** Metrics where smaller is better: for them a "drop" is a rise. */
/** Fairness gaps: lower is better, as for the catalogue's error metrics. */
const GAPS = new Set(['demographic_parity_difference', 'equalized_odds_difference']);
const KEYS = new Set(['metric', 'name', 'min', 'max', 'where', 'by', 'class', 'baseline', 'max_drop']);

/** Reads and checks gates.json: a list of gates (or {"gates": [...]}); every mistake is a usage error naming the gate. */
export function parseGates(text: string, file: string): Gate[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  const list = Array.isArray(raw) ? raw : (raw as { gates?: unknown })?.gates;
  if (!Array.isArray(list) || !list.length)
    throw new UsageError(`${file}: expected a list of gates, such as [{"metric": "accuracy", "min": 0.9}]`);
  return list.map((g, i) => {
    const at = `${file}: gate ${i + 1}`;
    if (!g || typeof g !== 'object' || Array.isArray(g)) throw new UsageError(`${at} is not an object`);
    for (const k of Object.keys(g))
      if (!KEYS.has(k)) throw new UsageError(`${at}: unknown key ${JSON.stringify(k)} (keys: ${[...KEYS].join(', ')})`);
    const gate = g as Gate;
    if (typeof gate.metric !== 'string') throw new UsageError(`${at}: "metric" must name a metric`);
    for (const k of ['min', 'max', 'max_drop'] as const)
      if (gate[k] !== undefined && !Number.isFinite(gate[k])) throw new UsageError(`${at}: "${k}" must be a number`);
    for (const k of ['where', 'by', 'class', 'baseline', 'name'] as const)
      if (gate[k] !== undefined && typeof gate[k] !== 'string') throw new UsageError(`${at}: "${k}" must be a string`);
    if (gate.min === undefined && gate.max === undefined && gate.max_drop === undefined)
      throw new UsageError(`${at}: give "min", "max" or "baseline" with "max_drop"`);
    if ((gate.baseline === undefined) !== (gate.max_drop === undefined))
      throw new UsageError(`${at}: "baseline" and "max_drop" go together`);
    const fair = (FAIRNESS as readonly string[]).includes(gate.metric);
    if (fair && !gate.by) throw new UsageError(`${at}: ${gate.metric} needs "by" (the sensitive column)`);
    if (!fair && gate.by) throw new UsageError(`${at}: "by" is for the fairness metrics (${FAIRNESS.join(', ')})`);
    if (fair && gate.baseline) throw new UsageError(`${at}: a baseline holds no fairness metrics; use "max"`);
    if (gate.class !== undefined && !(PER_CLASS as readonly string[]).includes(gate.metric))
      throw new UsageError(`${at}: "class" is for ${PER_CLASS.join(', ')}`);
    if (gate.where !== undefined) {
      try {
        parseExpression(gate.where);
      } catch (e) {
        throw new UsageError(`${at}: "where": ${(e as Error).message}`);
      }
    }
    if (gate.baseline !== undefined) checkBaselinePath(gate.baseline, at);
    return gate;
  });
}

/**
 * A baseline is named by a gates file, which may come from anywhere: it must be a .json file in the
 * gates file's folder or below it (no absolute path, no "..", no NUL), so a gates file cannot make
 * `loupe check` read other files.
 */
function checkBaselinePath(p: string, at: string): void {
  const parts = p.split(/[\\/]/);
  if (path.isAbsolute(p) || /^[a-zA-Z]:/.test(p) || p.includes('\0') || parts.includes('..') || !/\.json$/i.test(p)) {
    throw new UsageError(
      `${at}: "baseline" ${JSON.stringify(p)} must be a .json file in the gates file's folder or below it`,
    );
  }
}

const fmt = (v: number | null) => (v === null ? 'undefined' : String(Number(v.toFixed(6))));

/** `loupe check <file> --gates gates.json …`: quality gates for CI; exit 1 when one fails. */
export async function checkCommand(args: string[], io: IO): Promise<number> {
  const { values, positionals } = parse(args, {
    ...ROLE_OPTIONS,
    gates: { type: 'string' },
    id: { type: 'string' },
    junit: { type: 'string' },
    stream: { type: 'boolean' },
  });
  if (values.help) return (io.out.write(USAGE + '\n'), 0);
  const { file, predictions } = dataFiles(positionals, 'loupe check <file> [<predictions>] --gates gates.json');
  if (typeof values.gates !== 'string') throw new UsageError('give the gates: --gates gates.json');
  const gatesFile = values.gates;
  const gates = parseGates(await read(gatesFile), gatesFile);
  const threshold = number(values, 'threshold', RANGES.threshold);
  // Only the roles' columns and the fairness gates' groups are profiled; and only they are read unless a gate has a "where".
  const { engine, info, roles, warnings } = await openWithRoles(file, values, {
    only: gates.flatMap((g) => (g.by ? [g.by] : [])),
    project: !gates.some((g) => g.where),
    predictions,
  });
  for (const w of warnings) io.err.write(`loupe: warning: ${w}\n`);
  const spec = { roles, positive: (values.positive as string | undefined) ?? null, threshold: threshold ?? null };
  const baselines = new Map<string, EvalReport>();
  const results: GateResult[] = [];
  for (const [i, g] of gates.entries()) {
    const at = `${gatesFile}: gate ${i + 1}`;
    if (g.by && !info.columns.some((c) => c.name === g.by))
      throw new UsageError(`${at}: no column ${JSON.stringify(g.by)} in ${info.name}`);
    if (g.by && g.where)
      throw new UsageError(`${at}: "where" with a fairness metric is not supported; make a file of those rows`);
  }
  // Past STREAM_ROWS rows (or with --stream) every gate's rows are evaluated in one pass over the
  // data, as `loupe eval` does, in memory that does not grow with the rows.
  const streamed =
    values.stream || info.rows > STREAM_ROWS ? await evaluateStreamed(engine, info.id, spec, gates, gatesFile) : null;
  const whereError = (e: unknown, at: string) =>
    e instanceof LoupeError && (e.code === 'query-failed' || e.code === 'unknown-column' || e.code === 'bad-expression')
      ? new UsageError(`${at}: "where": ${e.message}`)
      : e;
  for (const [i, g] of gates.entries()) {
    const at = `${gatesFile}: gate ${i + 1}`;
    let value: number | null;
    if (g.by) {
      const metric = g.metric as (typeof FAIRNESS)[number];
      const fair = streamed ? null : (await engine.fairness(info.id, spec, g.by)).fairness;
      if (fair?.task === 'regression') throw fairnessNeedsClasses();
      value = fair ? fair[metric] : streamedFairness(streamed!, g.by, spec.positive)[metric];
    } else {
      let r: { task: ReportInput['task']; evaluation: Evaluation };
      if (streamed) {
        const slice = g.where && streamed.slices.find((s) => s.where === g.where!.trim());
        r = { task: streamed.task, evaluation: slice ? slice.evaluation : streamed.overall };
      } else {
        const where: Predicate | null = g.where ? { kind: 'sql', sql: g.where } : null;
        r = await engine.evaluate(info.id, spec, where).catch((e) => Promise.reject(whereError(e, at)));
      }
      if (!metricKeys(r.task).includes(g.metric) && !(PER_CLASS as readonly string[]).includes(g.metric))
        throw new UsageError(
          `${at}: unknown metric ${JSON.stringify(g.metric)} (metrics: ${metricKeys(r.task).join(', ')}; with "class": ${PER_CLASS.join(', ')}; with "by": ${FAIRNESS.join(', ')})`,
        );
      value = pick(r.evaluation, g, at);
    }
    const conditions: string[] = [];
    const failures: string[] = [];
    if (g.min !== undefined)
      (conditions.push(`≥ ${g.min}`),
        !(value !== null && value >= g.min) && failures.push(`${fmt(value)} is below ${g.min}`));
    if (g.max !== undefined)
      (conditions.push(`≤ ${g.max}`),
        !(value !== null && value <= g.max) && failures.push(`${fmt(value)} is above ${g.max}`));
    if (g.baseline !== undefined) {
      const file = await inFolder(path.dirname(path.resolve(gatesFile)), g.baseline);
      if (file === null)
        throw new UsageError(
          `${at}: "baseline" ${JSON.stringify(g.baseline)} is a link to a file outside the gates file's folder`,
        );
      if (!baselines.has(file)) baselines.set(file, parseBaseline(await read(file), g.baseline));
      const base = baselineValue(baselines.get(file)!, g, `${at}: baseline ${g.baseline}`);
      const lower = GAPS.has(g.metric) || metricInfo(g.metric)?.better === 'lower';
      const drop = value === null ? null : lower ? value - base : base - value;
      conditions.push(`${lower ? 'rise' : 'drop'} ≤ ${g.max_drop} from ${fmt(base)}`);
      if (!(drop !== null && drop <= g.max_drop! + 1e-12))
        failures.push(
          value === null
            ? 'undefined'
            : `${lower ? 'rose' : 'dropped'} by ${fmt(drop)} from the baseline's ${fmt(base)} (allowed ${g.max_drop})`,
        );
    }
    const name =
      g.name ??
      [
        g.metric,
        g.class && `class ${g.class}`,
        g.by && `by ${g.by}`,
        g.where && `where ${g.where}`,
        g.baseline && `vs ${g.baseline}`,
      ]
        .filter(Boolean)
        .join(' ');
    results.push({
      name,
      metric: g.metric,
      value,
      condition: conditions.join(', '),
      passed: failures.length === 0,
      message: failures.join('; ') || 'passed',
    });
  }
  const failed = results.filter((r) => !r.passed).length;
  if (typeof values.junit === 'string') await writeOutput('junit', values.junit, junit(results, info.name));
  const text = values.json
    ? JSON.stringify({ file: info.name, passed: failed === 0, gates: results }, null, 2) + '\n'
    : `${table(
        ['gate', 'value', 'condition', 'result'],
        results.map((r) => [r.name, fmt(r.value), r.condition, r.passed ? 'PASS' : `FAIL: ${r.message}`]),
      )}\n\n${failed ? `${failed} of ${results.length} gates failed` : `all ${results.length} gates passed`}\n`;
  await emit(text, values, io.out);
  return failed ? 1 : 0;
}

const read = async (file: string) => new TextDecoder().decode(await readInput(file));

/** The evaluations every gate reads, from one streamed pass: all rows, the gates' `where` slices and `by` groups. */
async function evaluateStreamed(
  engine: DataEngine,
  id: string,
  spec: EvalSpec,
  gates: Gate[],
  gatesFile: string,
): Promise<ReportInput> {
  const wheres = [...new Set(gates.flatMap((g) => (g.where && !g.by ? [g.where.trim()] : [])))];
  const by = [...new Set(gates.flatMap((g) => (g.by ? [g.by] : [])))];
  if (by.length && spec.roles.task === 'regression') throw fairnessNeedsClasses();
  try {
    return await engine.evaluateStreamed(id, spec, { by, where: wheres.map((sql) => ({ kind: 'sql', sql })) });
  } catch (e) {
    // A `where` DuckDB cannot bind fails before the pass, with its text as the value: name its gate.
    const bad = e instanceof LoupeError ? e.context.value : undefined;
    const i = bad === undefined ? -1 : gates.findIndex((g) => !g.by && g.where?.trim() === bad);
    if (i >= 0) throw new UsageError(`${gatesFile}: gate ${i + 1}: "where": ${(e as LoupeError).message}`);
    throw e;
  }
}

/** A fairness gate's metrics from the streamed groups' confusion matrices (as `fairnessOf` from the rows). */
function streamedFairness(r: ReportInput, column: string, asked: string | null) {
  const pos = fairnessClass(r.classes, r.positive === null ? null : r.classes.indexOf(r.positive), asked);
  const values = r.groups.find((g) => g.column === column)!.values;
  const counts = values.map((v) => countsOfConfusion(v.evaluation.confusion!, pos));
  return fairnessOfCounts(
    counts,
    values.map((v) => v.label),
    r.classes[pos],
  );
}

type Metrics = {
  metrics: Record<string, number | null>;
  per_class: { class: string; precision: number | null; recall: number | null; f1: number | null }[];
};

function pick(e: Metrics, g: Gate, at: string): number | null {
  if (g.class !== undefined || (PER_CLASS as readonly string[]).includes(g.metric)) {
    if (g.class === undefined) throw new UsageError(`${at}: ${g.metric} is per class: give "class"`);
    const row = e.per_class.find((p) => p.class === g.class);
    if (!row)
      throw new UsageError(
        `${at}: no class ${JSON.stringify(g.class)} (classes: ${e.per_class.map((p) => p.class).join(', ')})`,
      );
    return row[g.metric as (typeof PER_CLASS)[number]];
  }
  return e.metrics[g.metric] ?? null;
}

function parseBaseline(text: string, file: string): EvalReport {
  try {
    const r = JSON.parse(text) as EvalReport;
    if (r && typeof r.overall === 'object') return r;
  } catch {
    /* reported below */
  }
  throw new UsageError(`${file} is not a saved \`loupe eval --json\` report`);
}

function baselineValue(r: EvalReport, g: Gate, at: string): number {
  let v: number | null | undefined;
  if (g.where) {
    const s = r.slices?.find((x) => x.where === g.where);
    if (!s) throw new UsageError(`${at} has no slice where ${g.where} (save it with loupe eval --where)`);
    v = g.class !== undefined ? undefined : s.metrics[g.metric];
  } else v = pick({ metrics: r.overall, per_class: r.per_class as Metrics['per_class'] }, g, at);
  if (typeof v !== 'number')
    throw new UsageError(`${at} has no value for ${g.metric}${g.class ? ` of class ${g.class}` : ''}`);
  return v;
}

const xml = (s: string) =>
  s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

/** JUnit XML: one test case per gate. */
export function junit(results: GateResult[], file: string): string {
  const failures = results.filter((r) => !r.passed).length;
  const cases = results.map((r) => {
    const head = `    <testcase classname="loupe.check.${xml(file)}" name="${xml(r.name)}" time="0">`;
    const body = r.passed
      ? ''
      : `\n      <failure message="${xml(r.message)}" type="gate">${xml(`${r.metric} = ${fmt(r.value)}; required ${r.condition}`)}</failure>\n    `;
    return `${head}${body}</testcase>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites tests="${results.length}" failures="${failures}">\n  <testsuite name="loupe check ${xml(file)}" tests="${results.length}" failures="${failures}" errors="0">\n${cases.join('\n')}\n  </testsuite>\n</testsuites>\n`;
}
