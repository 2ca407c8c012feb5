import { metricLabel } from '../metrics/catalogue';
import type { Fairness, RegressionFairness } from '../audit/fairness';
import type { Evaluation } from '../metrics/report';
import type { Interval } from '../stats/intervals';
import { barsSvg, esc, heatmapSvg } from './svg';

/** What the report holds: aggregates, and rows only when the user opted in. */
export interface ReportData {
  title: string;
  dataset: { name: string; rows: number; fingerprint: string };
  generated: string;
  roles: Record<string, string>;
  evaluation: { task: string; classes: string[]; slice: string | null; result: Evaluation } | null;
  slices: {
    name: string;
    where: string;
    rows: number;
    metric: string;
    value: number | null;
    interval: Interval | null;
  }[];
  found: { slice: string; rows: number; error_rate: number; lift: number; p_adjusted: number | null }[];
  /** How the search that found them was limited (`limitNote`), if it was. */
  foundNote?: string | null;
  fairness: { column: string; fairness: Fairness | RegressionFairness }[];
  /** Two models on the same rows: A (the roles) against B. */
  compare: {
    a: string;
    b: string;
    rows: number;
    metrics: Record<
      string,
      { a: number | null; b: number | null; difference: number | null; interval: Interval | null }
    >;
    /** Classification: right/wrong of A against B, and McNemar's test. */
    table: { both_right: number; a_only: number; b_only: number; both_wrong: number } | null;
    mcnemar: { p_value: number | null; exact: boolean } | null;
    /** Regression: where B's absolute error is smaller, larger, the same; the paired t-test of the absolute errors. */
    errors: {
      b_closer: number;
      a_closer: number;
      equal: number;
      mean_difference: number;
      p_value: number | null;
    } | null;
    regressionSlices: { slice: string; rows: number; error_rate: number; p_adjusted: number | null }[] | null;
  } | null;
  drift: {
    reference: string;
    current: string;
    thresholds: { p: number; psi: number };
    columns: {
      column: string;
      kind: string;
      p_value: number | null;
      psi: number | null;
      distance: string;
      drifted: boolean;
      histogram: { labels: string[]; reference: number[]; current: number[] };
    }[];
  } | null;
  review: {
    reviewer: string;
    counts: Record<string, number>;
    perClass: Record<string, { issues: number; rows: number }> | null;
  } | null;
  /** Data issues beyond labels (as cleanlab Datalab): what the neighbours were found on, and each check. */
  dataIssues: {
    space: string;
    checks: { check: string; rows: number; note: string; worst: string[] }[];
  } | null;
  /** Opt-in: some rows of the data. */
  rows: { columns: string[]; rows: unknown[][]; of: number } | null;
}

const num = (v: number | null | undefined, digits = 4) =>
  v === null || v === undefined || !Number.isFinite(v)
    ? '–'
    : Math.abs(v) >= 1000
      ? Math.round(v).toLocaleString('en')
      : Number(v.toPrecision(digits)).toString();
const iv = (i: Interval | null | undefined) => (i ? `[${num(i[0])}, ${num(i[1])}]` : '');
const signed = (v: number | null) => (v === null ? '–' : `${v >= 0 ? '+' : '−'}${num(Math.abs(v))}`);
const table = (head: string[], rows: string[][], numeric: boolean[] = []) =>
  `<table><thead><tr>${head.map((h, j) => `<th${numeric[j] ? ' class="n"' : ''}>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c, j) => (j === 0 ? `<th scope="row">${c}</th>` : `<td${numeric[j] ? ' class="n"' : ''}>${c}</td>`)).join('')}</tr>`).join('')}</tbody></table>`;

