import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { launch, openPage } from './helpers.mjs';

let browser;
before(async () => (browser = await launch()));
after(async () => browser?.close());

const row = async (page) => Number(await page.getByTestId('review-item').getAttribute('data-row'));

test('review by keyboard; closing the page mid-review loses no decision; decisions export', async () => {
  const s = await openPage(browser, '?data=demo/seattle-weather.csv&view=review');
  let { page } = s;
  await page.getByLabel('Reviewer name').fill('ada');
  await page.getByRole('button', { name: 'Start reviewing' }).click();
  await page.getByTestId('review-item').waitFor({ timeout: 60000 });
  // The queue is loupe issues' ranking.
  const cli = JSON.parse(execFileSync(process.execPath, ['bin/loupe.mjs', 'issues', 'public/demo/seattle-weather.csv', '--json'], { encoding: 'utf8' }));
  assert.match(await page.getByTestId('review-progress').textContent(), new RegExp(`0 of ${cli.num_issues} reviewed`));
  const decided = [];
  for (const key of ['a', '3', 'f', 's', 'Enter', '5']) {
    const before = await row(page);
    decided.push([before, key]);
    await page.keyboard.press(key);
    await page.waitForFunction((r) => Number(document.querySelector('[data-testid=review-item]')?.getAttribute('data-row')) !== r, before);
  }
  // Undo the last one, and redo it as "relabel as the first class".
  await page.keyboard.press('u');
  await page.waitForFunction((r) => Number(document.querySelector('[data-testid=review-item]')?.getAttribute('data-row')) === r, decided.at(-1)[0]);
  await page.keyboard.press('1');
  await page.waitForFunction((r) => Number(document.querySelector('[data-testid=review-item]')?.getAttribute('data-row')) !== r, decided.at(-1)[0]);
  const next = await row(page);
  assert.match(await page.getByTestId('review-progress').textContent(), /6 of \d+ reviewed\s+\(2 accepted, 2 relabelled, 1 unsure, 1 skipped\)/);

  // Close without warning, open again in the same browser profile.
  await page.close({ runBeforeUnload: false });
  page = await s.context.newPage();
  await page.goto(new URL('?data=demo/seattle-weather.csv&view=review', process.env.LOUPE_URL ?? 'http://127.0.0.1:4173/').href);
  await page.getByTestId('review-item').waitFor({ timeout: 60000 });
  assert.match(await page.getByTestId('review-progress').textContent(), /6 of \d+ reviewed\s+\(2 accepted, 2 relabelled, 1 unsure, 1 skipped\)/);
  assert.equal(await row(page), next, 'the place in the queue is restored');
  await page.keyboard.press('k');
  await page.waitForFunction(() => document.querySelector('[data-testid=item-decision]'));
  assert.match(await page.getByTestId('item-decision').textContent(), /relabel → drizzle/);

  // Another queue: a stratified random sample; decisions are per row, so they carry over.
  await page.getByTestId('queue-source').selectOption('sample');
  await page.waitForFunction(() => /of (9\d|10\d) reviewed/.test(document.querySelector('[data-testid=review-progress]')?.textContent ?? ''));
  const sampleFirst = await row(page);
  await page.getByTestId('queue-source').selectOption('issues');
  await page.waitForFunction(() => /^6 of \d+ reviewed/.test(document.querySelector('[data-testid=review-progress]')?.textContent ?? ''));
  assert.ok(Number.isInteger(sampleFirst));

  const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export decisions (CSV)' }).click()]);
  const csv = readFileSync(await d.path(), 'utf8').trim().split('\n');
  assert.equal(csv[0], 'id,reviewer,timestamp,original_label,decision,new_label,comment');
  assert.equal(csv.length, 7);
  assert.ok(csv.slice(1).every((l) => l.split(',')[1] === 'ada'));
  const relabelled = csv.slice(1).map((l) => l.split(',')).filter((c) => c[4] === 'relabel').map((c) => c[0]);
  const [c] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-corrected').click()]);
  const corrected = readFileSync(await c.path(), 'utf8').trim().split('\n').map((l) => l.split(','));
  assert.equal(corrected[0].at(-1), 'label_reviewed');
  assert.equal(corrected.length, 1462);
  const idAt = corrected[0].indexOf('id');
  const labelAt = corrected[0].indexOf('label');
  for (const row of corrected.slice(1)) {
    if (relabelled.includes(row[idAt])) assert.notEqual(row.at(-1), row[labelAt]);
    else assert.equal(row.at(-1), row[labelAt]);
  }
  await s.context.close();
});

test('without storage the reviewer is warned at once, and decisions stay in the page and export', async () => {
  const context = await browser.newContext();
  // A browser with IndexedDB switched off (as some private modes are).
  await context.addInitScript(() => Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true }));
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(new URL('?data=demo/seattle-weather.csv&view=review', process.env.LOUPE_URL ?? 'http://127.0.0.1:4173/').href);
  await page.getByLabel('Reviewer name').fill('bo');
  await page.getByRole('button', { name: 'Start reviewing' }).click();
  await page.getByTestId('review-item').waitFor({ timeout: 60000 });
  assert.match(await page.getByTestId('storage-warning').textContent(), /cannot be stored in this browser.*export them/);
  const first = await row(page);
  await page.keyboard.press('a');
  await page.waitForFunction((r) => Number(document.querySelector('[data-testid=review-item]')?.getAttribute('data-row')) !== r, first);
  assert.match(await page.getByTestId('review-progress').textContent(), /^1 of \d+ reviewed/);
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'JSON', exact: true }).click()]);
  const json = JSON.parse(readFileSync(await d.path(), 'utf8'));
  assert.equal(json.length, 1);
  assert.equal(json[0].reviewer, 'bo');
  assert.equal(json[0].decision, 'accept');
  assert.deepEqual(errors, []);
  await context.close();
});
