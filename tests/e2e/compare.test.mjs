import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixture, launch, openPage } from './helpers.mjs';

let browser;
before(async () => (browser = await launch()));
after(async () => browser?.close());

const dir = mkdtempSync(path.join(tmpdir(), 'loupe-compare-e2e-'));
const loupe = (...args) =>
  JSON.parse(execFileSync(process.execPath, ['bin/loupe.mjs', ...args, '--json'], { encoding: 'utf8' }));
const tab = (page, name) => page.locator('button.tab', { hasText: name }).click();
/** A p-value as the Compare tab shows it (three significant digits, e-notation below 0.001). */
const shownP = (p) => (p === 0 ? '< 1e-300' : p < 1e-3 ? p.toExponential(2) : p.toPrecision(3));
const csv = (p) =>
  readFileSync(p, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));

// The cancer fixture with a second model: malignant when p ≥ 0.3.
const rows = csv(fixture('cancer.csv'));
const at = (c) => rows[0].indexOf(c);
const twoModels = path.join(dir, 'cancer-two.csv');
writeFileSync(
  twoModels,
  [
    [...rows[0], 'pred_b'].join(','),
    ...rows.slice(1).map((r) => [...r, Number(r[at('prob_malignant')]) >= 0.3 ? 'malignant' : 'benign'].join(',')),
  ].join('\n') + '\n',
);
const ref = path.join(dir, 'ref.csv');
const cur = path.join(dir, 'cur.csv');
const lines = readFileSync(fixture('cancer.csv'), 'utf8').trim().split('\n');
writeFileSync(ref, lines.slice(0, 301).join('\n') + '\n');
writeFileSync(cur, [lines[0], ...lines.slice(301)].join('\n') + '\n');
const other = path.join(dir, 'other.csv');
writeFileSync(other, 'a,b\n1,x\n2,y\n');

/** Compare → Drift between two open datasets, chosen by their names. */
async function runDrift(page, reference, current) {
  await tab(page, 'Compare');
  await page.getByRole('tab', { name: 'Drift' }).click();
  const ids = await page
    .getByTestId('drift-ref')
    .locator('option')
    .evaluateAll((o) => o.map((x) => [x.value, x.textContent]));
  await page.getByTestId('drift-ref').selectOption(ids.find(([, n]) => n === reference)[0]);
  await page.getByTestId('drift-cur').selectOption(ids.find(([, n]) => n === current)[0]);
  await page.getByTestId('run-drift').click();
}

