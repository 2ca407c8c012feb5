import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fixture, launch, openFiles, openPage, pickGeneratedFile } from './helpers.mjs';

let browser;
before(async () => (browser = await launch()));
after(async () => browser?.close());

/** `loupe …` from the repository, as a user would run it; its standard output. */
const loupe = (...args) => execFileSync(process.execPath, ['bin/loupe.mjs', ...args], { encoding: 'utf8' });

async function downloadText(page, click) {
  const [d] = await Promise.all([page.waitForEvent('download'), click()]);
  return readFileSync(await d.path());
}

const metric = async (page, key) =>
  Number(await page.locator(`[data-testid=metrics] tr[data-metric=${key}] td[data-value]`).getAttribute('data-value'));

test('Evaluate shows the metrics loupe eval computes; the JSON export is byte for byte the CLI output', async () => {
  const s = await openPage(browser, '?data=demo/seattle-weather.csv&view=evaluate');
  const { page } = s;
  await page.locator('[data-testid=metrics]').waitFor({ timeout: 60000 });
  const cli = JSON.parse(loupe('eval', 'public/demo/seattle-weather.csv', '--json', '--bootstrap', '0'));
  for (const k of ['accuracy', 'macro_f1', 'log_loss', 'roc_auc', 'ece', 'mcc'])
    assert.equal(await metric(page, k), cli.overall[k], k);
  // Intervals arrive from the bootstrap, with progress on the way.
  await page.getByTestId('bootstrap-done').waitFor({ timeout: 60000 });
  const iv = await page.locator('tr[data-metric=macro_f1] td').nth(1).getAttribute('title');
  assert.match(iv, /^0\.\d+ – 0\.\d+ \(percentile bootstrap\)$/);
  await page.screenshot({ path: 'docs/evaluate.png' });

  const app = await downloadText(page, () => page.getByTestId('export-json').click());
  const expected = loupe('eval', 'public/demo/seattle-weather.csv', '--json');
  assert.equal(app.toString('utf8'), expected);

  // A confusion cell opens its rows: as many as the cell counts.
  const cell = page.locator('[data-chart=confusion-matrix] g.cell').nth(3 * 5 + 2); // true snow, predicted rain
  await cell.click();
  await page.getByTestId('rows-panel').waitFor();
  assert.equal(Number(await page.getByTestId('rows-panel-count').textContent()), cli.confusion.matrix[3][2]);
  await page.getByTestId('rows-panel').getByRole('cell', { name: 'snow', exact: true }).first().waitFor();
  await page.keyboard.press('Escape');
  await page.getByTestId('rows-panel').waitFor({ state: 'detached' });

  // Every chart exports as SVG and PNG.
  const svg = (
    await downloadText(page, () => page.getByRole('button', { name: 'Export Confusion matrix as SVG' }).click())
  ).toString('utf8');
  assert.match(svg, /^<\?xml[^>]*>\n<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, /drizzle/);
  const png = await downloadText(page, () => page.getByRole('button', { name: 'Export ROC curve as PNG' }).click());
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.ok(png.length > 5000);
  s.assertSameOrigin();
  s.assertNoErrors();
  await s.context.close();
});

