import { alignIds } from '../core/labels/ids';
import { plural } from '../core/errors';
import { agreement, numericAgreement, perClassAgreement } from '../core/labels/agreement';
import { FILTERS, modelFailsOn, RANKINGS, type FilterBy, type RankBy } from '../core/labels/confidentLearning';
import {
  dataFiles,
  newEngine,
  emit,
  openFile,
  openWithRoles,
  parse,
  ROLE_OPTIONS,
  USAGE,
  UsageError,
  type IO,
} from './main';
import { table } from './tables';

/** `loupe issues <file> …`: likely label errors by confident learning. */
export async function issuesCommand(args: string[], io: IO): Promise<number> {
  const { values, positionals } = parse(args, {
    ...ROLE_OPTIONS,
    id: { type: 'string' },
    'filter-by': { type: 'string' },
    'rank-by': { type: 'string' },
  });
  if (values.help) return (io.out.write(USAGE + '\n'), 0);
  const { file, predictions } = dataFiles(positionals, 'loupe issues <file> [<predictions>]');
  const filterBy = (values['filter-by'] as string | undefined) ?? 'prune_by_noise_rate';
  const rankBy = (values['rank-by'] as string | undefined) ?? 'self_confidence';
  if (!FILTERS.includes(filterBy as FilterBy))
    throw new UsageError(`--filter-by must be one of ${FILTERS.join(', ')}, not ${JSON.stringify(filterBy)}`);
  if (!RANKINGS.includes(rankBy as RankBy))
    throw new UsageError(`--rank-by must be one of ${RANKINGS.join(', ')}, not ${JSON.stringify(rankBy)}`);
  const { engine, info, roles, warnings } = await openWithRoles(file, values, {
    only: values.id !== undefined ? [String(values.id)] : [],
    project: true,
    predictions,
  });
  for (const w of warnings) io.err.write(`loupe: warning: ${w}\n`);
  if (values.id !== undefined) {
    if (!info.columns.some((c) => c.name === values.id))
      throw new UsageError(`--id: no column ${JSON.stringify(values.id)} in ${info.name}`);
    roles.id = String(values.id);
  }
  const r = await engine.labelIssues(info.id, { roles }, filterBy as FilterBy, rankBy as RankBy);
  const out = {
    ...r,
    issues: r.issues.map(({ id, given, suggested, score }) => ({ id, given, suggested, score })),
    joint: undefined,
  };
  if (values.json) return (await emit(JSON.stringify(out, null, 2) + '\n', values, io.out), 0);
  if (r.method.filter_by === 'largest_errors') {
    for (const flag of ['filter-by', 'rank-by'])
      if (values[flag] !== undefined) throw new UsageError(`--${flag} is for classification (labels that are classes)`);
    // A regression task: its largest errors, with the label's and the prediction's values.
    const text = [
      `${info.name}: ${plural(r.num_issues, 'unusually large error')} among ${plural(r.rows, 'row')} (|label − prediction| beyond the upper quartile + 1.5 × the interquartile range), largest first`,
      '',
      table(
        ['id', 'label', 'prediction', 'error'],
        r.issues.slice(0, 50).map((x) => [x.id, x.given, x.suggested, x.score.toPrecision(6)]),
      ),
      r.issues.length > 50 ? `… and ${r.issues.length - 50} more (--json for all)` : '',
    ];
    return (await emit(text.join('\n') + '\n', values, io.out), 0);
  }
  const lines = [
    `${info.name}: ${plural(r.num_issues, 'likely label error')} among ${plural(r.rows, 'row')} (${filterBy}, ranked by ${rankBy})`,
    '',
    table(
      ['class', 'rows', 'issues', 'rate', 'model right'],
      Object.entries(r.per_class).map(([c, p]) => [
        c,
        String(p.rows),
        String(p.issues),
        p.rows ? (p.issues / p.rows).toFixed(3) : '—',
        p.rows ? (p.model_right / p.rows).toFixed(3) : '—',
      ]),
    ),
  ];
  const fails = modelFailsOn(r.per_class);
  if (fails.length)
    lines.splice(
      1,
      0,
      '',
      `note: the model gets under 10% of ${fails.join(', ')} right; those labels are flagged because the model fails on ${fails.length === 1 ? 'that class' : 'those classes'}, not necessarily because they are wrong.`,
    );
  if (r.issues.length)
    lines.push(
      '',
      table(
        ['id', 'given', 'suggested', 'score'],
        r.issues.slice(0, 50).map((x) => [x.id, x.given, x.suggested, x.score.toFixed(4)]),
      ),
      r.issues.length > 50 ? `… and ${r.issues.length - 50} more (--json for all)` : '',
    );
  await emit(lines.join('\n') + '\n', values, io.out);
  return 0;
}