/** One self-contained HTML page (inline CSS and SVG, no scripts), readable offline. */
export function reportHtml(d: ReportData): string {
  const sections: string[] = [];
  const e = d.evaluation;
  if (e) {
    const rows = Object.entries(e.result.metrics)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [esc(metricLabel(k)), esc(num(v)), esc(iv(e.result.intervals[k]))]);
    sections.push(`<section><h2>Metrics${e.slice ? ` · slice ${esc(e.slice)}` : ''}</h2><p class="muted">${esc(e.result.rows.toLocaleString('en'))} rows scored · ${esc(e.task)}${e.classes.length ? ` · ${e.classes.length} classes` : ''}. Intervals: 95%, Wilson for proportions, percentile bootstrap for the rest.</p>
${table(['Metric', 'Value', '95% interval'], rows, [false, true, true])}</section>`);
    if (e.result.confusion && e.classes.length) {
      const pc = e.result.per_class;
      sections.push(`<section><h2>Per class</h2><div class="charts"><figure>${heatmapSvg(e.classes, e.classes, e.result.confusion, { title: 'Confusion matrix', axes: ['true class', 'predicted class'] })}<figcaption>Confusion matrix: rows true class, columns predicted.</figcaption></figure>
<figure>${barsSvg(
        pc.map((p) => p.class),
        [
          { name: 'precision', values: pc.map((p) => p.precision ?? NaN), colour: '#4477AA' },
          { name: 'recall', values: pc.map((p) => p.recall ?? NaN), colour: '#CCBB44' },
          { name: 'F1', values: pc.map((p) => p.f1 ?? NaN), colour: '#AA3377' },
        ],
        { title: 'Precision, recall and F1 per class', max: 1 },
      )}<figcaption>Precision, recall and F1 per class.</figcaption></figure></div>
${table(
  ['Class', 'Precision', 'Recall', 'F1', 'Support'],
  pc.map((p) => [esc(p.class), esc(num(p.precision)), esc(num(p.recall)), esc(num(p.f1)), esc(p.support)]),
  [false, true, true, true, true],
)}</section>`);
    }
  }
  if (d.slices.length)
    sections.push(
      `<section><h2>Saved slices</h2>${table(
        ['Slice', 'Rule', 'Rows', 'Metric', 'Value', '95% interval'],
        d.slices.map((s) => [
          esc(s.name),
          `<code>${esc(s.where)}</code>`,
          esc(s.rows.toLocaleString('en')),
          esc(metricLabel(s.metric)),
          esc(num(s.value)),
          esc(iv(s.interval)),
        ]),
        [false, false, true, false, true, true],
      )}</section>`,
    );
  if (d.found.length)
    sections.push(
      `<section><h2>Failing slices found</h2>${table(
        ['Slice', 'Rows', 'Error rate', 'Lift', 'Adjusted p'],
        d.found.map((s) => [
          esc(s.slice),
          esc(s.rows),
          esc(num(s.error_rate)),
          esc(num(s.lift, 3)),
          esc(num(s.p_adjusted, 3)),
        ]),
        [false, true, true, true, true],
      )}${d.foundNote ? `<p>${esc(d.foundNote)}</p>` : ''}</section>`,
    );
  for (const { column, fairness: f } of d.fairness) {
    if (f.task === 'regression') {
      sections.push(`<section><h2>Errors by ${esc(column)}</h2><p>Mean absolute error difference between groups <strong>${esc(num(f.mae_difference))}</strong>, ratio <strong>${esc(num(f.mae_ratio))}</strong>; mean prediction difference <strong>${esc(num(f.mean_prediction_difference))}</strong>, ratio <strong>${esc(num(f.mean_prediction_ratio))}</strong>.</p>
${table(
  ['Group', 'Rows', 'MAE', 'RMSE', 'Mean prediction', 'Mean label'],
  Object.entries(f.by_group).map(([g, r]) => [
    esc(g),
    esc(r.rows),
    ...([r.mae, r.rmse, r.mean_prediction, r.mean_label] as const).map((v) => esc(num(v))),
  ]),
  [false, true, true, true, true, true],
)}</section>`);
      continue;
    }
    const groups = Object.entries(f.by_group);
    sections.push(`<section><h2>Fairness by ${esc(column)}</h2><p>Positive class <strong>${esc(f.positive)}</strong>. Demographic parity difference <strong>${esc(num(f.demographic_parity_difference))}</strong>, ratio <strong>${esc(num(f.demographic_parity_ratio))}</strong>; equalized odds difference <strong>${esc(num(f.equalized_odds_difference))}</strong>, ratio <strong>${esc(num(f.equalized_odds_ratio))}</strong>.</p>
${table(
  ['Group', 'Rows', 'Selection rate', 'TPR', 'FPR', 'Precision', 'Accuracy'],
  groups.map(([g, r]) => [
    esc(g),
    esc(r.rows),
    ...(['selection_rate', 'tpr', 'fpr', 'precision', 'accuracy'] as const).map(
      (k) => `${esc(num(r[k], 3))} <span class="muted">${esc(iv(r.intervals[k]))}</span>`,
    ),
  ]),
  [false, true, true, true, true, true, true],
)}
<figure>${barsSvg(
      groups.map(([g]) => g),
      [
        { name: 'selection rate', values: groups.map(([, r]) => r.selection_rate ?? NaN), colour: '#4477AA' },
        { name: 'TPR', values: groups.map(([, r]) => r.tpr ?? NaN), colour: '#228833' },
        { name: 'FPR', values: groups.map(([, r]) => r.fpr ?? NaN), colour: '#EE6677' },
      ],
      { title: `Rates by ${column}`, max: 1 },
    )}</figure></section>`);
  }
  if (d.compare) {
    const c = d.compare;
    const t = c.table;
    const p = c.mcnemar?.p_value ?? null;
    const e = c.errors;
    sections.push(`<section><h2>Two models: ${esc(c.b)} (B) against ${esc(c.a)} (A)</h2><p class="muted">${esc(c.rows.toLocaleString('en'))} rows scored by both. Intervals of B − A: 95% paired bootstrap.</p>
${table(
  ['Metric', 'A', 'B', 'B − A', '95% interval'],
  Object.entries(c.metrics)
    .filter(([, v]) => v.a !== null && v.b !== null)
    .map(([k, v]) => [
      esc(metricLabel(k)),
      esc(num(v.a)),
      esc(num(v.b)),
      esc(signed(v.difference)),
      esc(v.interval ? `[${signed(v.interval[0])}, ${signed(v.interval[1])}]` : ''),
    ]),
  [false, true, true, true, true],
)}
${
  t && c.mcnemar
    ? `${table(
        ['', 'B right', 'B wrong'],
        [
          ['A right', esc(t.both_right), esc(t.a_only)],
          ['A wrong', esc(t.b_only), esc(t.both_wrong)],
        ],
        [false, true, true],
      )}
<p>McNemar's test (${c.mcnemar.exact ? 'exact binomial' : 'χ² with continuity correction'}): p = <strong>${esc(num(p, 3))}</strong>${p !== null && p < 0.05 ? ` — B is ${t.b_only > t.a_only ? 'better' : 'worse'} on the rows where they disagree.` : ' — no significant difference on the rows where they disagree.'}</p>`
    : ''
}${
      e
        ? `<p>B's absolute error is smaller than A's on ${esc(e.b_closer.toLocaleString('en'))} rows, larger on ${esc(e.a_closer.toLocaleString('en'))} and the same on ${esc(e.equal.toLocaleString('en'))}. Paired t-test of the absolute errors: B − A ${esc(signed(e.mean_difference))} on average, p = <strong>${esc(num(e.p_value, 3))}</strong>${e.p_value !== null && e.p_value < 0.05 ? ` — B's errors are ${e.mean_difference < 0 ? 'smaller' : 'larger'} on average.` : ' — no significant difference in the mean absolute error.'}</p>`
        : ''
    }
${
  c.regressionSlices?.length
    ? `<h3>${e ? "Where B's error grows most" : "Where B's regressions concentrate"}</h3>${table(
        ['Slice', 'Rows', e ? 'Mean growth of |error|' : 'Regression rate', 'Adjusted p'],
        c.regressionSlices.map((r) => [esc(r.slice), esc(r.rows), esc(num(r.error_rate)), esc(num(r.p_adjusted, 3))]),
        [false, true, true, true],
      )}`
    : ''
}</section>`);
  }
  if (d.drift) {
    const dr = d.drift;
    const flagged = dr.columns.filter((c) => c.drifted);
    sections.push(`<section><h2>Drift: ${esc(dr.current)} against ${esc(dr.reference)}</h2><p>${flagged.length} of ${dr.columns.length} columns drifted (p-value below ${esc(dr.thresholds.p)} and PSI at least ${esc(dr.thresholds.psi)}).</p>
${table(
  ['Column', 'Kind', 'p-value', 'PSI', 'Distance', 'Drifted'],
  dr.columns.map((c) => [
    esc(c.column),
    esc(c.kind),
    esc(num(c.p_value, 3)),
    esc(num(c.psi, 3)),
    esc(c.distance),
    c.drifted ? '<strong class="bad">drifted</strong>' : '',
  ]),
  [false, false, true, true, true, false],
)}
<div class="charts">${flagged
      .map(
        (c) =>
          `<figure>${barsSvg(
            c.histogram.labels,
            [
              { name: dr.reference, values: c.histogram.reference, colour: '#9aa3b2' },
              { name: dr.current, values: c.histogram.current, colour: '#EE6677' },
            ],
            { title: `${c.column}: share of rows`, width: 460 },
          )}<figcaption>${esc(c.column)}: share of rows per ${c.kind === 'numeric' ? 'bin (lower edge shown)' : 'value'}.</figcaption></figure>`,
      )
      .join('')}</div></section>`);
  }
  if (d.dataIssues) {
    const x = d.dataIssues;
    sections.push(
      `<section><h2>Data issues</h2><p>As cleanlab Datalab finds them, on ${esc(x.space)}.</p>${table(
        ['Check', 'Rows', 'Share', '', 'Most severe (ids)'],
        x.checks.map((c) => [
          esc(c.check),
          esc(c.rows),
          esc(`${((100 * c.rows) / Math.max(1, d.dataset.rows)).toFixed(1)}%`),
          esc(c.note),
          esc(c.worst.join(', ')),
        ]),
        [false, true, true, false, false],
      )}</section>`,
    );
  }
  if (d.review) {
    const r = d.review;
    sections.push(
      `<section><h2>Label review</h2><p>Reviewer ${esc(r.reviewer)}: ${Object.entries(r.counts)
        .map(([k, v]) => `${esc(v)} ${esc(k)}`)
        .join(', ')}.</p>${
        r.perClass
          ? table(
              ['Given label', 'Rows', 'Likely label errors', 'Rate'],
              Object.entries(r.perClass).map(([c, p]) => [
                esc(c),
                esc(p.rows),
                esc(p.issues),
                esc(p.rows ? `${((100 * p.issues) / p.rows).toFixed(1)}%` : '–'),
              ]),
              [false, true, true, true],
            )
          : ''
      }</section>`,
    );
  }
  if (d.rows)
    sections.push(
      `<section><h2>Rows</h2><p class="muted">The first ${esc(d.rows.rows.length)} of ${esc(d.rows.of.toLocaleString('en'))} rows.</p><div class="scroll">${table(
        d.rows.columns,
        d.rows.rows.map((r) => r.map((v) => esc(v ?? ''))),
      )}</div></section>`,
    );
  const roles = Object.entries(d.roles)
    .map(([k, v]) => `${esc(k)}: <strong>${esc(v)}</strong>`)
    .join(' · ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(d.title)}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; color: #1d2330; background: #f6f7f9; margin: 0; padding: 24px 32px; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 0 0 8px; }
section { background: #fff; border: 1px solid #dde1e7; border-radius: 6px; padding: 14px 18px; margin: 14px 0; }
table { border-collapse: collapse; font-size: 13px; margin: 6px 0; } th, td { padding: 3px 10px; border-bottom: 1px solid #eef0f3; text-align: left; font-weight: normal; }
thead th { font-weight: 600; color: #5b6476; font-size: 12px; } .n { text-align: right; font-variant-numeric: tabular-nums; }
.muted { color: #5b6476; } .bad { color: #b42318; } code { font-size: 12px; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; } figure { margin: 0; } figcaption { font-size: 12px; color: #5b6476; }
.scroll { overflow: auto; max-height: 480px; }
</style></head><body>
<h1>${esc(d.title)}</h1>
<p class="muted">${esc(d.dataset.name)} · ${esc(d.dataset.rows.toLocaleString('en'))} rows · fingerprint ${esc(d.dataset.fingerprint)} · generated ${esc(d.generated)} by Loupe, in the browser; nothing was uploaded.</p>
<p>${roles}</p>
${sections.join('\n')}
</body></html>
`;
}