test('a slice from the filter builder filters every view, is saved, survives a reload, and exports as the CLI computes it', async () => {
  const s = await openPage(browser, '?data=demo/seattle-weather.csv&view=slices');
  const { page } = s;
  const builder = page.getByRole('form', { name: 'Define a slice' });
  await builder.waitFor({ timeout: 60000 });
  // Problems are shown inline, never thrown.
  await builder.getByRole('tab', { name: 'SQL' }).click();
  await builder.getByLabel('SQL boolean expression').fill('temp_max > AND 3');
  await builder.getByRole('button', { name: 'Apply' }).click();
  assert.match(
    await page.getByTestId('filter-error').textContent(),
    /"AND" at character 12: expected a value or a column/,
  );
  await builder.getByLabel('SQL boolean expression').fill('no_such_column > 3');
  await builder.getByRole('button', { name: 'Apply' }).click();
  assert.match(await page.getByTestId('filter-error').textContent(), /no_such_column/);

  await builder.getByRole('tab', { name: 'Filter' }).click();
  await builder.getByLabel('Column').selectOption('season');
  await builder.getByLabel('Operator').selectOption('=');
  await builder.getByLabel('Value').fill("win'ter");
  await builder.getByRole('button', { name: 'Apply' }).click();
  await page.getByTestId('slice-chip').waitFor();
  assert.match(await page.getByTestId('slice-chip').textContent(), /· 0 rows/);
  await builder.getByLabel('Value').fill('winter');
  await builder.getByLabel('Slice name').fill('Winter');
  await builder.getByRole('button', { name: 'Save slice' }).click();
  await page.waitForFunction(() =>
    /· 361 rows/.test(document.querySelector('[data-testid=slice-chip]')?.textContent ?? ''),
  );
  const cli = JSON.parse(
    loupe('eval', 'public/demo/seattle-weather.csv', '--json', '--bootstrap', '0', '--where', `("season" = 'winter')`),
  );
  assert.equal(cli.slices[0].rows, 361);

  // Evaluate and Data follow the active slice.
  await page.getByRole('button', { name: 'Evaluate', exact: true }).click();
  await page.waitForFunction(() =>
    document.querySelector('[data-testid=eval-rows]')?.textContent.includes('361 rows scored in slice “Winter”'),
  );
  await page.waitForFunction(
    (v) => document.querySelector('tr[data-metric=accuracy] td[data-value]')?.getAttribute('data-value') === String(v),
    cli.slices[0].metrics.accuracy,
  );
  await page.getByRole('button', { name: 'Data', exact: true }).click();
  await page.getByText('2012-01-01').first().waitFor();
  assert.equal(await page.getByText('2012-03-21', { exact: true }).count(), 0, 'spring rows are filtered out');

  // The saved slice persists per dataset and travels in the URL.
  assert.match(decodeURIComponent(page.url()), /slices=\[\{"name":"Winter"/);
  await page.reload();
  await page.getByTestId('slice-chip').waitFor({ timeout: 60000 });
  await page.evaluate(() => history.replaceState(null, '', '?data=demo/seattle-weather.csv&view=slices'));
  await page.reload();
  await page.locator('[data-slice=Winter]').waitFor({ timeout: 60000 });

  await page.getByRole('button', { name: 'Evaluate', exact: true }).click();
  const app = await downloadText(page, () => page.getByTestId('export-json').click());
  assert.equal(
    app.toString('utf8'),
    loupe('eval', 'public/demo/seattle-weather.csv', '--json', '--where', `("season" = 'winter')`),
  );
  s.assertSameOrigin();
  s.assertNoErrors();
  await s.context.close();
});

test('binary: the positive class and the decision threshold change every metric and reach the URL', async () => {
  const s = await openPage(browser);
  const { page } = s;
  await openFiles(page, 'cancer.csv');
  await page.getByRole('button', { name: 'Evaluate', exact: true }).click();
  await page.locator('[data-testid=metrics]').waitFor({ timeout: 60000 });
  // The per-class table, as scikit-learn's classification_report (the fixture's golden values).
  const report = JSON.parse(readFileSync(fixture('expected/cancer.json'), 'utf8')).per_class;
  for (const pc of report) {
    const tr = page.locator(`[data-testid=per-class] tr[data-class=${pc.class}]`);
    for (const [i, k] of ['precision', 'recall', 'f1'].entries()) {
      const got = Number(await tr.locator('td[data-value]').nth(i).getAttribute('data-value'));
      assert.ok(Math.abs(got - pc[k]) <= 1e-9, `${pc.class} ${k}: ${got} vs ${pc[k]}`);
    }
    assert.equal(await tr.locator('td').last().textContent(), String(pc.support));
  }
  assert.match(await page.locator('[data-testid=per-class] tr[data-class=malignant] th').textContent(), /\(positive\)/);
  assert.equal(await page.getByTestId('positive').inputValue(), 'malignant');
  const before = await metric(page, 'accuracy');
  await page.getByTestId('threshold').fill('0.05');
  await page.waitForFunction(() => location.search.includes('threshold=0.05'));
  const cli = JSON.parse(loupe('eval', fixture('cancer.csv'), '--json', '--bootstrap', '0', '--threshold', '0.05'));
  await page.waitForFunction(
    (v) => document.querySelector('tr[data-metric=accuracy] td[data-value]')?.getAttribute('data-value') === String(v),
    cli.overall.accuracy,
  );
  assert.notEqual(cli.overall.accuracy, before);
  await page.getByTestId('positive').selectOption('benign');
  await page.waitForFunction(() => location.search.includes('positive=benign'));
  const benign = JSON.parse(
    loupe('eval', fixture('cancer.csv'), '--json', '--bootstrap', '0', '--threshold', '0.05', '--positive', 'benign'),
  );
  await page.waitForFunction(
    (v) =>
      document.querySelector('tr[data-metric=average_precision] td[data-value]')?.getAttribute('data-value') ===
      String(v),
    benign.overall.average_precision,
  );
  s.assertSameOrigin();
  s.assertNoErrors();
  await s.context.close();
});

test('regression: the metrics loupe eval gives, a residual histogram whose bars open their rows, predicted against actual, its largest errors reviewed', async () => {
  const s = await openPage(browser);
  const { page } = s;
  await openFiles(page, 'diabetes.csv');
  await page.getByRole('button', { name: 'Evaluate', exact: true }).click();
  await page.locator('[data-testid=metrics]').waitFor({ timeout: 60000 });
  const cli = JSON.parse(loupe('eval', fixture('diabetes.csv'), '--json', '--bootstrap', '0'));
  for (const k of ['mae', 'rmse', 'r2', 'median_absolute_error'])
    assert.equal(await metric(page, k), cli.overall[k], k);
  await page.locator('[data-chart=predicted-actual] circle').first().waitFor();
  assert.equal(await page.locator('[data-chart=predicted-actual] circle').count(), 442);
  const bar = page.locator('[data-chart=residuals] rect.bar').nth(10);
  const count = Number(/: ([\d,]+) rows/.exec(await bar.getAttribute('aria-label'))[1].replaceAll(',', ''));
  await bar.click();
  assert.equal(Number(await page.getByTestId('rows-panel-count').textContent()), count);
  await page.keyboard.press('Escape');
  // The error tree's nodes give the mean absolute error, not a percentage.
  await page.getByRole('button', { name: 'Slices', exact: true }).click();
  await page.getByRole('button', { name: 'Find slices' }).click();
  const root = page.locator('[data-chart=error-tree] g.node').first();
  await root.waitFor({ timeout: 60000 });
  const [, shown] = /^mean error ([\d.]+) · 442 rows$/.exec(await root.locator('text').nth(1).textContent());
  assert.ok(Math.abs(Number(shown) - cli.overall.mae) < 0.01, `${shown} vs ${cli.overall.mae}`);
  // Review: the largest errors, as loupe issues lists them; a corrected value is typed, and exported as a number.
  const issues = JSON.parse(loupe('issues', fixture('diabetes.csv'), '--json'));
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  await page.getByLabel('Reviewer name').fill('ada');
  await page.getByRole('button', { name: 'Start reviewing' }).click();
  const item = page.getByTestId('review-item');
  await item.waitFor({ timeout: 30000 });
  assert.equal(Number(await item.getAttribute('data-row')), Number(issues.issues[0].id));
  assert.equal(await page.getByTestId('given').textContent(), issues.issues[0].given);
  // The error to ten significant digits: a value under review is read digit by digit.
  const error = Number((await page.getByTestId('item-error').textContent()).replaceAll(',', ''));
  assert.ok(Math.abs(error - issues.issues[0].score) < 1e-7 * issues.issues[0].score, `${error}`);
  assert.match(
    await page.getByTestId('review-progress').textContent(),
    new RegExp(`0 of ${issues.num_issues} reviewed`),
  );
  await page.keyboard.press('/');
  await page.keyboard.type('abc');
  await page.keyboard.press('Enter');
  assert.match(await page.getByTestId('review-notice').textContent(), /not a number/);
  await page.keyboard.press('/');
  await page.keyboard.type('60.5');
  await page.keyboard.press('Enter');
  await page.waitForFunction(
    (r) => document.querySelector('[data-testid=review-item]')?.getAttribute('data-row') === r,
    issues.issues[1].id,
  );
  await page.keyboard.press('a');
  await page.waitForFunction(() => /^2 of /.test(document.querySelector('[data-testid=review-progress]')?.textContent));
  await page.getByText('Export', { exact: true }).click();
  const corrected = String(await downloadText(page, () => page.getByTestId('export-corrected').click()))
    .trim()
    .split('\n');
  assert.ok(corrected[0].endsWith(',label_reviewed'));
  assert.ok(corrected[1 + Number(issues.issues[0].id)].endsWith(',60.5'));
  assert.ok(corrected[1 + Number(issues.issues[1].id)].endsWith(`,${issues.issues[1].given}.0`));
  // Evaluate on the reviewed labels: the one corrected value changes the MAE by its change in error.
  await page.getByRole('button', { name: 'Evaluate', exact: true }).click();
  await page.getByTestId('labels-select').selectOption('reviewed');
  const first = issues.issues[0];
  const mae = cli.overall.mae + (Math.abs(60.5 - Number(first.suggested)) - first.score) / 442;
  await page.waitForFunction(
    (v) =>
      Math.abs(Number(document.querySelector('tr[data-metric=mae] td[data-value]')?.getAttribute('data-value')) - v) <
      1e-9,
    mae,
  );
  // Side by side: what the review found (both reviewed rows were unusually large errors; one was corrected).
  await page.getByTestId('labels-select').selectOption('both');
  await page.getByTestId('review-summary').waitFor();
  assert.match(
    (await page.getByTestId('review-summary').innerText()).replace(/\s+/g, ' '),
    /Reviewed 2 rows \(accepted or corrected\), 1 corrected, 1 of them to a value nearer the model's prediction than the given label\. Issue finder precision: 0\.500 \(1 of 2 reviewed unusually large errors were corrected\)/,
  );
  s.assertSameOrigin();
  s.assertNoErrors();
  await s.context.close();
});

test('inputs as pandas and people write them: the app finds the task and classes scikit-learn does, and its numbers', async () => {
  const cases = JSON.parse(readFileSync(fixture('expected/inputs.json'), 'utf8'));
  // The app's own paths (class names shown, rows left out, the positive class); the CLI test covers every case.
  for (const name of ['bool_labels', 'missing_tokens', 'decimal_comma', 'latin1', 'score_text', 'class_named']) {
    const c = cases[name];
    const s = await openPage(browser);
    const { page } = s;
    await openFiles(page, `inputs/${c.file}`);
    await page.locator('.datasets li', { hasText: c.file }).waitFor();
    await page.getByRole('button', { name: 'Evaluate', exact: true }).click();
    await page.locator('[data-testid=metrics]').waitFor({ timeout: 30000 });
    const head = await page.getByTestId('eval-rows').innerText();
    assert.match(head, new RegExp(`^\\s*${c.rows.toLocaleString('en-US')} rows scored · ${c.task}`), name);
    if (c.classes) assert.match(head, new RegExp(`· ${c.classes.length} classes`), name);
    if (c.skipped) assert.match(head, new RegExp(`${c.skipped} without label or prediction left out`), name);
    else assert.doesNotMatch(head, /left out/, name);
    if (c.positive) assert.equal(await page.getByTestId('positive').inputValue(), c.positive, name);
    // One column of the positive class's probability (y_score): the roles panel says which class it is.
    if (name === 'score_text') assert.match(await page.getByTestId('probs-classes').innerText(), /p\(yes\)/);
    for (const [k, want] of Object.entries(c.overall)) {
      if (want === null) continue;
      const got = await metric(page, k);
      assert.ok(Math.abs(got - want) <= 1e-9, `${name} ${k}: ${got} vs ${want}`);
    }
    s.assertSameOrigin();
    s.assertNoErrors();
    await s.context.close();
  }
});

test('a task of many classes: the confusion matrix shows the 30 with the most errors, and a cell opens its rows', async () => {
  const s = await openPage(browser);
  const { page } = s;
  await page.setViewportSize({ width: 1280, height: 720 });
  // 60 classes; classes 0–9 are predicted as their neighbour one row in three, the others always right.
  await pickGeneratedFile(page, 'many.csv', () => {
    const lines = ['label,pred'];
    // Long class names (`c7_long_category_name`): 30 columns of them do not fit the panel unscaled.
    const name = (c) => `c${c}_long_category_name`;
    for (let i = 0; i < 1800; i++) {
      const c = i % 60;
      lines.push(`${name(c)},${name(c < 10 && i % 180 < 60 ? (c + 1) % 60 : c)}`);
    }
    return [lines.join('\n') + '\n'];
  });
  await page.getByRole('button', { name: 'Evaluate', exact: true }).click();
  await page.getByTestId('matrix-subset').waitFor({ timeout: 60000 });
  assert.match(await page.getByTestId('matrix-subset').textContent(), /The 30 classes with the most errors, of 60/);
  const cells = page.locator('[data-chart=confusion-matrix] g.cell');
  assert.equal(await cells.count(), 900);
  // The whole matrix is in its panel (scaled down to fit, not cut off).
  const [chart, panel] = await page
    .locator('[data-chart=confusion-matrix] svg')
    .evaluate((svg) => [svg.getBoundingClientRect().right, svg.closest('figure')?.getBoundingClientRect().right]);
  assert.ok(chart <= panel + 1, `the matrix ends at ${chart}, past its panel's ${panel}`);
  // Every class with errors is among those shown: c0 … c10.
  const labels = await cells.evaluateAll((gs) => gs.map((g) => g.getAttribute('aria-label')));
  for (let c = 0; c <= 10; c++)
    assert.ok(
      labels.some((l) => l.startsWith(`true class c${c}_long_category_name,`)),
      `c${c}`,
    );
  // A cell opens the rows of its classes in the whole table: true c0, predicted c1.
  await cells
    .filter({
      has: page.locator('title', { hasText: /^true class\s+c0_long_category_name · predicted class\s+c1_long/ }),
    })
    .click();
  assert.equal(Number(await page.getByTestId('rows-panel-count').textContent()), 10);
  s.assertNoErrors();
  await s.context.close();
});