test('two models, fairness and drift in the Compare tab equal loupe compare, fairness and drift; the report opens without scripts', async () => {
  const s = await openPage(browser);
  const { page } = s;
  await page.locator('[data-testid=file-input]').first().setInputFiles([twoModels]);
  await tab(page, 'Compare');
  await page.getByTestId('pred-b').selectOption('pred_b');
  await page.getByTestId('run-compare').click();
  await page.getByTestId('compare-metrics').waitFor({ timeout: 60000 });
  const cli = loupe('compare', twoModels, '--pred-b', 'pred_b', '--bootstrap', '1000');
  const acc = await page.locator('[data-testid=compare-metrics] [data-metric=accuracy] td').allTextContents();
  assert.equal(acc[0], cli.metrics.accuracy.a.toFixed(3));
  assert.equal(acc[1], cli.metrics.accuracy.b.toFixed(3));
  const cells = await page.locator('[data-testid=compare-table] td').allTextContents();
  assert.deepEqual(
    cells.map((c) => Number(c.replaceAll(',', ''))),
    [cli.table.both_right, cli.table.a_only, cli.table.b_only, cli.table.both_wrong],
  );
  assert.match(await page.getByTestId('mcnemar').textContent(), new RegExp(`p = ${shownP(cli.mcnemar.p_value)}`));
  // The regressions become a review queue.
  await page.getByRole('button', { name: /Review the \d+ regressions/ }).click();
  await page.getByLabel('Reviewer name').fill('ada');
  await page.getByRole('button', { name: 'Start reviewing' }).click();
  await page.getByTestId('review-item').waitFor({ timeout: 60000 });
  assert.match(
    await page.getByTestId('review-progress').textContent(),
    new RegExp(`0 of ${cli.table.a_only} reviewed`),
  );

  await tab(page, 'Compare');
  await page.getByRole('tab', { name: 'Fairness' }).click();
  await page.getByTestId('fair-col').selectOption('size_group');
  await page.getByTestId('run-fairness').click();
  await page.getByTestId('fairness-summary').waitFor();
  const fair = loupe('fairness', twoModels, '--by', 'size_group').fairness.size_group;
  const summary = await page.getByTestId('fairness-summary').textContent();
  for (const k of ['demographic_parity_difference', 'equalized_odds_difference'])
    assert.ok(summary.includes(fair[k].toFixed(3)), `${k} ${fair[k]} in ${summary}`);
  // The threshold explorer: at 0.5 a group's selection rate is the share of p ≥ 0.5 in it.
  const small = rows.slice(1).filter((r) => r[at('size_group')] === 'large');
  const explorer = page.getByTestId('threshold-explorer').locator('tr', { hasText: 'large' });
  await explorer.getByRole('slider').fill('0.3');
  const want = small.filter((r) => Number(r[at('prob_malignant')]) >= 0.3).length / small.length;
  assert.equal((await explorer.locator('td').nth(1).textContent()).trim(), want.toFixed(3));

  await page.locator('[data-testid=file-input]').first().setInputFiles([ref, cur]);
  await page.locator('.datasets li', { hasText: 'cur.csv' }).waitFor({ timeout: 30000 });
  await runDrift(page, 'ref.csv', 'cur.csv');
  await page.getByTestId('drift-table').waitFor({ timeout: 60000 });
  const drift = loupe('drift', ref, cur);
  assert.equal(Number(await page.getByTestId('drift-count').textContent()), drift.drifted.length);
  await page.getByLabel('PSI threshold').fill('0');
  await page.getByLabel('p-value threshold').fill('1');
  await page.waitForFunction(
    (n) => Number(document.querySelector('[data-testid=drift-count]')?.textContent) === n,
    Object.keys(drift.columns).length,
  );
  await page.locator('[data-chart^=drift-] svg.chart').waitFor();
  // The report of the two-model dataset, opened with scripts off, shows the same numbers.
  await page.locator('.datasets li', { hasText: 'cancer-two.csv' }).locator('button.pick').click();
  await tab(page, 'Report');
  for (const k of ['fairness', 'compare']) assert.ok(await page.getByTestId(`include-${k}`).isChecked(), k);
  assert.ok(!(await page.getByTestId('include-review').isChecked()), 'nothing reviewed: not ticked');
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-report').click()]);
  const html = readFileSync(await d.path(), 'utf8');
  assert.ok(!/<script/i.test(html), 'no scripts in the report');
  const offline = await browser.newContext({ javaScriptEnabled: false });
  const view = await offline.newPage();
  const external = [];
  view.on('request', (r) => !r.url().startsWith('data:') && !r.url().startsWith('file:') && external.push(r.url()));
  const file = path.join(dir, 'report.html');
  writeFileSync(file, html);
  await view.goto(`file://${file}`);
  const evalA = loupe('eval', twoModels, '--bootstrap', '0');
  const text = await view.locator('body').textContent();
  assert.ok(text.includes(`cancer-two.csv · 569 rows`), 'the dataset');
  assert.ok(text.includes(`Accuracy${String(Number(evalA.overall.accuracy.toPrecision(4)))}`), 'the accuracy');
  assert.ok(
    text.includes(`Demographic parity difference ${String(Number(fair.demographic_parity_difference.toPrecision(4)))}`),
    'the fairness',
  );
  assert.ok(text.includes('Drift: cur.csv against ref.csv'), 'the drift');
  assert.ok(text.includes('Two models: pred_b (B) against pred (A)'), 'the comparison');
  // Data issues, as loupe datalab finds them.
  const datalab = JSON.parse(
    execFileSync(process.execPath, ['bin/loupe.mjs', 'datalab', twoModels, '--json', '--pred', 'pred'], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    }),
  ).issues;
  assert.ok(text.includes(`near duplicates${datalab.near_duplicate.ids.length}`), 'the near duplicates');
  assert.ok(text.includes(`outliers${datalab.outlier.ids.length}`), 'the outliers');
  assert.ok(text.includes(`p = ${String(Number(cli.mcnemar.p_value.toPrecision(3)))}`), 'McNemar');
  assert.ok((await view.locator('svg.chart').count()) >= 3);
  assert.deepEqual(external, []);
  await offline.close();
  // A dataset that shares no column with the reference: nothing compared, said as such.
  await page.locator('[data-testid=file-input]').first().setInputFiles([other]);
  await page.locator('.datasets li', { hasText: 'other.csv' }).waitFor({ timeout: 30000 });
  await runDrift(page, 'ref.csv', 'other.csv');
  assert.match(
    await page.getByTestId('drift-none').textContent({ timeout: 60000 }),
    /No column of ref\.csv could be compared with other\.csv: .*\(not in other\.csv\)/,
  );
  s.assertSameOrigin();
  s.assertNoErrors();
  await s.context.close();
});

