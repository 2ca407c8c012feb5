import { BOOTSTRAP_RESAMPLES } from '../core/metrics/bootstrap';
import type { EvalReport } from '../core/metrics/report';
import type { Predicate } from '../core/slices/predicate';
import { LoupeError } from '../core/errors';
import { dataFiles, emit, type IO, number, openWithRoles, parse, ROLE_OPTIONS, USAGE, UsageError } from './main';
import { RANGES } from '../core/options';
import { formatReport } from './tables';
import { STREAM_ROWS } from '../engine/streamedReport';

/** `loupe eval <file> …`: the JSON report (--json) or readable tables. */
export async function evalCommand(args: string[], io: IO): Promise<number> {
  const { values, positionals } = parse(args, {
    ...ROLE_OPTIONS,
    by: { type: 'string', multiple: true },
    where: { type: 'string', multiple: true },
    bootstrap: { type: 'string' },
    bins: { type: 'string' },
    stream: { type: 'boolean' },
    id: { type: 'string' },
  });
  if (values.help) {
    io.out.write(USAGE + '\n');
    return 0;
  }
  const { file, predictions } = dataFiles(positionals, 'loupe eval <file> [<predictions>]');
  const resamples = number(values, 'bootstrap', RANGES.resamples) ?? BOOTSTRAP_RESAMPLES;
  const threshold = number(values, 'threshold', RANGES.threshold);
  const bins = number(values, 'bins', RANGES.bins);
  const by = (values.by as string[] | undefined) ?? [];
  // Only the roles' columns and the groups' are profiled; and only they are read, unless a --where may use others.
  // The id is not a role here: the report names no row (3M rows: ~70 ms of reading and profiling it).
  const whereSql = (values.where as string[] | undefined) ?? [];
  const { engine, info, roles, warnings } = await openWithRoles(file, values, {
    extra: { id: null },
    only: by,
    project: !whereSql.length,
    predictions,
  });
  for (const w of warnings) io.err.write(`loupe: warning: ${w}\n`);
  for (const c of by)
    if (!info.columns.some((p) => p.name === c))
      throw new UsageError(`--by: no column ${JSON.stringify(c)} in ${info.name}`);
  const where: Predicate[] = whereSql.map((sql) => ({ kind: 'sql', sql }));
  const spec = { roles, positive: (values.positive as string | undefined) ?? null, threshold: threshold ?? null };
  const stream = !!values.stream || info.rows > STREAM_ROWS;
  if (stream && resamples > 0)
    io.err.write(
      `loupe: note: ${info.rows.toLocaleString('en')} rows evaluated in one pass over the data (${values.stream ? '--stream' : `more than ${STREAM_ROWS.toLocaleString('en')} rows`}): no bootstrap intervals (Wilson intervals are given)\n`,
    );
  let json: string;
  try {
    json = await engine.reportJson(info.id, spec, { by, where, resamples, bins, stream });
  } catch (e) {
    if (
      e instanceof LoupeError &&
      (e.code === 'query-failed' || e.code === 'unknown-column' || e.code === 'bad-expression')
    )
      throw new UsageError(`--where: ${e.message}`);
    throw e;
  }
  const report = JSON.parse(json) as EvalReport;
  if (spec.positive !== null && report.positive !== spec.positive)
    throw new UsageError(
      `--positive ${JSON.stringify(spec.positive)} is not a class of this binary task (classes: ${report.classes.join(', ')})`,
    );
  if (threshold !== undefined && report.positive === null)
    throw new UsageError('--threshold needs a binary task with probabilities');
  await emit(values.json ? json : formatReport(report, info.name), values, io.out);
  return 0;
}
