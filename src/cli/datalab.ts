import { plural } from '../core/errors';
import type { Metric } from '../core/neighbors/knn';
import { METRICS, RANGES, SEARCHES } from '../core/options';
import {
  DATA_ISSUE_KINDS,
  type DataIssueKind,
  type DataIssueOptions,
  type DataIssues,
  type IssueRows,
} from '../engine/dataIssues';
import { emit, inCliWords, number, openWithRoles, parse, ROLE_OPTIONS, USAGE, UsageError, type IO } from './main';
import { table } from './tables';
import type { DataIssue } from '../core/table/validate';
import { spaceNote } from '../core/datalab/issues';

/** `loupe datalab <file> …`: near duplicates, outliers, class imbalance and label issues, as cleanlab Datalab. */
export async function datalabCommand(args: string[], io: IO): Promise<number> {
  const { values, positionals } = parse(args, {
    ...ROLE_OPTIONS,
    id: { type: 'string' },
    embedding: { type: 'string' },
    issues: { type: 'string' },
    k: { type: 'string' },
    metric: { type: 'string' },
    search: { type: 'string' },
  });
  if (values.help) return (io.out.write(USAGE + '\n'), 0);
  if (positionals.length !== 1)
    throw new UsageError(
      positionals.length
        ? `expected one data file, got ${positionals.length}`
        : 'missing the data file: loupe datalab <file>',
    );
  const issues =
    typeof values.issues === 'string'
      ? values.issues
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined;
  for (const i of issues ?? [])
    if (!DATA_ISSUE_KINDS.includes(i as DataIssueKind))
      throw new UsageError(`--issues: unknown check ${JSON.stringify(i)} (choose from ${DATA_ISSUE_KINDS.join(', ')})`);
  if (issues && !issues.length) throw new UsageError(`--issues: name one or more of ${DATA_ISSUE_KINDS.join(', ')}`);
  const metric = values.metric as string | undefined;
  if (metric !== undefined && !METRICS.includes(metric as Metric))
    throw new UsageError(`--metric must be ${METRICS.join(' or ')}, not ${JSON.stringify(metric)}`);
  const k = number(values, 'k', RANGES.k);
  const search = values.search as string | undefined;
  if (search !== undefined && !SEARCHES.includes(search as DataIssueOptions['search'] & string))
    throw new UsageError(`--search must be ${SEARCHES.join(', ')}, not ${JSON.stringify(search)}`);

  const embedding = values.embedding as string | undefined;
  const { engine, info, roles, warnings, errors } = await openWithRoles(positionals[0], values, {
    extra: embedding !== undefined ? { embedding } : {},
    strict: false,
  });
  if (embedding !== undefined && !roles.embedding)
    throw new UsageError(
      `--embedding ${JSON.stringify(embedding)}: no list column of that name and no numeric columns ${embedding}0, ${embedding}1, … in ${info.name}`,
    );
  if (values.id !== undefined) {
    if (!info.columns.some((c) => c.name === values.id))
      throw new UsageError(`--id: no column ${JSON.stringify(values.id)} in ${info.name}`);
    roles.id = String(values.id);
  }
  // Problems with a role matter only to the checks that use it.
  const needs: Partial<Record<DataIssueKind, DataIssue['role'][]>> = {
    class_imbalance: ['label'],
    label: ['label', 'probs'],
  };
  const asked = issues as DataIssueKind[] | undefined;
  for (const e of errors) {
    const hit = asked?.find((i) => needs[i]?.includes(e.role));
    if (hit) throw new UsageError(`${hit}: ${inCliWords(e)}`);
  }
  const broken = new Set(errors.map((e) => e.role));
  const chosen =
    asked ??
    DATA_ISSUE_KINDS.filter(
      (i) =>
        (needs[i] ?? []).every((r) => !broken.has(r)) &&
        (i !== 'class_imbalance' || (roles.label && roles.task === 'classification')) &&
        (i !== 'label' || (roles.label && roles.probs && roles.task === 'classification')),
    );
  for (const w of warnings) io.err.write(`loupe: warning: ${w}\n`);

  const r = await engine.dataIssues(
    info.id,
    { roles },
    { issues: chosen, k, metric: metric as Metric, search: search as DataIssueOptions['search'], ids: true },
  );
  const ids = r.ids!;
  const scored = (x: IssueRows) =>
    [...x.scores.keys()]
      .filter((i) => !Number.isNaN(x.scores[i]))
      .sort((a, b) => x.scores[a] - x.scores[b] || a - b)
      .map((i) => ({ id: ids[i], score: x.scores[i] }));
  const out: Record<string, unknown> = {};
  if (r.near_duplicate)
    out.near_duplicate = {
      ids: r.near_duplicate.flagged.map((i) => ids[i]),
      sets: r.near_duplicate.sets.map((s) => s.map((i) => ids[i])),
      conflicting_labels: r.near_duplicate.conflicting?.map((i) => ids[i]) ?? null,
      median_nn_distance: r.near_duplicate.median_nn_distance,
      scores: scored(r.near_duplicate),
    };
  if (r.outlier)
    out.outlier = {
      ids: r.outlier.flagged.map((i) => ids[i]),
      issue_threshold: r.outlier.issue_threshold,
      scores: scored(r.outlier),
    };
  if (r.class_imbalance)
    out.class_imbalance = {
      class: r.class_imbalance.rarest,
      ids: r.class_imbalance.flagged.map((i) => ids[i]),
      scores: scored(r.class_imbalance),
    };
  if (r.label) out.label = { ids: r.label.flagged.map((i) => ids[i]), scores: scored(r.label) };
  if (values.json)
    return (
      await emit(JSON.stringify({ rows: r.rows, space: r.space, issues: out }, null, 2) + '\n', values, io.out),
      0
    );
  await emit(summary(info.name, r, ids) + '\n', values, io.out);
  return 0;
}

