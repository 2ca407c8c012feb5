import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixture, launch, openFiles, openPage } from './helpers.mjs';

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
  const cli = JSON.parse(
    execFileSync(process.execPath, ['bin/loupe.mjs', 'issues', 'public/demo/seattle-weather.csv', '--json'], {
      encoding: 'utf8',
    }),
  );
  assert.match(await page.getByTestId('review-progress').textContent(), new RegExp(`0 of ${cli.num_issues} reviewed`));
  const decided = [];
  for (const key of ['a', '3', 'f', 's', 'Enter', '5']) {
    const before = await row(page);
    decided.push([before, key]);
    await page.keyboard.press(key);
    await page.waitForFunction(
      (r) => Number(document.querySelector('[data-testid=review-item]')?.getAttribute('data-row')) !== r,
      before,
    );
  }
  // Undo the last one, and redo it as "relabel as the first class".
  await page.keyboard.press('u');
  await page.waitForFunction(
    (r) => Number(document.querySelector('[data-testid=review-item]')?.getAttribute('data-row')) === r,
    decided.at(-1)[0],
  );
  await page.keyboard.press('1');
  await page.waitForFunction(
    (r) => Number(document.querySelector('[data-testid=review-item]')?.getAttribute('data-row')) !== r,
    decided.at(-1)[0],
  );
  const next = await row(page);
  assert.match(
    await page.getByTestId('review-progress').textContent(),
    /6 of \d+ reviewed\s+\(2 accepted, 2 relabelled, 1 unsure, 1 skipped\)/,
  );

  // Close without warning, open again in the same browser profile.
  await page.close({ runBeforeUnload: false });
  page = await s.context.newPage();
  await page.goto(
    new URL('?data=demo/seattle-weather.csv&view=review', process.env.LOUPE_URL ?? 'http://127.0.0.1:4173/').href,
  );
  await page.getByTestId('review-item').waitFor({ timeout: 60000 });
  assert.match(
    await page.getByTestId('review-progress').textContent(),
    /6 of \d+ reviewed\s+\(2 accepted, 2 relabelled, 1 unsure, 1 skipped\)/,
  );
  assert.equal(await row(page), next, 'the place in the queue is restored');
  await page.keyboard.press('k');
  await page.waitForFunction(() => document.querySelector('[data-testid=item-decision]'));
  assert.match(await page.getByTestId('item-decision').textContent(), /relabel → drizzle/);

  // Another queue: a stratified random sample; decisions are per row, so they carry over.
  await page.getByTestId('queue-source').selectOption('sample');
  await page.waitForFunction(() =>
    /of (9\d|10\d) reviewed/.test(document.querySelector('[data-testid=review-progress]')?.textContent ?? ''),
  );
  const sampleFirst = await row(page);
  await page.getByTestId('queue-source').selectOption('issues');
  await page.waitForFunction(() =>
    /^6 of \d+ reviewed/.test(document.querySelector('[data-testid=review-progress]')?.textContent ?? ''),
  );
  assert.ok(Number.isInteger(sampleFirst));

  await page.getByText('Export', { exact: true }).click();
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-decisions-csv').click()]);
  const csv = readFileSync(await d.path(), 'utf8')
    .trim()
    .split('\n');
  assert.equal(csv[0], 'id,reviewer,timestamp,original_label,decision,new_label,comment');
  assert.equal(csv.length, 7);
  assert.ok(csv.slice(1).every((l) => l.split(',')[1] === 'ada'));
  const relabelled = csv
    .slice(1)
    .map((l) => l.split(','))
    .filter((c) => c[4] === 'relabel')
    .map((c) => c[0]);
  await page.getByText('Export', { exact: true }).click();
  const [c] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-corrected').click()]);
  const corrected = readFileSync(await c.path(), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));
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
  await context.addInitScript(() =>
    Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true }),
  );
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(
    new URL('?data=demo/seattle-weather.csv&view=review', process.env.LOUPE_URL ?? 'http://127.0.0.1:4173/').href,
  );
  await page.getByLabel('Reviewer name').fill('bo');
  await page.getByRole('button', { name: 'Start reviewing' }).click();
  await page.getByTestId('review-item').waitFor({ timeout: 60000 });
  assert.match(
    await page.getByTestId('storage-warning').textContent(),
    /cannot be stored in this browser.*export them/,
  );
  const first = await row(page);
  await page.keyboard.press('a');
  await page.waitForFunction(
    (r) => Number(document.querySelector('[data-testid=review-item]')?.getAttribute('data-row')) !== r,
    first,
  );
  assert.match(await page.getByTestId('review-progress').textContent(), /^1 of \d+ reviewed/);
  const [d] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'JSON', exact: true }).click(),
  ]);
  const json = JSON.parse(readFileSync(await d.path(), 'utf8'));
  assert.equal(json.length, 1);
  assert.equal(json[0].reviewer, 'bo');
  assert.equal(json[0].decision, 'accept');
  assert.deepEqual(errors, []);
  await context.close();
});

