import { proxy } from 'comlink';
import { BOOTSTRAP_RESAMPLES } from '../../core/metrics/bootstrap';
import { drifted } from '../../core/audit/drift';
import { messageOf } from '../../core/errors';
import { reportHtml, type ReportData } from '../../core/report/html';
import { describeFound } from '../../core/slices/fold';
import { limitNote } from '../../core/slices/sliceline';
import { describe, type Predicate } from '../../core/slices/predicate';
import { download } from '../charts/exportChart';
import { formatInt } from '../format';
import type { CompareState } from './compare.svelte';
import type { ReviewState } from './review.svelte';
import type { OpenDataset, Workbench } from './workbench.svelte';

/** The Report tab: what to include, and the self-contained HTML built from the engine's numbers. */
export class ReportState {
  include = $state({
    metrics: true,
    slices: true,
    fairness: true,
    compare: true,
    drift: true,
    review: true,
    dataIssues: true,
    rows: false,
  });
  rowsCount = $state(200);
  busy = $state<string | null>(null);
  error = $state<string | null>(null);

  constructor(
    private readonly wb: Workbench,
    private readonly cs: CompareState,
    private readonly rv: ReviewState,
    rows: number,
  ) {
    // Data issues search every row's neighbours: on by default while that is quick.
    this.include.dataIssues = rows <= 50_000;
  }

