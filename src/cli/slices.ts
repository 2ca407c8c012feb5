import { plural } from '../core/errors';
import { toSql } from '../core/slices/predicate';
import { limitNote } from '../core/slices/sliceline';
import type { ErrorKind } from '../engine/SliceFinder';
import { dataFiles, emit, number, openWithRoles, parse, ROLE_OPTIONS, USAGE, UsageError, type IO } from './main';
import { ERROR_KINDS, RANGES } from '../core/options';
import { table } from './tables';

/** `loupe slices <file> …`: the slices where the model fails (SliceLine), as JSON or a table. */
export async function slicesCommand(args: string[], io: IO): Promise<number> {
  const { values, positionals } = parse(args, {
    ...ROLE_OPTIONS,
    features: { type: 'string' },
    id: { type: 'string' },
    k: { type: 'string' },
    'max-level': { type: 'string' },
    alpha: { type: 'string' },
    'min-support': { type: 'string' },
    bins: { type: 'string' },
    binning: { type: 'string' },
    error: { type: 'string' },
  });
  if (values.help) {
    io.out.write(USAGE + '\n');
    return 0;
  }
  const { file, predictions } = dataFiles(positionals, 'loupe slices <file> [<predictions>]');
  const k = number(values, 'k', RANGES.k);
  const maxLevel = number(values, 'max-level', RANGES.maxLevel);
  const minSupport = number(values, 'min-support', RANGES.minSupport);
  const bins = number(values, 'bins', RANGES.bins);
  const alpha = number(values, 'alpha', RANGES.alpha);
  const threshold = number(values, 'threshold', RANGES.threshold);
  const error = values.error as string | undefined;
  const binning = values.binning as string | undefined;
  if (binning !== undefined && binning !== 'quantile' && binning !== 'width')
    throw new UsageError(`--binning must be quantile or width, not ${JSON.stringify(binning)}`);
  if (error !== undefined && !ERROR_KINDS.includes(error as ErrorKind))
    throw new UsageError(`--error must be one of ${ERROR_KINDS.join(', ')}, not ${JSON.stringify(error)}`);
  const { engine, info, roles, warnings } = await openWithRoles(file, values, { predictions });
  for (const w of warnings) io.err.write(`loupe: warning: ${w}\n`);
  const features =
    values.features !== undefined
      ? String(values.features)
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined;
  for (const f of features ?? [])
    if (!info.columns.some((c) => c.name === f))
      throw new UsageError(`--features: no column ${JSON.stringify(f)} in ${info.name}`);
  const spec = { roles, positive: (values.positive as string | undefined) ?? null, threshold: threshold ?? null };
  const report = await engine.findSlices(info.id, spec, {
    features,
    k,
    maxLevel,
    alpha,
    minSupport,
    bins,
    binning: binning as 'quantile' | 'width' | undefined,
    error: error as ErrorKind | undefined,
  });
  const names = info.columns.map((c) => c.name);
  const out = { ...report, slices: report.slices.map(({ where, ...s }) => ({ ...s, where: toSql(where, names) })) };
  if (values.json) return (await emit(JSON.stringify(out, null, 2) + '\n', values, io.out), 0);
  const f = (v: number | null, d = 4) => (v === null ? '—' : v < 1e-4 && v > 0 ? v.toExponential(1) : v.toFixed(d));
  const lines = [
    `${info.name}: ${plural(report.rows, 'row')}, baseline error ${f(report.baseline_error_rate)} (${report.params.error}); ${report.evaluated} slices evaluated, min support ${report.params.min_support}`,
    ...(limitNote(report.levels) ? [`note: ${limitNote(report.levels)}`] : []),
    '',
    report.slices.length
      ? table(
          ['slice', 'rows', 'error rate', '95% interval', 'lift', 'score', 'p (BH)'],
          report.slices.map((s) => [
            Object.entries(s.predicates)
              .map(([c, v]) => `${c} ${/^\[.*[)\]]$/.test(v) ? 'in' : '='} ${v}`)
              .join(' AND '),
            String(s.size),
            f(s.error_rate),
            s.interval ? `[${f(s.interval[0])}, ${f(s.interval[1])}]` : '',
            f(s.lift, 2),
            f(s.score),
            f(s.p_adjusted),
          ]),
        )
      : 'No slice qualifies (size ≥ min support, errors > 0, score > 0).',
  ];
  await emit(lines.join('\n') + '\n', values, io.out);
  return 0;
}