const waitRowChange = (page, r) =>
  page.waitForFunction(
    (r) => Number(document.querySelector('[data-testid=review-item]')?.getAttribute('data-row')) !== r,
    r,
  );
async function decide(page, keys) {
  for (const key of keys) {
    const before = await row(page);
    await page.keyboard.press(key);
    await waitRowChange(page, before);
  }
}
async function startReview(path, name) {
  const s = await openPage(browser, path);
  await s.page.getByLabel('Reviewer name').fill(name);
  await s.page.getByRole('button', { name: 'Start reviewing' }).click();
  await s.page.getByTestId('review-item').waitFor({ timeout: 60000 });
  return s;
}
const download = async (page, click) => {
  const [d] = await Promise.all([page.waitForEvent('download'), click()]);
  return readFileSync(await d.path());
};

test('other reviewers import: agreement equals loupe agree, majority vote merges, disagreements become a queue', async () => {
  const s = await startReview('?data=demo/seattle-weather.csv&view=review', 'ada');
  const { page } = s;
  await decide(page, ['a', '3', 'a', '2']);
  await page.getByText('Export', { exact: true }).click();
  const ada = await download(page, () => page.getByTestId('export-decisions-csv').click());
  const adaRows = ada
    .toString()
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
  const adaLabel = (c) => (c[4] === 'relabel' ? c[5] : c[3]);
  // Bea agrees with ada on two of the four items and labels 20 more; Cy disagrees with both on one item (a tie).
  const demo = readFileSync('public/demo/seattle-weather.csv', 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
  const extra = demo.slice(0, 20).map((r) => [r[0], r[9]]);
  const bea = [...adaRows.map((c, i) => [c[0], i < 2 ? adaLabel(c) : 'fog']), ...extra];
  const cy = [
    ...adaRows.map((c, i) => [c[0], i === 0 ? 'snow' : adaLabel(c)]),
    ...extra.map(([id, l], i) => [id, i < 3 ? 'sun' : l]),
  ];
  const dir = mkdtempSync(path.join(tmpdir(), 'loupe-e2e-'));
  const files = { ada: path.join(dir, 'ada.csv'), bea: path.join(dir, 'bea.csv'), cy: path.join(dir, 'cy.csv') };
  writeFileSync(files.ada, ada);
  writeFileSync(files.bea, 'id,label\n' + bea.map((r) => r.join(',')).join('\n') + '\n');
  writeFileSync(files.cy, 'id,weather\n' + cy.map((r) => r.join(',')).join('\n') + '\n');
  await page.getByTestId('import-input').setInputFiles([files.bea, files.cy]);
  await page.getByTestId('agreement').waitFor();
  await page.waitForFunction(
    () =>
      document.querySelectorAll('[data-testid=agreement] tbody tr').length >= 3 &&
      /cy\.csv/.test(document.querySelector('[data-testid=agreement] summary')?.textContent ?? ''),
  );
  const cli = JSON.parse(
    execFileSync(process.execPath, ['bin/loupe.mjs', 'agree', files.ada, files.bea, files.cy, '--json'], {
      encoding: 'utf8',
    }),
  );
  const summary = await page.locator('[data-testid=agreement] summary').textContent();
  assert.match(summary, new RegExp(`${cli.items} items labelled by all; Fleiss' kappa ${cli.fleiss_kappa.toFixed(3)}`));
  const shown = await page.locator('[data-testid=agreement] table').first().locator('tbody tr').allTextContents();
  Object.values(cli.pairs).forEach((p, i) =>
    assert.match(shown[i], new RegExp(`${(100 * p.percent_agreement).toFixed(1)}%${p.cohen_kappa.toFixed(3)}`)),
  );
  const perClass = await page.getByTestId('per-class-agreement').locator('tbody tr').allTextContents();
  for (const [c, v] of Object.entries(cli.per_class))
    assert.ok(perClass.includes(`${c}${(100 * v).toFixed(1)}%`), `${c} ${v} in ${perClass}`);

  // The merged file: one row per id, the majority label, ties left open.
  const merged = (await download(page, () => page.getByTestId('export-merged').click()))
    .toString()
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  assert.deepEqual(merged[0], ['id', 'label_merged', 'status', 'ada', 'bea.csv', 'cy.csv']);
  assert.equal(merged.length - 1, new Set([...adaRows.map((c) => c[0]), ...bea.map((r) => r[0])]).size);
  for (const [id, label, status, ...votes] of merged.slice(1)) {
    const tally = {};
    for (const v of votes) if (v) tally[v] = (tally[v] ?? 0) + 1;
    const counts = Object.values(tally).sort((a, b) => b - a);
    const want =
      counts.length === 1 ? (counts[0] === 1 ? 'single' : 'agreed') : counts[0] > counts[1] ? 'majority' : 'tie';
    assert.equal(status, want, id);
    assert.equal(label, want === 'tie' ? '' : Object.keys(tally).find((k) => tally[k] === counts[0]));
  }
  const open = merged.slice(1).filter((r) => r[2] === 'tie' || r[2] === 'majority');
  assert.ok(open.some((r) => r[2] === 'tie'));
  assert.equal(Number(await page.getByTestId('ties').textContent()), open.filter((r) => r[2] === 'tie').length);

  // The disagreements as a queue, ties first, each item showing every reviewer's label.
  await page.getByRole('button', { name: 'Review the disagreements' }).click();
  await page.waitForFunction(
    (n) =>
      new RegExp(`of ${n} reviewed`).test(document.querySelector('[data-testid=review-progress]')?.textContent ?? ''),
    open.length,
  );
  assert.match(await page.getByTestId('votes').textContent(), /tie/);
  s.assertNoErrors();
  await s.context.close();
});

test("numeric labels' reviewers: Krippendorff's alpha equals loupe agree --numeric, the merge is the median", async () => {
  const s = await openPage(browser);
  const { page } = s;
  await openFiles(page, 'diabetes.csv');
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Review', exact: true }).click();
  await page.getByLabel('Reviewer name').fill('ada');
  await page.getByRole('button', { name: 'Start reviewing' }).click();
  await page.getByTestId('review-item').waitFor({ timeout: 60000 });
  const first = await row(page);
  await page.keyboard.press('/');
  await page.keyboard.type('60.5');
  await page.keyboard.press('Enter');
  await waitRowChange(page, first);
  await decide(page, ['a']);
  await page.getByText('Export', { exact: true }).click();
  const dir = mkdtempSync(path.join(tmpdir(), 'loupe-e2e-'));
  const ada = path.join(dir, 'ada.csv');
  writeFileSync(ada, await download(page, () => page.getByTestId('export-decisions-csv').click()));
  const others = ['b', 'c'].map((r) => fixture(`inputs/numeric_review_${r}.csv`));
  await page.getByTestId('import-input').setInputFiles(others);
  await page.waitForFunction(() =>
    /numeric_review_c\.csv/.test(document.querySelector('[data-testid=agreement] summary')?.textContent ?? ''),
  );
  const cli = JSON.parse(
    execFileSync(process.execPath, ['bin/loupe.mjs', 'agree', ada, ...others, '--numeric', '--json'], {
      encoding: 'utf8',
    }),
  );
  const summary = await page.locator('[data-testid=agreement] summary').textContent();
  assert.match(summary, new RegExp(`Krippendorff's alpha ${cli.krippendorff_alpha.toFixed(3)}`));
  assert.doesNotMatch(summary, /kappa/);
  const shown = await page.locator('[data-testid=agreement] table').first().locator('tbody tr').allTextContents();
  assert.equal(shown.length, 3);
  assert.match(shown[2], new RegExp(`${(100 * Object.values(cli.pairs)[2].percent_agreement).toFixed(1)}%`));
  assert.equal(await page.getByTestId('per-class-agreement').count(), 0);

  // The merged file: the median of each id's values; the disagreements, widest spread first.
  const merged = (await download(page, () => page.getByTestId('export-merged').click()))
    .toString()
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  assert.deepEqual(merged[0], ['id', 'label_merged', 'status', 'ada', 'numeric_review_b.csv', 'numeric_review_c.csv']);
  for (const [id, label, status, ...votes] of merged.slice(1)) {
    const xs = votes
      .filter(Boolean)
      .map(Number)
      .sort((a, b) => a - b);
    const h = xs.length >> 1;
    assert.equal(Number(label), xs.length % 2 ? xs[h] : (xs[h - 1] + xs[h]) / 2, id);
    assert.equal(status, xs.length === 1 ? 'single' : xs[0] === xs.at(-1) ? 'agreed' : 'median', id);
  }
  const differ = merged.slice(1).filter((r) => r[2] === 'median');
  assert.equal(Number(await page.getByTestId('differ').textContent()), differ.length);
  await page.getByRole('button', { name: 'Review the disagreements' }).click();
  await page.waitForFunction(
    (n) =>
      new RegExp(`of ${n} reviewed`).test(document.querySelector('[data-testid=review-progress]')?.textContent ?? ''),
    differ.length,
  );
  assert.match(await page.getByTestId('votes').textContent(), /median: [\d.]+ \(spread [\d.]+\)/);
  s.assertNoErrors();
  await s.context.close();
});

test('a confusion cell becomes a queue; metrics on reviewed labels equal loupe eval on the corrected file', async () => {
  const s = await openPage(browser, '?data=demo/seattle-weather.csv&view=evaluate');
  const { page } = s;
  await page.locator('[data-chart=confusion-matrix] g.cell').first().waitFor({ timeout: 60000 });
  await page
    .locator('[data-chart=confusion-matrix] g.cell')
    .nth(0 * 5 + 4)
    .click(); // given drizzle, predicted sun
  const count = Number(await page.getByTestId('rows-panel-count').textContent());
  await page.getByTestId('review-rows').click();
  await page.getByLabel('Reviewer name').fill('ada');
  await page.getByRole('button', { name: 'Start reviewing' }).click();
  await page.getByTestId('review-item').waitFor({ timeout: 60000 });
  assert.match(await page.getByTestId('review-progress').textContent(), new RegExp(`0 of ${count} reviewed`));
  assert.equal(await page.getByTestId('given').textContent(), 'drizzle');
  await decide(page, ['5', '5', 'a', 'f']);

  // Only the relabelled ones.
  await page.getByTestId('status-filter').selectOption('relabel');
  await page.waitForFunction(() =>
    /relabel/.test(document.querySelector('[data-testid=item-decision]')?.textContent ?? ''),
  );
  const first = await row(page);
  await page.keyboard.press('j');
  await waitRowChange(page, first);
  assert.match(await page.getByTestId('item-decision').textContent(), /relabel → sun/);
  const second = await row(page);
  await page.keyboard.press('j');
  await page.waitForTimeout(200);
  assert.equal(await row(page), second, 'no third relabelled item to go to');

  await page.getByText('Export', { exact: true }).click();
  const corrected = await download(page, () => page.getByTestId('export-corrected').click());
  const dir = mkdtempSync(path.join(tmpdir(), 'loupe-e2e-'));
  writeFileSync(path.join(dir, 'corrected.csv'), corrected);
  const cli = JSON.parse(
    execFileSync(
      process.execPath,
      ['bin/loupe.mjs', 'eval', path.join(dir, 'corrected.csv'), '--label', 'label_reviewed', '--json'],
      { encoding: 'utf8' },
    ),
  );

  await page.locator('button.tab', { hasText: 'Evaluate' }).click();
  await page.getByTestId('labels-select').selectOption('both');
  await page.getByTestId('review-summary').waitFor();
  const summary = (await page.getByTestId('review-summary').textContent()).replace(/\s+/g, ' ');
  assert.match(
    summary,
    /Reviewed 3 rows \(accepted or relabelled\), 2 relabelled\. Of 3 reviewed rows the model got “wrong”, 2 had a wrong label \(in 2 the model's prediction was the right label\)/,
  );
  const reviewed = Number(await page.locator('[data-metric=accuracy] [data-reviewed]').getAttribute('data-reviewed'));
  assert.equal(reviewed, cli.overall.accuracy);
  await page.getByTestId('labels-select').selectOption('reviewed');
  await page.waitForFunction(
    (v) => Number(document.querySelector('[data-metric=macro_f1] [data-value]')?.getAttribute('data-value')) === v,
    cli.overall.macro_f1,
  );
  s.assertNoErrors();
  await s.context.close();
});

test('storage full: the reviewer is warned, decisions stay in the page and export', async () => {
  const s = await openPage(browser);
  await s.context.addInitScript(() => {
    IDBObjectStore.prototype.put = function () {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  const page = await s.context.newPage();
  await page.goto(
    new URL('?data=demo/seattle-weather.csv&view=review', process.env.LOUPE_URL ?? 'http://127.0.0.1:4173/').href,
  );
  await page.getByLabel('Reviewer name').fill('cy');
  await page.getByRole('button', { name: 'Start reviewing' }).click();
  await page.getByTestId('review-item').waitFor({ timeout: 60000 });
  await decide(page, ['a', '2']);
  assert.match(
    await page.getByTestId('storage-warning').textContent(),
    /could not be stored \(.*quota.*\).*export your decisions/i,
  );
  assert.match(await page.getByTestId('review-progress').textContent(), /^2 of \d+ reviewed/);
  // Changing the queue keeps them.
  await page.getByTestId('queue-source').selectOption('all');
  await page.waitForFunction(() =>
    /^2 of 1,?461 reviewed/.test(document.querySelector('[data-testid=review-progress]')?.textContent ?? ''),
  );
  const json = JSON.parse(
    (
      await download(page, () => page.getByTestId('storage-warning').getByRole('button', { name: 'JSON' }).click())
    ).toString(),
  );
  assert.deepEqual(
    json.map((d) => d.decision),
    ['accept', 'relabel'],
  );
  await s.context.close();
});

test('pixel columns show as a crisp image that zooms', async () => {
  const s = await openPage(browser);
  const { page } = s;
  const lines = ['id,' + Array.from({ length: 64 }, (_, i) => `pixel${i}`).join(',') + ',label,prob_a,prob_b'];
  for (let r = 0; r < 40; r++)
    lines.push(
      `${r},` +
        Array.from({ length: 64 }, (_, i) => ((i + r) % 8) * 32).join(',') +
        `,${r % 2 ? 'a' : 'b'},${r % 3 ? 0.9 : 0.2},${r % 3 ? 0.1 : 0.8}`,
    );
  await page
    .locator('[data-testid=file-input]')
    .first()
    .setInputFiles({ name: 'digits.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n') + '\n') });
  await page.locator('button.tab', { hasText: 'Review' }).click();
  await page.getByLabel('Reviewer name').fill('di');
  await page.getByRole('button', { name: 'Start reviewing' }).click();
  await page.getByTestId('review-item').waitFor({ timeout: 60000 });
  const canvas = page.getByTestId('review-image').locator('canvas');
  assert.equal(await canvas.getAttribute('width'), '8');
  const w0 = (await canvas.boundingBox()).width;
  await page.getByRole('button', { name: 'Zoom in' }).click();
  assert.ok((await canvas.boundingBox()).width > w0 * 1.4);
  assert.equal(await canvas.evaluate((c) => getComputedStyle(c).imageRendering), 'pixelated');
  s.assertNoErrors();
  await s.context.close();
});

test('the keyboard never goes dead: C focuses the comment box, Esc closes it from anywhere; the own class digit says why nothing happened', async () => {
  const s = await openPage(browser, '?data=demo/seattle-weather.csv&view=review');
  const { page } = s;
  await page.getByLabel('Reviewer name').fill('ada');
  await page.getByRole('button', { name: 'Start reviewing' }).click();
  await page.getByTestId('review-item').waitFor({ timeout: 60000 });
  const first = await row(page);
  // p(given label) is always shown, and is the label quality.
  const given = await page.getByTestId('given').textContent();
  const probs = page.getByTestId('item-probs');
  await probs.getByText(`${given} (given)`).waitFor();
  assert.equal(
    await probs.locator('.prob.given .num').textContent(),
    await page.getByTestId('label-quality').textContent(),
  );

  await page.keyboard.press('c');
  await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Comment');
  await page.keyboard.type('odd one');
  assert.equal(await page.getByLabel('Comment').inputValue(), 'odd one');
  await page.keyboard.press('Escape');
  await page.getByLabel('Comment').waitFor({ state: 'detached' });
  // Focus moved away from the box: Esc still closes it, and a typed key goes back into it.
  await page.keyboard.press('c');
  await page.getByLabel('Comment').waitFor();
  await page.locator('h1').click();
  await page.keyboard.type('x');
  assert.equal(await page.getByLabel('Comment').inputValue(), 'x');
  await page.locator('h1').click();
  await page.keyboard.press('Escape');
  await page.getByLabel('Comment').waitFor({ state: 'detached' });
  assert.equal(await row(page), first, 'closing the box decided nothing');

  // The digit of the item's own class: nothing is decided, and the page says why.
  const classes = (await page.locator('aside.keys button:has(kbd)').allTextContents()).filter((t) =>
    /relabel as /.test(t),
  );
  const own = classes.findIndex((t) => t.trim().endsWith(`relabel as ${given}`));
  assert.ok(own >= 0);
  await page.keyboard.press(String(own + 1));
  assert.match(
    await page.getByTestId('review-notice').textContent(),
    new RegExp(`${given} is already the given label`),
  );
  assert.equal(await row(page), first);
  // And the keys still work.
  await page.keyboard.press('a');
  await page.waitForFunction(
    (r) => Number(document.querySelector('[data-testid=review-item]')?.getAttribute('data-row')) !== r,
    first,
  );
  s.assertNoErrors();
  await s.context.close();
});

test('near-duplicate and outlier queues are loupe datalab’s, near duplicates shown side by side', async () => {
  const s = await openPage(browser, '?data=demo/seattle-weather.csv&view=review');
  const { page } = s;
  await page.getByLabel('Reviewer name').fill('dee');
  await page.getByRole('button', { name: 'Start reviewing' }).click();
  await page.getByTestId('review-item').waitFor({ timeout: 60000 });
  const cli = JSON.parse(
    execFileSync(
      process.execPath,
      ['bin/loupe.mjs', 'datalab', 'public/demo/seattle-weather.csv', '--json', '--issues', 'near_duplicate,outlier'],
      { encoding: 'utf8', maxBuffer: 1 << 26 },
    ),
  ).issues;
  await page.getByTestId('queue-source').selectOption('near_duplicate');
  const total = cli.near_duplicate.ids.length;
  await page.waitForFunction(
    (n) =>
      new RegExp(`^0 of ${n.toLocaleString('en-US')} reviewed`).test(
        document.querySelector('[data-testid=review-progress]')?.textContent ?? '',
      ),
    total,
  );
  assert.match(
    await page.getByTestId('search-note').innerText(),
    /^Exact neighbours of the numeric features, k = 10, cosine distance, as cleanlab Datalab\.$/,
  );
  // First the rows with a near duplicate labelled differently, the most similar first.
  const firstId = cli.near_duplicate.conflicting_labels[0];
  assert.match(await page.getByTestId('review-item').locator('header').innerText(), new RegExp(`id ${firstId} `));
  const twins = page.getByTestId('near-duplicates');
  await twins.waitFor();
  const set = cli.near_duplicate.sets.find((x) => x[0] === firstId).slice(1);
  assert.equal(await twins.locator('thead th').count(), 2 + Math.min(4, set.length));
  // Their labels differ, and the difference is marked.
  assert.ok((await twins.locator('td.differs').count()) >= 1);
  await page.screenshot({ path: 'test-results/review-near-duplicates.png' });

  await page.getByTestId('queue-source').selectOption('outlier');
  await page.waitForFunction(
    (n) =>
      new RegExp(`^0 of ${n} reviewed`).test(
        document.querySelector('[data-testid=review-progress]')?.textContent ?? '',
      ),
    cli.outlier.ids.length,
  );
  assert.match(
    await page.getByTestId('review-item').locator('header').innerText(),
    new RegExp(`id ${cli.outlier.ids[0]} `),
  );
  // Without probabilities the queue still works: the model's suggestion is its prediction, no quality score.
  await page.getByTestId('role-probs').selectOption({ label: 'None' });
  await page.waitForFunction(() => document.querySelector('[data-testid=label-quality]')?.textContent === '—');
  assert.match(
    await page.getByTestId('review-item').locator('header').innerText(),
    new RegExp(`id ${cli.outlier.ids[0]} `),
  );
  await s.context.close();
});

test('labels and an embedding without a model: the review starts on near duplicates, and says there is no model', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'loupe-nomodel-'));
  const file = path.join(dir, 'labels-only.csv');
  const lines = ['id,label,emb_0,emb_1,emb_2'];
  for (let i = 0; i < 60; i++)
    lines.push(`r${i},${i % 3 === 0 ? 'cat' : 'dog'},${(i % 7) / 7},${(i % 5) / 5},${i === 10 ? 9 : (i % 3) / 3}`);
  lines.push('dup1,cat,0.1,0.2,0.3', 'dup2,dog,0.1,0.2,0.3');
  writeFileSync(file, lines.join('\n') + '\n');
  const s = await openPage(browser, '');
  const { page } = s;
  await page.locator('[data-testid=file-input]').first().setInputFiles([file]);
  await page.locator('nav[aria-label=Views] button', { hasText: 'Review' }).click();
  await page.getByLabel('Reviewer name').fill('nia');
  await page.getByRole('button', { name: 'Start reviewing' }).click();
  await page.getByTestId('review-item').waitFor({ timeout: 60000 });
  assert.equal(await page.getByTestId('queue-source').inputValue(), 'near_duplicate');
  assert.equal(await page.getByTestId('queue-source').locator('option[value=issues]').isDisabled(), true);
  // The pair labelled differently, each beside the other; no model's suggestion.
  assert.match(await page.getByTestId('review-item').locator('header').innerText(), /id dup1 /);
  await page.getByTestId('near-duplicates').waitFor();
  assert.ok((await page.getByTestId('near-duplicates').locator('td.differs').count()) >= 1);
  assert.match(await page.getByTestId('no-model').innerText(), /No model/);
  await page.keyboard.press('a');
  await page.waitForFunction(() =>
    /id dup2 /.test(document.querySelector('[data-testid=review-item] header')?.textContent ?? ''),
  );
  await page.screenshot({ path: 'test-results/review-no-model.png' });
  await s.context.close();
});
