import { emit, number, openWithRoles, parse, ROLE_OPTIONS, USAGE, UsageError, type IO } from './main';
import { table } from './tables';

const f = (v: number | null) => (v === null ? '—' : v.toFixed(4));

/** `loupe fairness <file> --by COL …`: group fairness of a binary classifier (as fairlearn). */
export async function fairnessCommand(args: string[], io: IO): Promise<number> {
  const { values, positionals } = parse(args, { ...ROLE_OPTIONS, by: { type: 'string', multiple: true }, bins: { type: 'string' } });
  if (values.help) return io.out.write(USAGE + '\n'), 0;
  if (positionals.length !== 1) throw new UsageError(positionals.length ? `expected one data file, got ${positionals.length}` : 'missing the data file: loupe fairness <file> --by COL');
  const by = (values.by as string[] | undefined) ?? [];
  if (!by.length) throw new UsageError('give the sensitive column(s): --by COL');
  const threshold = number(values, 'threshold', (v) => v >= 0 && v <= 1);
  const bins = number(values, 'bins', (v) => Number.isInteger(v) && v >= 2 && v <= 100);
  const { engine, info, roles, warnings } = await openWithRoles(positionals[0], values);
  for (const w of warnings) io.err.write(`loupe: warning: ${w}\n`);
  for (const c of by) if (!info.columns.some((p) => p.name === c)) throw new UsageError(`--by: no column ${JSON.stringify(c)} in ${info.name}`);
  const spec = { roles, positive: (values.positive as string | undefined) ?? null, threshold: threshold ?? null };
  const out: Record<string, unknown> = {};
  const lines: string[] = [];
  for (const c of by) {
    const { fairness } = await engine.fairness(info.id, spec, c, bins);
    if (spec.positive !== null && fairness.positive !== spec.positive) throw new UsageError(`--positive ${JSON.stringify(spec.positive)} is not a class of this binary task`);
    out[c] = fairness;
    lines.push(
      `${c} (positive class ${fairness.positive}): demographic parity difference ${f(fairness.demographic_parity_difference)}, ratio ${f(fairness.demographic_parity_ratio)}; equalized odds difference ${f(fairness.equalized_odds_difference)}, ratio ${f(fairness.equalized_odds_ratio)}`,
      '',
      table(['group', 'rows', 'selection rate', 'TPR', 'FPR', 'precision', 'accuracy'], Object.entries(fairness.by_group).map(([g, r]) => [g, String(r.rows), f(r.selection_rate), f(r.tpr), f(r.fpr), f(r.precision), f(r.accuracy)])),
      '',
    );
  }
  await emit(values.json ? JSON.stringify({ fairness: out }, null, 2) + '\n' : lines.join('\n'), values, io.out);
  return 0;
}
