import { BOOTSTRAP_RESAMPLES } from '../core/metrics/bootstrap';
import { likeProbs, prefixedProbs, type ProbRole, type RoleOverrides } from '../core/table/roles';
import { DRIFT_THRESHOLDS, drifted } from '../core/audit/drift';
import {
  dataFiles,
  newEngine,
  emit,
  number,
  openFile,
  openWithRoles,
  parse,
  ROLE_OPTIONS,
  USAGE,
  UsageError,
  type IO,
} from './main';
import { RANGES } from '../core/options';
import { plural } from '../core/errors';
import { table } from './tables';

const f = (v: number | null) => (v === null ? '—' : v.toFixed(4));

/** `loupe fairness <file> --by COL …`: group fairness of a binary classifier (as fairlearn). */
export async function fairnessCommand(args: string[], io: IO): Promise<number> {
  const { values, positionals } = parse(args, {
    ...ROLE_OPTIONS,
    by: { type: 'string', multiple: true },
    bins: { type: 'string' },
    id: { type: 'string' },
  });
  if (values.help) return (io.out.write(USAGE + '\n'), 0);
  const { file, predictions } = dataFiles(positionals, 'loupe fairness <file> [<predictions>] --by COL');
  const by = (values.by as string[] | undefined) ?? [];
  if (!by.length) throw new UsageError('give the sensitive column(s): --by COL');
  const threshold = number(values, 'threshold', RANGES.threshold);
  const bins = number(values, 'bins', RANGES.bins);
  // Only the roles' and the groups' columns are read and profiled.
  const { engine, info, roles, warnings } = await openWithRoles(file, values, { only: by, project: true, predictions });
  for (const w of warnings) io.err.write(`loupe: warning: ${w}\n`);
  for (const c of by)
    if (!info.columns.some((p) => p.name === c))
      throw new UsageError(`--by: no column ${JSON.stringify(c)} in ${info.name}`);
  const spec = { roles, positive: (values.positive as string | undefined) ?? null, threshold: threshold ?? null };
  const out: Record<string, unknown> = Object.create(null); // keyed by column names
  const lines: string[] = [];
  for (const c of by) {
    const { fairness } = await engine.fairness(info.id, spec, c, bins);
    out[c] = fairness;
    if (fairness.task === 'regression') {
      lines.push(
        `${c} (regression): mean absolute error difference ${f(fairness.mae_difference)}, ratio ${f(fairness.mae_ratio)}; mean prediction difference ${f(fairness.mean_prediction_difference)}, ratio ${f(fairness.mean_prediction_ratio)}`,
        '',
        table(
          ['group', 'rows', 'MAE', 'RMSE', 'mean prediction', 'mean label'],
          Object.entries(fairness.by_group).map(([g, r]) => [
            g,
            String(r.rows),
            f(r.mae),
            f(r.rmse),
            f(r.mean_prediction),
            f(r.mean_label),
          ]),
        ),
        '',
      );
      continue;
    }
    if (spec.positive !== null && fairness.positive !== spec.positive)
      throw new UsageError(`--positive ${JSON.stringify(spec.positive)} is not a class of this binary task`);
    lines.push(
      `${c} (positive class ${fairness.positive}): demographic parity difference ${f(fairness.demographic_parity_difference)}, ratio ${f(fairness.demographic_parity_ratio)}; equalized odds difference ${f(fairness.equalized_odds_difference)}, ratio ${f(fairness.equalized_odds_ratio)}`,
      '',
      table(
        ['group', 'rows', 'selection rate', 'TPR', 'FPR', 'precision', 'accuracy'],
        Object.entries(fairness.by_group).map(([g, r]) => [
          g,
          String(r.rows),
          f(r.selection_rate),
          f(r.tpr),
          f(r.fpr),
          f(r.precision),
          f(r.accuracy),
        ]),
      ),
      '',
    );
  }
  await emit(values.json ? JSON.stringify({ fairness: out }, null, 2) + '\n' : lines.join('\n'), values, io.out);
  return 0;
}

