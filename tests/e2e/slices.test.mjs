import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fixture, launch, openFiles, openPage } from './helpers.mjs';

let browser;
before(async () => (browser = await launch()));
after(async () => browser?.close());

test('Find failing slices gives the slices loupe slices gives; one click to their metrics, rows, or saving', async () => {
  const s = await openPage(browser);
  const { page } = s;
  await openFiles(page, 'cancer.csv');
  await page.getByRole('button', { name: 'Slices', exact: true }).click();
  await page.getByText('Features (', { exact: false }).click();
  // Only the two categorical features, as the reference search used.
  for (const box of await page.locator('.feat input').all()) {
    const name = (await box.locator('..').textContent()).trim();
    if (!/^(size_group|texture_group)/.test(name) && (await box.isChecked())) await box.uncheck();
  }
  await page.getByTestId('find-slices').click();
  await page.getByTestId('found-slices').waitFor({ timeout: 60000 });
  const cli = JSON.parse(
    execFileSync(
      process.execPath,
      ['bin/loupe.mjs', 'slices', fixture('cancer.csv'), '--json', '--features', 'size_group,texture_group'],
      { encoding: 'utf8' },
    ),
  );
  const rows = page.locator('[data-testid=found-slices] tbody tr');
  assert.equal(await rows.count(), cli.slices.length);
  assert.match(await rows.first().locator('th').textContent(), /size_group = medium AND texture_group = rough/);
  assert.equal(Number(await rows.first().locator('td').first().textContent()), cli.slices[0].size);
  await page.screenshot({ path: 'test-results/find-slices.png' });

  await rows.first().getByRole('button', { name: 'Rows' }).click();
  assert.equal(Number(await page.getByTestId('rows-panel-count').textContent()), cli.slices[0].size);
  await page.keyboard.press('Escape');
  // The error tree: the root holds every row; a click on a node makes it the active slice.
  await page.locator('[data-chart=error-tree] g.node').first().waitFor({ timeout: 60000 });
  assert.match(
    await page.locator('[data-chart=error-tree] g.node').first().getAttribute('aria-label'),
    /^all rows: 569 rows/,
  );
  assert.match(
    await page.locator('[data-chart=error-tree] g.node').first().locator('text').nth(1).textContent(),
    /^error \d+\.\d% · 569 rows$/,
  );
  const second = page.locator('[data-chart=error-tree] g.node').nth(1);
  const label = await second.getAttribute('aria-label');
  const [, name, count] = /^(.*): ([\d,]+) rows/.exec(label);
  await second.click();
  await page.waitForFunction(
    (c) => document.querySelector('[data-testid=slice-chip]')?.textContent.includes(`· ${c} rows`),
    count,
  );
  assert.match(
    await page.getByTestId('slice-chip').textContent(),
    new RegExp(name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
  );
  await rows.first().getByRole('button', { name: 'Metrics' }).click();
  await page.waitForFunction(() =>
    document.querySelector('[data-testid=eval-rows]')?.textContent.includes('81 rows scored in slice'),
  );
  assert.match(await page.getByTestId('slice-chip').textContent(), /· 81 rows/);
  // …and to a review queue of its rows.
  await page.getByRole('button', { name: 'Slices', exact: true }).click();
  await page.locator('[data-testid=found-slices] tbody tr').first().getByRole('button', { name: 'Review' }).click();
  await page.getByLabel('Reviewer name').fill('cy');
  await page.getByRole('button', { name: 'Start reviewing' }).click();
  await page.waitForFunction(() =>
    /^0 of 81 reviewed/.test(document.querySelector('[data-testid=review-progress]')?.textContent ?? ''),
  );
  s.assertSameOrigin();
  s.assertNoErrors();
  await s.context.close();
});

test('found slices that are the same rows show as one, under their shortest description', async () => {
  const s = await openPage(browser, '?data=demo/seattle-weather.csv&view=slices');
  const { page } = s;
  await page.getByTestId('find-slices').click({ timeout: 60000 });
  await page.getByTestId('found-slices').waitFor({ timeout: 60000 });
  const cli = JSON.parse(
    execFileSync(process.execPath, ['bin/loupe.mjs', 'slices', 'public/demo/seattle-weather.csv', '--json'], {
      encoding: 'utf8',
    }),
  ).slices;
  const within = (a, b) => Object.entries(a.predicates).every(([c, v]) => b.predicates[c] === v);
  const folded = cli.filter((b) =>
    cli.some(
      (a) =>
        a !== b &&
        a.size === b.size &&
        within(a, b) &&
        Object.keys(a.predicates).length < Object.keys(b.predicates).length,
    ),
  );
  assert.ok(folded.length > 0, 'the demo has slices that are the same rows');
  assert.equal(await page.getByTestId('found-slice').count(), cli.length - folded.length);
  assert.equal((await page.getByTestId('same-rows').count()) > 0, true);
  s.assertNoErrors();
  await s.context.close();
});

test('slice by column gives the groups loupe eval --by gives, with rows and accuracy, then intervals', async () => {
  const s = await openPage(browser);
  const { page } = s;
  await openFiles(page, 'cancer.csv');
  await page.getByRole('button', { name: 'Slices', exact: true }).click();
  await page.getByTestId('slice-by').selectOption('size_group');
  await page.getByRole('button', { name: 'Slice', exact: true }).click();
  const table = page.locator('[data-testid=slice-table][aria-label="Slices by size_group"]');
  await table.locator('tbody tr').first().waitFor({ timeout: 60000 });
  const cli = JSON.parse(
    execFileSync(
      process.execPath,
      ['bin/loupe.mjs', 'eval', fixture('cancer.csv'), '--json', '--bootstrap', '0', '--by', 'size_group'],
      {
        encoding: 'utf8',
      },
    ),
  ).groups.size_group;
  assert.equal(await table.locator('tbody tr').count(), Object.keys(cli).length);
  for (const [value, g] of Object.entries(cli)) {
    const row = table.locator(`tbody tr[data-slice="size_group = ${value}"]`);
    await row.locator('td[data-metric=accuracy]').filter({ hasText: /\[/ }).waitFor({ timeout: 60000 }); // intervals arrived
    assert.equal(Number((await row.locator('td').first().innerText()).replaceAll(',', '')), g.rows, value);
    assert.equal(
      (await row.locator('td[data-metric=accuracy]').innerText()).split(' ')[0],
      g.accuracy.toFixed(3),
      value,
    );
  }
  assert.equal(await page.getByTestId('slices-error').count(), 0);
  s.assertNoErrors();
  await s.context.close();
});