/** The text report: one line per check, then the worst rows of each. */
function summary(name: string, r: DataIssues, ids: string[]): string {
  const s = r.space;
  const lines = [
    `${name}: ${plural(r.rows, 'row')}` +
      (s
        ? `; ${s.search.method === 'exact' ? 'exact' : `approximate (NN-descent, ${s.search.rounds} rounds; recall of the exact neighbours ${(100 * s.search.recall).toFixed(1)}% on 100 rows)`} neighbours (k=${s.k}, ${s.metric}) on ${s.source === 'embedding' ? 'the embedding' : 'the numeric features'} ${s.columns.length > 4 ? `${s.columns.slice(0, 3).join(', ')}, … (${s.dims} dimensions)` : s.columns.join(', ')}`
        : ''),
    ...(s && spaceNote(s, r.rows) ? [`note: ${spaceNote(s, r.rows)}`] : []),
    '',
  ];
  const rows: string[][] = [];
  const add = (check: string, x: IssueRows | undefined, note: string) =>
    x &&
    rows.push([
      check,
      String(x.flagged.length),
      ((100 * x.flagged.length) / Math.max(1, r.rows)).toFixed(1) + '%',
      note,
    ]);
  add(
    'near_duplicate',
    r.near_duplicate,
    r.near_duplicate?.conflicting
      ? `${r.near_duplicate.conflicting.length} with a near duplicate labelled differently`
      : '',
  );
  add('outlier', r.outlier, '');
  add(
    'class_imbalance',
    r.class_imbalance,
    r.class_imbalance?.rarest != null
      ? `class ${JSON.stringify(r.class_imbalance.rarest)} is rare`
      : 'no class is rare',
  );
  add('label', r.label, 'likely label errors (confident learning)');
  lines.push(table(['check', 'rows', 'share', ''], rows, [0, 3]));
  const worst = (title: string, x: IssueRows | undefined, extra?: (i: number) => string) => {
    if (!x?.flagged.length) return;
    lines.push(
      '',
      title,
      table(
        ['id', 'score', ...(extra ? ['near duplicates'] : [])],
        x.flagged.slice(0, 20).map((i) => [ids[i], x.scores[i].toFixed(4), ...(extra ? [extra(i)] : [])]),
        [0, 2],
      ),
    );
    if (x.flagged.length > 20) lines.push(`… and ${x.flagged.length - 20} more (--json for all)`);
  };
  const sets = new Map(r.near_duplicate?.sets.map((s) => [s[0], s.slice(1)]));
  worst('near duplicates (most similar first)', r.near_duplicate, (i) =>
    (sets.get(i) ?? []).map((j) => ids[j]).join(', '),
  );
  worst('outliers (most unusual first)', r.outlier);
  return lines.join('\n').trimEnd();
}