test('a shared link opened in a fresh browser shows the same numbers', async () => {
  const s = await openPage(browser, '?data=demo/seattle-weather.csv&view=evaluate');
  const { page } = s;
  await page.locator('[data-metric=accuracy] [data-value]').waitFor({ timeout: 60000 });
  // Make a slice active (the link carries it), then open the page's own link elsewhere.
  const url = new URL(page.url());
  url.searchParams.set(
    'slice',
    JSON.stringify({ name: 'winter', where: { kind: 'cond', column: 'season', op: '=', value: 'winter' } }),
  );
  await page.goto(url.href);
  await page.locator('[data-metric=accuracy] [data-value]').waitFor({ timeout: 60000 });
  await page.getByTestId('slice-chip').waitFor();
  const here = await page
    .locator('[data-metric] [data-value]')
    .evaluateAll((e) => e.map((x) => x.getAttribute('data-value')));
  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(page.url());
  await other.locator('[data-metric=accuracy] [data-value]').waitFor({ timeout: 60000 });
  await other.getByTestId('slice-chip').waitFor();
  const there = await other
    .locator('[data-metric] [data-value]')
    .evaluateAll((e) => e.map((x) => x.getAttribute('data-value')));
  assert.deepEqual(there, here);
  const cli = loupe('eval', 'public/demo/seattle-weather.csv', '--where', "season = 'winter'", '--bootstrap', '0');
  assert.equal(Number(there[0]), cli.slices[0].metrics.accuracy);
  await fresh.close();
  await s.context.close();
});

test('model B from another open dataset, joined on the id, equals loupe compare of the two files', async () => {
  const a = path.join(dir, 'model-a.csv');
  const b = path.join(dir, 'model-b.csv');
  writeFileSync(a, readFileSync(fixture('cancer.csv')));
  // B's predictions in another order, one file of id and prediction.
  writeFileSync(
    b,
    [
      'id,pred',
      ...rows
        .slice(1)
        .map((r) => `${r[at('id')]},${Number(r[at('prob_malignant')]) >= 0.3 ? 'malignant' : 'benign'}`)
        .reverse(),
    ].join('\n') + '\n',
  );
  const s = await openPage(browser);
  const { page } = s;
  await page.locator('[data-testid=file-input]').first().setInputFiles([b, a]);
  await page.locator('.datasets li', { hasText: 'model-a.csv' }).waitFor({ timeout: 60000 });
  await page.locator('.datasets li', { hasText: 'model-a.csv' }).locator('button.pick').click();
  await tab(page, 'Compare');
  const other = await page.getByTestId('other-b').locator('option', { hasText: 'model-b.csv' }).getAttribute('value');
  await page.getByTestId('other-b').selectOption(other);
  assert.equal(await page.getByTestId('join-on').inputValue(), 'id');
  await page.getByTestId('run-compare').click();
  await page.getByTestId('compare-table').waitFor({ timeout: 60000 });
  await page.locator('.datasets li', { hasText: 'model-a.csv + model-b.csv' }).waitFor();
  const cli = loupe('compare', a, b, '--id', 'id', '--bootstrap', '0');
  const cells = await page.locator('[data-testid=compare-table] td').allTextContents();
  assert.deepEqual(
    cells.map((c) => Number(c.replaceAll(',', ''))),
    [cli.table.both_right, cli.table.a_only, cli.table.b_only, cli.table.both_wrong],
  );
  const acc = await page.locator('[data-testid=compare-metrics] [data-metric=accuracy] td').allTextContents();
  assert.equal(acc[1], cli.metrics.accuracy.b.toFixed(3));
  s.assertNoErrors();
  await s.context.close();
});