/** `loupe compare <file> --pred-b COL …` or `loupe compare <a> <b> --id COL`: model B against model A on the same rows. */
export async function compareCommand(args: string[], io: IO): Promise<number> {
  const { values, positionals } = parse(args, {
    ...ROLE_OPTIONS,
    'pred-b': { type: 'string' },
    'probs-prefix-b': { type: 'string' },
    id: { type: 'string' },
    by: { type: 'string', multiple: true },
    bins: { type: 'string' },
    bootstrap: { type: 'string' },
    slices: { type: 'boolean' },
  });
  if (values.help) return (io.out.write(USAGE + '\n'), 0);
  if (positionals.length < 1 || positionals.length > 2)
    throw new UsageError(
      'give one file with two prediction sets (--pred-b COL) or two files joined on an id: loupe compare <a> [<b>] …',
    );
  const resamples = number(values, 'bootstrap', RANGES.resamples) ?? BOOTSTRAP_RESAMPLES;
  const bins = number(values, 'bins', RANGES.bins);
  const threshold = number(values, 'threshold', RANGES.threshold);
  const opened = await openWithRoles(positionals[0], values, { more: positionals.slice(1) });
  const { engine } = opened;
  let { info } = opened;
  const rolesA = opened.roles;
  for (const w of opened.warnings) io.err.write(`loupe: warning: ${w}\n`);
  const predB = values['pred-b'] as string | undefined;
  const prefixB = values['probs-prefix-b'] as string | undefined;
  let overB: RoleOverrides;
  let probsB: ProbRole | null = null;
  if (positionals.length === 2) {
    const other = await openFile(engine, positionals[1]);
    const detected = engine.detect(other.id, { pred: predB, probs: prefixB });
    // With no id, files of as many rows are joined in order (the engine checks that the columns both hold agree).
    const id = (values.id as string | undefined) ?? rolesA.id ?? detected.id ?? null;
    if (!id && info.rows !== other.rows)
      throw new UsageError(
        `give the id column that joins the two files: --id COL (with none, rows are joined in order, and ${info.name} has ${plural(info.rows, 'row')}, ${other.name} ${plural(other.rows, 'row')})`,
      );
    if (!detected.pred && !detected.probs && !likeProbs(rolesA.probs, other.columns))
      throw new UsageError(`${other.name}: no prediction or probability columns (give --pred-b or --probs-prefix-b)`);
    const agree = [rolesA.label, ...rolesA.features].filter((c): c is string => !!c);
    info = await engine.joinOnId(info.id, other.id, id, `${info.name} + ${other.name}`, undefined, agree);
    if (!id) io.err.write(`loupe: warning: ${info.name}: joined row by row (no id column in both).\n`);
    // The other file's probabilities as detected there, under their joined names (not re-detected by prefix).
    const theirs = detected.probs ?? likeProbs(rolesA.probs, other.columns);
    probsB = theirs && prefixedProbs(theirs, 'b__');
    overB = { label: rolesA.label, pred: detected.pred ? `b__${detected.pred}` : null, probs: null };
  } else {
    if (!predB && !prefixB)
      throw new UsageError('give the second prediction set: --pred-b COL and/or --probs-prefix-b PREFIX');
    for (const c of [predB].filter(Boolean) as string[])
      if (!info.columns.some((x) => x.name === c))
        throw new UsageError(`--pred-b: no column ${JSON.stringify(c)} in ${info.name}`);
    overB = { label: rolesA.label, pred: predB ?? null, probs: prefixB ?? null };
  }
  const rolesB = engine.detect(info.id, overB);
  if (probsB) rolesB.probs = probsB;
  if (prefixB !== undefined && !rolesB.probs)
    throw new UsageError(`--probs-prefix-b ${JSON.stringify(prefixB)}: no numeric columns start with it`);
  const by = (values.by as string[] | undefined) ?? [];
  for (const c of by)
    if (!info.columns.some((p) => p.name === c))
      throw new UsageError(`--by: no column ${JSON.stringify(c)} in ${info.name}`);
  const common = { positive: (values.positive as string | undefined) ?? null, threshold: threshold ?? null };
  const roles =
    positionals.length === 2
      ? engine.detect(info.id, {
          label: rolesA.label,
          pred: rolesA.pred,
          probs: rolesA.probs?.kind === 'columns' ? rolesA.probs.prefix : (rolesA.probs?.column ?? null),
        })
      : rolesA;
  const c = await engine.compare(
    info.id,
    { roles, ...common },
    { roles: { ...rolesB, task: roles.task }, ...common },
    { resamples, by, bins, slices: !!values.slices },
  );
  const describe = (r: typeof roles) => ({
    pred: r.pred,
    probs: r.probs?.kind === 'columns' ? r.probs.columns.map((x) => x.column) : (r.probs?.column ?? null),
  });
  const out = { a: describe(roles), b: describe(rolesB), ...c };
  if (values.json) return (await emit(JSON.stringify(out, null, 2) + '\n', values, io.out), 0);
  const f4 = (v: number | null) => (v === null ? '—' : v.toFixed(4));
  const lines = [
    `${info.name}: ${c.rows} rows scored by both. A = ${out.a.pred ?? 'argmax of A probabilities'}, B = ${out.b.pred ?? 'argmax of B probabilities'}`,
    '',
    table(
      ['metric', 'A', 'B', 'B − A', '95% interval (paired)'],
      Object.entries(c.metrics)
        .filter(([, m]) => m.a !== null || m.b !== null)
        .map(([k, m]) => [
          k,
          f4(m.a),
          f4(m.b),
          f4(m.difference),
          m.interval ? `${f4(m.interval[0])} … ${f4(m.interval[1])}` : '',
        ]),
    ),
    '',
  ];
  const p4 = (p: number | null) => (p === null ? '—' : p === 0 ? '< 1e-300' : p.toPrecision(4));
  if (c.table && c.mcnemar)
    lines.push(
      `right/wrong: both right ${c.table.both_right}, A only ${c.table.a_only}, B only ${c.table.b_only}, both wrong ${c.table.both_wrong}`,
      `McNemar: p = ${p4(c.mcnemar.p_value)} (${c.mcnemar.exact ? 'exact binomial' : 'χ² with continuity correction'})`,
      `${c.table.a_only} regressions (B wrong where A was right), ${c.table.b_only} improvements`,
    );
  if (c.errors) {
    const { ttest: t } = c.errors;
    lines.push(
      `absolute error: B smaller on ${c.errors.b_closer} rows, larger on ${c.errors.a_closer}, the same on ${c.errors.equal}`,
      `paired t-test of the absolute errors: B − A ${t.mean_difference >= 0 ? '+' : ''}${f4(t.mean_difference)} on average, t = ${t.statistic === null ? '—' : t.statistic.toFixed(4)} (df ${t.df}), p = ${p4(t.p_value)}`,
    );
  }
  const measure = c.task === 'regression' ? 'MAE' : 'accuracy';
  for (const [col, gs] of Object.entries(c.groups))
    lines.push(
      '',
      table(
        [col, 'rows', `A ${measure}`, `B ${measure}`, 'B − A', 'adjusted p', 'change'],
        gs.map((g) => [
          g.group,
          String(g.rows),
          f4(g.a),
          f4(g.b),
          f4(g.difference),
          g.adjusted_p === null ? '—' : g.adjusted_p.toPrecision(3),
          g.change,
        ]),
      ),
    );
  if (c.regression_slices?.length)
    lines.push(
      '',
      c.task === 'regression' ? "Where B's absolute error grows most:" : 'Where the regressions concentrate:',
      table(
        ['slice', 'rows', c.task === 'regression' ? 'mean growth of |error|' : 'regression rate', 'adjusted p'],
        c.regression_slices.map((s) => [
          Object.entries(s.predicates)
            .map(([k, v]) => `${k} = ${v}`)
            .join(' AND '),
          String(s.size),
          f4(s.error_rate),
          s.p_adjusted === null ? '—' : s.p_adjusted.toPrecision(3),
        ]),
      ),
    );
  await emit(lines.join('\n') + '\n', values, io.out);
  return 0;
}