/** `loupe agree <file> <file> …`: agreement between reviewers' labels of the same ids. */
export async function agreeCommand(args: string[], io: IO): Promise<number> {
  const { values, positionals } = parse(args, {
    id: { type: 'string' },
    label: { type: 'string' },
    numeric: { type: 'boolean' },
    json: { type: 'boolean' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return (io.out.write(USAGE + '\n'), 0);
  if (positionals.length < 2) throw new UsageError('give two or more files: loupe agree <file> <file> [<file>…]');
  const engine = await newEngine(positionals);
  const byFile: Map<string, string>[] = [];
  for (const file of positionals) {
    const info = await openFile(engine, file);
    const r = await engine.reviewerLabels(info.id, {
      id: values.id as string | undefined,
      label: values.label as string | undefined,
    });
    if (r.repeated)
      io.err.write(`loupe: warning: ${file}: ${r.repeated} repeated ids; the first label of each is used\n`);
    // Ids matched as numbers where written as whole numbers (`7`, `7.0`): onto the spellings of the files before.
    byFile.push(
      alignIds(
        r.labels,
        byFile.flatMap((m) => [...m.keys()]),
      ),
    );
  }
  const shared = [...byFile[0].keys()].filter((id) => byFile.every((m) => m.has(id)));
  if (values.numeric) return agreeNumeric(positionals, byFile, values, io);
  if (!shared.length) throw new UsageError('the files share no id');
  const labels = byFile.map((m) => shared.map((id) => m.get(id)!));
  const result = { ...agreement({ reviewers: positionals, labels }), per_class: perClassAgreement(labels) };
  if (values.json) return (await emit(JSON.stringify(result, null, 2) + '\n', values, io.out), 0);
  const lines = [
    `${shared.length} ids in every file; Fleiss' kappa ${result.fleiss_kappa?.toFixed(4) ?? '—'}`,
    '',
    table(
      ['pair', 'agreement', "Cohen's kappa"],
      Object.entries(result.pairs).map(([p, v]) => [
        p.replace('|', ' · '),
        v.percent_agreement.toFixed(4),
        v.cohen_kappa?.toFixed(4) ?? '—',
      ]),
    ),
    '',
    table(
      ['class', 'specific agreement'],
      Object.entries(result.per_class).map(([c, v]) => [c, v?.toFixed(4) ?? '—']),
    ),
  ];
  await emit(lines.join('\n') + '\n', values, io.out);
  return 0;
}

/**
 * `loupe agree --numeric`: numeric labels (a regression's), compared as numbers: each pair's share of
 * equal values and mean absolute difference over the ids both labelled, Krippendorff's alpha
 * (interval) over every id two or more files label.
 */
async function agreeNumeric(
  files: string[],
  byFile: Map<string, string>[],
  values: { json?: boolean; out?: string },
  io: IO,
): Promise<number> {
  const bad = byFile.flatMap((m, f) =>
    [...m]
      .filter(([, v]) => !Number.isFinite(Number(v)) || v.trim() === '')
      .map(([id, v]) => `${files[f]}: id ${id}: ${JSON.stringify(v)}`),
  );
  if (bad.length)
    throw new UsageError(`--numeric: ${bad.length} labels are not numbers (${bad.slice(0, 3).join('; ')})`);
  const result = numericAgreement(files, byFile);
  if (!Object.values(result.pairs).some((p) => Number.isFinite(p.mean_abs_difference)))
    throw new UsageError('the files share no id');
  // Kappas are for classes: a numeric label's JSON has neither.
  const shown = {
    items: result.items,
    pairs: Object.fromEntries(
      Object.entries(result.pairs).map(([p, v]) => [
        p,
        { percent_agreement: v.percent_agreement, mean_abs_difference: v.mean_abs_difference },
      ]),
    ),
    krippendorff_alpha: result.krippendorff_alpha,
  };
  if (values.json) return (await emit(JSON.stringify(shown, null, 2) + '\n', values, io.out), 0);
  const lines = [
    `${result.items} ids in every file; Krippendorff's alpha (interval) ${result.krippendorff_alpha?.toFixed(4) ?? '—'}`,
    '',
    table(
      ['pair', 'same value', 'mean |difference|'],
      Object.entries(result.pairs).map(([p, v]) => [
        p.replace('|', ' · '),
        v.percent_agreement.toFixed(4),
        Number.isFinite(v.mean_abs_difference) ? String(Number(v.mean_abs_difference!.toPrecision(6))) : '—',
      ]),
    ),
  ];
  await emit(lines.join('\n') + '\n', values, io.out);
  return 0;
}
