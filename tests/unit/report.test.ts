import { describe, expect, it } from 'vitest';
import { reportHtml, type ReportData } from '../../src/core/report/html';
import { barsSvg, heatmapSvg } from '../../src/core/report/svg';

const evil = '<img src=x onerror=alert(1)><script>alert(2)</script>"\'&';

describe('the HTML report', () => {
  it('escapes every text from the data: class names, columns, slices, reviewers, rows', () => {
    const data: ReportData = {
      title: `Loupe report: ${evil}`,
      dataset: { name: evil, rows: 2, fingerprint: 'f' },
      generated: '2026-11-24',
      roles: { label: evil },
      evaluation: {
        task: 'classification',
        classes: [evil, 'b'],
        slice: evil,
        result: {
          rows: 2,
          metrics: { accuracy: 0.5 },
          intervals: { accuracy: [0.1, 0.9] },
          per_class: [{ class: evil, precision: 1, recall: 0.5, f1: 0.6, support: 1, intervals: {} }],
          confusion: [
            [1, 0],
            [1, 0],
          ],
        } as never,
      },
      slices: [{ name: evil, where: evil, rows: 1, metric: 'accuracy', value: 1, interval: null }],
      found: [{ slice: evil, rows: 1, error_rate: 1, lift: 2, p_adjusted: 0.01 }],
      foundNote: `The search was limited: ${evil}`,
      fairness: [],
      compare: {
        a: evil,
        b: evil,
        rows: 2,
        metrics: { accuracy: { a: 0.5, b: 1, difference: 0.5, interval: [0, 1] } },
        table: { both_right: 1, a_only: 0, b_only: 1, both_wrong: 0 },
        mcnemar: { p_value: 1, exact: true },
        errors: null,
        regressionSlices: [{ slice: evil, rows: 1, error_rate: 1, p_adjusted: 0.5 }],
      },
      drift: {
        reference: evil,
        current: 'c',
        thresholds: { p: 0.05, psi: 0.1 },
        columns: [
          {
            column: evil,
            kind: 'categorical',
            p_value: 0.01,
            psi: 0.5,
            distance: 'JS 0.3',
            drifted: true,
            histogram: { labels: [evil], reference: [0.5], current: [0.2] },
          },
        ],
      },
      review: { reviewer: evil, counts: { accept: 1 }, perClass: { [evil]: { issues: 1, rows: 2 } } },
      dataIssues: { space: evil, checks: [{ check: 'near duplicates', rows: 1, note: evil, worst: [evil, evil] }] },
      rows: { columns: [evil], rows: [[evil]], of: 2 },
    };
    const html = reportHtml(data);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('Accuracy');
    expect(html).toContain("default-src 'none'");
    expect(html).toMatch(
      /<p>The search was limited: &lt;img src=x onerror=alert\(1\)&gt;&lt;script&gt;[^<]*<\/p><\/section>/,
    );
    expect(reportHtml({ ...data, foundNote: null })).not.toContain('The search was limited');
    // Two regression models: the rows each is closer on and the paired t-test, in place of McNemar's.
    const regression = reportHtml({
      ...data,
      fairness: [
        {
          column: evil,
          fairness: {
            task: 'regression',
            mae_difference: 2.66,
            mae_ratio: 0.94,
            mean_prediction_difference: 6.38,
            mean_prediction_ratio: 0.96,
            by_group: { [evil]: { rows: 207, mae: 42.88, rmse: 52.07, mean_prediction: 155.3, mean_label: 155.7 } },
          },
        },
      ],
      compare: {
        ...data.compare!,
        table: null,
        mcnemar: null,
        errors: { b_closer: 195, a_closer: 247, equal: 0, mean_difference: 1.595, p_value: 0.0219 },
      },
    });
    expect(regression).toContain("B's absolute error is smaller than A's on 195 rows, larger on 247");
    expect(regression).toMatch(/p = <strong>0\.0219<\/strong> — B's errors are larger on average/);
    expect(regression).toContain("Where B's error grows most");
    expect(regression).not.toContain('McNemar');
    expect(regression).toMatch(
      /<h2>Errors by &lt;img.*Mean absolute error difference between groups <strong>2\.66<\/strong>/s,
    );
    expect(regression).toContain('42.88');
    expect(regression).not.toMatch(/<img/i);
  });

  it('charts escape their labels and titles', () => {
    const bars = barsSvg([evil], [{ name: evil, values: [0.5], colour: '#000' }], { title: evil });
    const heat = heatmapSvg([evil], [evil], [[3]], { title: evil, axes: [evil, evil] });
    for (const svg of [bars, heat]) {
      expect(svg).not.toMatch(/<script|<img/i);
      expect(svg.startsWith('<svg class="chart"')).toBe(true);
    }
  });
});
