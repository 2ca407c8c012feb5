import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixture, launch, openFiles, openPage, shownRowCount } from './helpers.mjs';

let browser;
before(async () => (browser = await launch()));
after(async () => browser?.close());

const shown = async (page) =>
  (await page.getByTestId('shown-rows').textContent()).match(/^([\d,]+) of/)?.[1].replaceAll(',', '');
const firstCells = (page) => page.locator('[role=table] .row').first().locator('[role=cell]').allTextContents();

test('the Data tab searches, sorts, marks and narrows to the model’s mistakes, jumps to a row, and filters every view', async () => {
  const s = await openPage(browser, '?data=demo/seattle-weather.csv');
  const { page } = s;
  await page.locator('[data-testid=column-card]').first().waitFor({ timeout: 60000 });
  const lines = readFileSync('public/demo/seattle-weather.csv', 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  const head = lines[0];
  const data = lines.slice(1);
  const col = (name) => head.indexOf(name);

  // Histograms are counted after the table is shown: a numeric column's bars add up to its rows.
  const bars = page.locator('[data-testid=column-card][data-column=temp_max] svg.hist rect');
  await bars.first().waitFor({ timeout: 60000 });
  const counts = (await bars.locator('title').allTextContents()).map((t) => Number(t.replace(/\D/g, '')));
  assert.equal(counts.length, 20);
  assert.equal(
    counts.reduce((a, b) => a + b, 0),
    data.filter((r) => r[col('temp_max')] !== '').length,
  );

  // Search every column (case-insensitive, as text).
  await page.getByTestId('row-search').fill('2012-05-1');
  await page.waitForFunction(() =>
    /^10 of/.test(document.querySelector('[data-testid=shown-rows]')?.textContent ?? ''),
  );
  await page.getByTestId('row-search').fill('');
  await page.waitForFunction(() =>
    /^1,461 of/.test(document.querySelector('[data-testid=shown-rows]')?.textContent ?? ''),
  );

  // Mistakes are marked, and can be the only rows shown: as many as loupe counts off the diagonal.
  await page.locator('[data-marked]').first().waitFor();
  const cli = JSON.parse(
    execFileSync(
      process.execPath,
      ['bin/loupe.mjs', 'eval', 'public/demo/seattle-weather.csv', '--json', '--bootstrap', '0'],
      { encoding: 'utf8' },
    ),
  );
  const wrong = cli.confusion.matrix.flatMap((r, i) => r.filter((_, j) => j !== i)).reduce((a, b) => a + b, 0);
  await page.getByTestId('wrong-only').check();
  await page.waitForFunction(
    (n) =>
      new RegExp(`^${n.toLocaleString('en-US')} of`).test(
        document.querySelector('[data-testid=shown-rows]')?.textContent ?? '',
      ),
    wrong,
  );
  await page.waitForFunction(() =>
    [...document.querySelectorAll('[role=table] .row')].every((r) => r.querySelectorAll('[role=cell]').length > 2),
  );
  const visible = await page.locator('[role=table] .row').count();
  assert.equal(await page.locator('[role=table] .row[data-marked]').count(), visible, 'every row shown is a mistake');
  await page.getByTestId('wrong-only').uncheck();

  // Sort by a column, both ways.
  const tmax = data.map((r) => Number(r[col('temp_max')]));
  await page.getByRole('button', { name: 'temp_max', exact: true }).click();
  await page.waitForFunction(() =>
    /sorted by temp_max$|sorted by temp_max ·/.test(
      document.querySelector('[data-testid=shown-rows]')?.textContent ?? '',
    ),
  );
  await page.waitForFunction(
    (v) =>
      document.querySelectorAll('[role=table] .row')[0]?.querySelectorAll('[role=cell]')[1 + 5]?.textContent ===
      String(v),
    Math.min(...tmax),
  );
  await page.getByRole('button', { name: 'temp_max ▲' }).click();
  await page.waitForFunction(
    (v) =>
      document.querySelectorAll('[role=table] .row')[0]?.querySelectorAll('[role=cell]')[1 + 5]?.textContent ===
      String(v),
    Math.max(...tmax),
  );
  assert.equal(
    await page
      .locator('[role=columnheader][aria-sort=descending]')
      .textContent()
      .then((t) => t.trim()),
    'temp_max ▼',
  );
  await page.getByRole('button', { name: 'temp_max ▼' }).click();
  await page.waitForFunction(
    () => !/sorted/.test(document.querySelector('[data-testid=shown-rows]')?.textContent ?? ''),
  );

  // Jump to a row by its number.
  await page.getByTestId('goto-row').fill('1000');
  await page.getByTestId('goto-row').press('Enter');
  await page.waitForFunction(() => {
    const cells = document.querySelectorAll('[role=table] .row')[0]?.querySelectorAll('[role=cell]') ?? [];
    return cells[0]?.textContent === '1,000' && cells.length > 2;
  });
  assert.equal((await firstCells(page))[1 + col('date')], data[999][col('date')]);
  await page.getByTestId('goto-row').fill('99999');
  await page.getByTestId('goto-row').press('Enter');
  await page.getByText('Row numbers run from 1 to 1,461.').waitFor();

  // The filter builder here sets the active slice, which every view follows.
  await page.getByTestId('filter-rows').click();
  const builder = page.getByRole('form', { name: 'Define a slice' });
  await builder.getByLabel('Column').selectOption('season');
  await builder.getByLabel('Operator').selectOption('=');
  await builder.getByLabel('Value').fill('winter');
  await builder.getByRole('button', { name: 'Apply' }).click();
  await page.getByTestId('slice-chip').waitFor();
  const winter = data.filter((r) => r[col('season')] === 'winter').length;
  await page.waitForFunction(
    (n) => new RegExp(`^${n} of`).test(document.querySelector('[data-testid=shown-rows]')?.textContent ?? ''),
    winter,
  );
  assert.equal(Number(await shown(page)), winter);
  s.assertSameOrigin();
  s.assertNoErrors();
  await s.context.close();
});

test('a large table is shown at once and profiled meanwhile: then its cards, its missing values and its roles follow', async () => {
  // 300,000 rows (past the 250,000 at which the engine shows a table before profiling it), "NA" in x.
  const dir = mkdtempSync(path.join(tmpdir(), 'loupe-large-e2e-'));
  const file = path.join(dir, 'large.csv');
  const rows = ['x,label,pred'];
  for (let i = 0; i < 300_000; i++)
    rows.push(`${i % 7 === 1 ? 'NA' : i % 100},${i % 3 ? 'a' : 'b'},${i % 5 ? 'a' : 'b'}`);
  writeFileSync(file, rows.join('\n') + '\n');
  const s = await openPage(browser);
  const { page } = s;
  await page.waitForFunction(() => performance.getEntriesByName('loupe:engine-ready').length, undefined, {
    timeout: 60000,
  });
  await page.locator('[data-testid=file-input]').first().setInputFiles([file]);
  // First the rows as the file has them, with the columns' names and types, while profiling.
  await page.getByTestId('column-profiling').first().waitFor({ timeout: 60000 });
  await page.locator('[role=table] .row').first().locator('[role=cell]').nth(1).waitFor();
  await page.getByTestId('profiling-timing').waitFor();
  assert.equal(await page.getByTestId('timings').count(), 0);
  assert.match(await page.getByTestId('summary-rows').textContent(), /300,000/);
  // Then profiled: NA is a missing number, the rows are read again, and the roles are detected.
  await page.waitForFunction(() => performance.getEntriesByName('loupe:loaded').length, undefined, {
    timeout: 60000,
  });
  assert.equal(await page.getByTestId('column-profiling').count(), 0);
  const x = page.locator('[data-testid=column-card][data-column=x]');
  await x.getByText(/42,857 nulls/).waitFor();
  await page.waitForFunction(() => {
    const cells = document.querySelectorAll('[role=table] .row')[1]?.querySelectorAll('[role=cell]') ?? [];
    return cells[0]?.textContent === '2' && cells[1]?.textContent === 'null' && cells[1].classList.contains('null');
  });
  await page.locator('[data-testid=column-card][data-column=label]').getByTestId('column-role').waitFor();
  s.assertNoErrors();
  await s.context.close();
});

test('labels in one file and the model’s output in another: the Data tab offers to join them, and Evaluate equals scikit-learn', async () => {
  const s = await openPage(browser);
  const { page } = s;
  await openFiles(page, 'inputs/otto_truth.csv');
  await shownRowCount(page, 'otto_truth.csv');
  await openFiles(page, 'inputs/otto_submission.csv');
  const notice = page.getByTestId('pairing');
  await notice.waitFor({ timeout: 30000 });
  assert.match(
    await notice.textContent(),
    /otto_submission\.csv holds a model's output \(Class_1, Class_2, Class_3\) for the labels of otto_truth\.csv \(target\), row by row on id\./,
  );
  await notice.getByRole('button', { name: 'Join them to evaluate' }).click();
  assert.equal(await shownRowCount(page, 'otto_truth.csv + otto_submission.csv'), 210);
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Evaluate', exact: true }).click();
  const want = JSON.parse(readFileSync(fixture('expected/inputs.json'), 'utf8')).otto_probs.overall;
  for (const key of ['accuracy', 'log_loss', 'roc_auc']) {
    const cell = page.locator(`[data-testid=metrics] tr[data-metric=${key}] td[data-value]`);
    await cell.waitFor({ timeout: 30000 });
    assert.ok(Math.abs(Number(await cell.getAttribute('data-value')) - want[key]) <= 1e-9, key);
  }
  s.assertSameOrigin();
  s.assertNoErrors();
  await s.context.close();
});