  async build(ds: OpenDataset): Promise<ReportData> {
    const { wb, cs, rv, include } = this;
    const fairness = cs.fairness?.datasetId === ds.info.id ? cs.fairness : null;
    const reviewed = rv.reviewer && Object.keys(rv.log.decisions).length > 0;
    const models = cs.models?.datasetId === ds.info.id ? cs.models : null;
    const spec = wb.spec(ds);
    const where = ds.slice ? ($state.snapshot(ds.slice.where) as Predicate) : null;
    let evaluation: ReportData['evaluation'] = null;
    if (include.metrics && spec) {
      this.busy = 'Computing metrics and intervals…';
      const r = await wb.engine.evaluate(
        ds.info.id,
        spec,
        where,
        { resamples: BOOTSTRAP_RESAMPLES, channel: 'report' },
        proxy(
          (done: number, total: number) =>
            (this.busy = `Bootstrap intervals ${formatInt(done)} / ${formatInt(total)}…`),
        ),
      );
      evaluation = { task: r.task, classes: r.classes, slice: ds.slice?.name ?? null, result: r.evaluation };
    }
    let slices: ReportData['slices'] = [];
    if (include.slices && spec && ds.slices.length) {
      this.busy = 'Evaluating the saved slices…';
      const evs = await wb.engine.evaluateMany(
        ds.info.id,
        spec,
        ds.slices.map((s) => $state.snapshot(s.where) as Predicate),
      );
      const metric = spec.roles.task === 'regression' ? 'mae' : 'accuracy';
      slices = ds.slices.map((s, i) => ({
        name: s.name,
        where: describe(s.where),
        rows: evs[i].rows,
        metric,
        value: evs[i].metrics[metric] ?? null,
        interval: evs[i].intervals[metric] ?? null,
      }));
    }
    const found =
      include.slices && ds.found
        ? ds.found.report.slices.map((s) => ({
            slice: describeFound(s.predicates),
            rows: s.size,
            error_rate: s.error_rate,
            lift: s.lift,
            p_adjusted: s.p_adjusted,
          }))
        : [];
    let dataIssues: ReportData['dataIssues'] = null;
    const idColumn = ds.roles?.id ?? null;
    if (include.dataIssues && ds.roles) {
      const r = await wb.engine.dataIssues(
        ds.info.id,
        spec ?? { roles: $state.snapshot(ds.roles) },
        {},
        proxy(
          (done: number, total: number) =>
            (this.busy = `Data issues: nearest neighbours of ${formatInt(done)} / ${formatInt(total)} rows…`),
        ),
      );
      const idsOf = (x: { flagged: number[] } | undefined) =>
        x ? wb.engine.idsOfRows(ds.info.id, idColumn, x.flagged.slice(0, 10)) : Promise.resolve([]);
      const [nd, ol, lb] = await Promise.all([idsOf(r.near_duplicate), idsOf(r.outlier), idsOf(r.label)]);
      const s = r.space;
      dataIssues = {
        space: s
          ? `${s.source === 'embedding' ? 'the embedding' : 'the numeric features'} (${s.dims} dimensions; k = ${s.k}, ${s.metric} distance; ${s.search.method === 'exact' ? 'exact neighbours' : `approximate neighbours, recall ${(100 * s.search.recall).toFixed(1)}%`})`
          : 'the labels',
        checks: [
          ...(r.near_duplicate
            ? [
                {
                  check: 'near duplicates',
                  rows: r.near_duplicate.flagged.length,
                  note: r.near_duplicate.conflicting
                    ? `${formatInt(r.near_duplicate.conflicting.length)} with a near duplicate labelled differently`
                    : '',
                  worst: nd,
                },
              ]
            : []),
          ...(r.outlier ? [{ check: 'outliers', rows: r.outlier.flagged.length, note: '', worst: ol }] : []),
          ...(r.class_imbalance
            ? [
                {
                  check: 'class imbalance',
                  rows: r.class_imbalance.flagged.length,
                  note:
                    r.class_imbalance.rarest === null
                      ? 'no class is rare'
                      : `class ${r.class_imbalance.rarest} is rare`,
                  worst: [],
                },
              ]
            : []),
          ...(r.label
            ? [{ check: 'label issues', rows: r.label.flagged.length, note: 'confident learning', worst: lb }]
            : []),
        ],
      };
    }
    let rows: ReportData['rows'] = null;
    if (include.rows) {
      this.busy = 'Reading rows…';
      const set = await wb.rowSet(ds, where);
      const page = await set.fetch(0, Math.max(1, Math.min(10000, this.rowsCount)));
      rows = { columns: page.columns, rows: page.rows, of: set.count };
    }
    const d = cs.drift;
    return {
      title: `Loupe report: ${ds.info.name}`,
      dataset: { name: ds.info.name, rows: ds.info.rows, fingerprint: ds.info.fingerprint },
      generated: new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
      roles: Object.fromEntries(
        Object.entries({
          label: spec?.roles.label,
          prediction: spec?.roles.pred,
          task: spec?.roles.task,
          'positive class': ds.positive,
          threshold: ds.threshold === null ? null : String(ds.threshold),
        }).filter(([, v]) => v) as [string, string][],
      ),
      evaluation,
      slices,
      found,
      foundNote: include.slices && ds.found ? limitNote(ds.found.report.levels) : null,
      fairness: include.fairness && fairness ? [{ column: fairness.column, fairness: fairness.report.fairness }] : [],
      compare:
        include.compare && models
          ? {
              a: spec?.roles.pred ?? 'the most probable class',
              b: models.b,
              rows: models.result.rows,
              metrics: models.result.metrics,
              table: models.result.table,
              mcnemar: models.result.mcnemar && {
                p_value: models.result.mcnemar.p_value,
                exact: models.result.mcnemar.exact,
              },
              errors: models.result.errors && {
                b_closer: models.result.errors.b_closer,
                a_closer: models.result.errors.a_closer,
                equal: models.result.errors.equal,
                mean_difference: models.result.errors.ttest.mean_difference,
                p_value: models.result.errors.ttest.p_value,
              },
              regressionSlices:
                models.result.regression_slices?.map((r) => ({
                  slice: describeFound(r.predicates),
                  rows: r.size,
                  error_rate: r.error_rate,
                  p_adjusted: r.p_adjusted,
                })) ?? null,
            }
          : null,
      drift:
        include.drift && d
          ? {
              reference: d.reference,
              current: d.current,
              thresholds: { ...cs.thresholds },
              columns: d.columns.map((c) => ({
                column: c.column,
                kind: c.kind,
                p_value: c.p_value,
                psi: c.psi,
                distance:
                  c.kind === 'numeric'
                    ? `W₁ ${c.wasserstein?.toPrecision(4) ?? '–'}`
                    : `JS ${c.jensen_shannon?.toPrecision(4) ?? '–'}`,
                drifted: drifted(c, cs.thresholds),
                histogram: c.histogram,
              })),
            }
          : null,
      review:
        include.review && reviewed
          ? {
              reviewer: rv.reviewer!,
              counts: { ...rv.counts },
              // Per class: none for a regression's labels.
              perClass:
                rv.health && Object.keys(rv.health.perClass).length ? $state.snapshot(rv.health.perClass) : null,
            }
          : null,
      dataIssues,
      rows,
    };
  }

  async exportReport(ds: OpenDataset): Promise<void> {
    this.error = null;
    try {
      const html = reportHtml(await this.build(ds));
      download(`${ds.info.name.replace(/\.[^.]+$/, '')}-report.html`, new Blob([html], { type: 'text/html' }));
    } catch (e) {
      this.error = messageOf(e);
    } finally {
      this.busy = null;
    }
  }
}