test('model B from another open dataset with no id, joined in order, equals loupe compare of the two files', async () => {
  const a = path.join(dir, 'in-order-a.csv');
  const b = path.join(dir, 'in-order-b.csv');
  const noId = (r) => r.filter((_, j) => j !== at('id')).join(',');
  writeFileSync(a, rows.map(noId).join('\n') + '\n');
  // B's predictions alone, in A's row order.
  writeFileSync(
    b,
    ['pred', ...rows.slice(1).map((r) => (Number(r[at('prob_malignant')]) >= 0.3 ? 'malignant' : 'benign'))].join(
      '\n',
    ) + '\n',
  );
  const s = await openPage(browser);
  const { page } = s;
  await page.locator('[data-testid=file-input]').first().setInputFiles([b, a]);
  await page.locator('.datasets li', { hasText: 'in-order-a.csv' }).waitFor({ timeout: 60000 });
  await page.locator('.datasets li', { hasText: 'in-order-a.csv' }).locator('button.pick').click();
  await tab(page, 'Compare');
  const other = await page
    .getByTestId('other-b')
    .locator('option', { hasText: 'in-order-b.csv' })
    .getAttribute('value');
  await page.getByTestId('other-b').selectOption(other);
  await page.getByTestId('join-on').selectOption({ label: 'none: row by row, in order' });
  await page.getByTestId('run-compare').click();
  await page.getByTestId('compare-table').waitFor({ timeout: 60000 });
  const cli = loupe('compare', a, b, '--bootstrap', '0');
  const cells = await page.locator('[data-testid=compare-table] td').allTextContents();
  assert.deepEqual(
    cells.map((c) => Number(c.replaceAll(',', ''))),
    [cli.table.both_right, cli.table.a_only, cli.table.b_only, cli.table.both_wrong],
  );
  s.assertNoErrors();
  await s.context.close();
});

test('two regression models: the metrics, row counts and paired t-test loupe compare gives; the rows where B got worse become a queue; fairness as errors per group', async () => {
  const file = fixture('inputs/regression_ab.csv');
  const s = await openPage(browser);
  const { page } = s;
  await page.locator('[data-testid=file-input]').first().setInputFiles([file]);
  await tab(page, 'Compare');
  await page.getByTestId('pred-b').selectOption('pred_b');
  await page.getByTestId('run-compare').click();
  await page.getByTestId('compare-errors').waitFor({ timeout: 60000 });
  const cli = loupe('compare', file, '--pred-b', 'pred_b', '--bootstrap', '0');
  const mae = await page.locator('[data-testid=compare-metrics] [data-metric=mae] td').allTextContents();
  assert.deepEqual(mae.slice(0, 2), [cli.metrics.mae.a.toFixed(2), cli.metrics.mae.b.toFixed(2)]);
  const counts = await page.locator('[data-testid=compare-errors] td').allTextContents();
  assert.deepEqual(counts.map(Number), [cli.errors.b_closer, cli.errors.a_closer, cli.errors.equal]);
  assert.match(
    await page.getByTestId('paired-t').innerText(),
    new RegExp(`p = ${shownP(cli.errors.ttest.p_value)} — B's errors are larger`),
  );
  await page.getByRole('button', { name: /Review the \d+ rows where B's error grew/ }).click();
  await page.getByLabel('Reviewer name').fill('ada');
  await page.getByRole('button', { name: 'Start reviewing' }).click();
  await page.getByTestId('review-item').waitFor({ timeout: 60000 });
  assert.equal(Number(await page.getByTestId('review-item').getAttribute('data-row')), cli.regressions[0]);
  assert.match(
    await page.getByTestId('review-progress').textContent(),
    new RegExp(`0 of ${cli.regressions.length} reviewed`),
  );
  // Fairness of a regression model: each group's errors, as loupe fairness gives them.
  await tab(page, 'Compare');
  await page.getByRole('tab', { name: 'Fairness' }).click();
  await page.getByTestId('fair-col').selectOption('sex');
  await page.getByTestId('run-fairness').click();
  await page.getByTestId('fairness-summary').waitFor();
  const fair = loupe('fairness', file, '--by', 'sex').fairness.sex;
  assert.ok((await page.getByTestId('fairness-summary').textContent()).includes(fair.mae_difference.toFixed(3)));
  const s1 = await page.getByTestId('fairness-groups').locator('tr', { hasText: 's1' }).locator('td').allTextContents();
  assert.equal(s1[1], fair.by_group.s1.mae.toFixed(2));
  s.assertNoErrors();
  await s.context.close();
});