/** `loupe drift <reference> <current>`: column by column, how the current data differs. */
export async function driftCommand(args: string[], io: IO): Promise<number> {
  const { values, positionals } = parse(args, {
    columns: { type: 'string' },
    p: { type: 'string' },
    psi: { type: 'string' },
    json: { type: 'boolean' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return (io.out.write(USAGE + '\n'), 0);
  if (positionals.length !== 2)
    throw new UsageError('give the reference and the current file: loupe drift <reference> <current>');
  const thresholds = {
    p: number(values, 'p', { min: 0, max: 1, above: true }) ?? DRIFT_THRESHOLDS.p,
    psi: number(values, 'psi', { min: 0, max: 100 }) ?? DRIFT_THRESHOLDS.psi,
  };
  const engine = await newEngine(positionals);
  const infos = [];
  for (const file of positionals) infos.push(await openFile(engine, file));
  // Every shared column but the id (which says nothing about drift), unless columns are named.
  const id = engine.detect(infos[0].id).id;
  const columns =
    values.columns !== undefined
      ? String(values.columns)
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : infos[0].columns.map((c) => c.name).filter((c) => c !== id);
  for (const c of columns ?? [])
    if (!infos[0].columns.some((x) => x.name === c))
      throw new UsageError(`--columns: no column ${JSON.stringify(c)} in ${infos[0].name}`);
  const r = await engine.drift(infos[0].id, infos[1].id, columns);
  // Nothing compared is no finding of "no drift": say why (no shared column, or none of a kind that is compared).
  if (!r.columns.length)
    throw new UsageError(
      `no column of ${r.reference} could be compared with ${r.current}: ${
        r.skipped
          .slice(0, 5)
          .map((s) => `${s.column} (${s.reason})`)
          .join(', ') || 'it has no columns'
      }${r.skipped.length > 5 ? ` and ${r.skipped.length - 5} more` : ''}`,
    );
  const flagged = r.columns.filter((c) => drifted(c, thresholds)).map((c) => c.column);
  if (values.json) {
    const out = {
      reference: r.reference,
      current: r.current,
      thresholds,
      drifted: flagged,
      columns: Object.fromEntries(
        r.columns.map(({ column, ...rest }) => [column, { ...rest, drifted: flagged.includes(column) }]),
      ),
      skipped: r.skipped,
    };
    return (await emit(JSON.stringify(out, null, 2) + '\n', values, io.out), 0);
  }
  const g = (v: number | null | undefined) =>
    v === null || v === undefined ? '—' : Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(2) : v.toFixed(4);
  const lines = [
    `${r.current} against ${r.reference}: ${flagged.length} of ${r.columns.length} columns drifted (p < ${thresholds.p} and PSI ≥ ${thresholds.psi})${flagged.length ? `: ${flagged.join(', ')}` : ''}`,
    '',
    table(
      ['column', 'kind', 'test', 'statistic', 'p-value', 'PSI', 'distance', 'drifted'],
      r.columns.map((c) => [
        c.column,
        c.kind,
        c.kind === 'numeric' ? 'KS' : 'χ²',
        g(c.kind === 'numeric' ? c.ks?.statistic : c.chi2?.statistic),
        g(c.p_value),
        g(c.psi),
        c.kind === 'numeric' ? `W₁ ${g(c.wasserstein)}` : `JS ${g(c.jensen_shannon)}`,
        flagged.includes(c.column) ? 'DRIFT' : '',
      ]),
    ),
  ];
  if (r.skipped.length) lines.push('', `not compared: ${r.skipped.map((s) => `${s.column} (${s.reason})`).join(', ')}`);
  await emit(lines.join('\n') + '\n', values, io.out);
  return 0;
}
