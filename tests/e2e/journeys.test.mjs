import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { launch, openPage, openFiles, pickGeneratedFile, shownRowCount } from './helpers.mjs';

let browser;
before(async () => (browser = await launch()));
after(async () => browser?.close());

test('start page offers the three ways in and says data stays local', async () => {
  const s = await openPage(browser);
  const { page } = s;
  await page.getByRole('button', { name: 'Open a file…' }).waitFor();
  assert.ok(await page.getByRole('button', { name: 'Try the demo' }).isVisible());
  assert.ok(await page.getByLabel('Open a URL').isVisible());
  assert.match(await page.locator('.privacy').textContent(), /never leaves this machine/);
  await page.screenshot({ path: 'test-results/start.png' });
  s.assertSameOrigin();
  s.assertNoErrors();
  await s.context.close();
});

test('the demo opens with its roles detected; a role change reaches the URL and survives a reload', async () => {
  const s = await openPage(browser);
  const { page } = s;
  await page.getByRole('button', { name: 'Try the demo' }).click();
  assert.equal(await shownRowCount(page, 'seattle-weather.csv'), 1461);
  await page.locator('[data-testid=column-card]').first().waitFor();
  assert.equal(await page.locator('[data-testid=summary-rows]').textContent(), '1,461');
  assert.match(await page.getByTestId('role-label').locator('option:checked').textContent(), /Automatic: label/);
  assert.match(await page.locator('[data-role=probs]').textContent(), /5 classes: drizzle, fog, rain, snow, sun/);
  await page.getByText('2012-01-01').first().waitFor();
  // The README's picture: every card's histogram drawn, none still counting.
  await page.waitForFunction(() => !document.querySelector('[data-testid=histogram-counting]'));
  mkdirSync('docs', { recursive: true });
  await page.screenshot({ path: 'docs/screenshot.png' });

  await page.getByTestId('role-label').selectOption('season');
  await page.waitForFunction(() => location.search.includes('label=season'));
  const url = page.url();
  assert.match(url, /data=demo%2Fseattle-weather.csv/);
  await page.goto(url);
  await page.locator('.datasets li').waitFor();
  assert.equal(await page.getByTestId('role-label').inputValue(), 'season');
  s.assertSameOrigin();
  s.assertNoErrors();
  await s.context.close();
});

const FORMATS = [
  'iris.tsv',
  'iris.csv.gz',
  'iris.parquet',
  'iris.arrow',
  'iris.arrows',
  'iris.json',
  'iris.json.gz',
  'iris.ndjson',
  'iris-parquet-named.csv',
];

test('every format opens through the file input, each as its own dataset', async () => {
  const s = await openPage(browser);
  const { page } = s;
  await openFiles(page, 'iris.csv');
  assert.equal(await shownRowCount(page, 'iris.csv'), 150);
  for (const f of FORMATS) {
    await openFiles(page, `formats/${f}`);
    assert.equal(await shownRowCount(page, f), 150, f);
    assert.match(await page.getByTestId('role-label').locator('option:checked').textContent(), /Automatic: label/, f);
    assert.match(await page.getByTestId('role-pred').locator('option:checked').textContent(), /Automatic: pred/, f);
  }
  assert.equal(await page.locator('.datasets li').count(), FORMATS.length + 1);
  s.assertSameOrigin();
  s.assertNoErrors();
  await s.context.close();
});

test('a file dropped anywhere on the page opens', async () => {
  const s = await openPage(browser);
  const { page } = s;
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['id,label,pred\n1,a,a\n2,b,a\n'], 'dropped.csv', { type: 'text/csv' }));
    for (const type of ['dragenter', 'dragover', 'drop'])
      window.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  assert.equal(await shownRowCount(page, 'dropped.csv'), 2);
  s.assertNoErrors();
  await s.context.close();
});

const BAD = [
  ['empty.csv', 'empty-file', /empty\.csv is empty/],
  ['garbage.bin', 'unsupported-format', /not in a format Loupe reads/],
  ['malformed.csv', 'malformed-csv', /line 32: malformed CSV\. Expected 3 fields/],
  ['corrupt.parquet', 'corrupt-parquet', /not a readable Parquet file/],
  ['zeroed.parquet', 'corrupt-parquet', /not a readable Parquet file/],
  ['bomb.csv.gz', 'too-large', /expands to .* more than this browser tab can hold/],
];

test('files that cannot be opened get their own message; open datasets stay open', async () => {
  const s = await openPage(browser);
  const { page } = s;
  await openFiles(page, 'iris.csv');
  await shownRowCount(page, 'iris.csv');
  for (const [file, code, text] of BAD) {
    await openFiles(page, `bad/${file}`);
    // The card of this file: an earlier file's card of the same kind stays open beside it.
    const card = page.locator(`[data-testid=file-error][data-code=${code}]`, { hasText: `Could not open ${file}` });
    await card.waitFor({ timeout: 45000 });
    assert.match(await card.textContent(), text, file);
  }
  assert.equal(await page.locator('.datasets li').count(), 1);
  assert.equal(await shownRowCount(page, 'iris.csv'), 150);
  s.assertSameOrigin();
  s.assertNoErrors();
  await s.context.close();
});

const ISSUES = [
  ['no_label.csv', 'no-label', /No label column found/],
  ['label_null.csv', 'label-all-null', /empty in every row/],
  ['prob_range.csv', 'prob-out-of-range', /row 7, column prob_setosa: 1\.7 is not a probability/],
  ['prob_nan.csv', 'prob-out-of-range', /row 10, column prob_versicolor/],
  ['prob_sum.csv', 'prob-sum', /4 rows of probabilities do not sum to 1/],
  ['prob_unused.csv', 'prob-class-unused', /"unicorn"/],
  ['pred_unknown.csv', 'pred-unknown-class', /"setosaa"/],
];

test('data that does not fit its roles is explained next to the role', async () => {
  const s = await openPage(browser);
  const { page } = s;
  for (const [file, code, text] of ISSUES) {
    await openFiles(page, `bad/${file}`);
    await shownRowCount(page, file);
    const issue = page.locator(`[data-testid=role-issue][data-code=${code}]`);
    await issue.waitFor({ timeout: 15000 });
    assert.match(await issue.textContent(), text, file);
  }
  // The offered fix works.
  await page.locator('.datasets li', { hasText: 'prob_sum.csv' }).getByRole('button').first().click();
  await page.getByRole('button', { name: 'Renormalise rows to sum to 1' }).click();
  await page.locator('[data-testid=role-issue][data-code=prob-sum]').waitFor({ state: 'detached' });
  // Picking the right column clears the no-label error.
  await page.locator('.datasets li', { hasText: 'no_label.csv' }).getByRole('button').first().click();
  await page.getByTestId('role-label').selectOption('species');
  await page.locator('[data-testid=role-issue][data-code=no-label]').waitFor({ state: 'detached' });
  s.assertSameOrigin();
  s.assertNoErrors();
  await s.context.close();
});

test('markup in cells is shown as text and never runs; odd column names work', async () => {
  const s = await openPage(browser);
  const { page } = s;
  await openFiles(page, 'bad/hostile.csv');
  await shownRowCount(page, 'hostile.csv');
  await page.getByText('<script>window.__pwned=1</script>').first().waitFor();
  assert.ok(await page.getByText('<b>bold</b>').first().isVisible());
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.locator('[data-column="we\\"ird name"]').count(), 1);
  await page.getByTestId('role-label').selectOption('naïve ñame');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('label') === 'naïve ñame');
  s.assertSameOrigin();
  s.assertNoErrors();
  await s.context.close();
});

test('a URL the browser may not read explains CORS', async () => {
  const s = await openPage(browser);
  const { page } = s;
  // A server on another origin that sends no CORS headers.
  const { createServer } = await import('node:http');
  const other = createServer((_, res) => res.end('a,b\n1,2\n')).listen(0, '127.0.0.1');
  await new Promise((r) => other.once('listening', r));
  const url = `http://127.0.0.1:${other.address().port}/data.csv`;
  await page.getByLabel('Open a URL').fill(url);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  const card = page.locator('[data-testid=file-error][data-code=url-blocked]');
  await card.waitFor({ timeout: 15000 });
  assert.match(await card.textContent(), /Access-Control-Allow-Origin/);
  other.close();
  s.assertNoErrors();
  await s.context.close();
});

test('a long load shows progress and can be cancelled; the app stays usable', async () => {
  const s = await openPage(browser);
  const { page } = s;
  await pickGeneratedFile(page, 'big.csv', () => {
    const line = (i) => `${i},${i % 97},${(i * 7) % 13},${['a', 'b', 'c'][i % 3]}\n`;
    const parts = ['id,x,y,label\n'];
    for (let i = 0; i < 3_000_000; i++) parts.push(line(i));
    return parts;
  });
  const progress = page.getByTestId('load-progress');
  await progress.waitFor();
  await progress.getByRole('button', { name: 'Cancel' }).click();
  await progress.waitFor({ state: 'detached', timeout: 20000 });
  assert.equal(await page.locator('[data-testid=file-error]').count(), 0);
  await openFiles(page, 'iris.csv');
  assert.equal(await shownRowCount(page, 'iris.csv'), 150);
  assert.equal(await page.locator('.datasets li', { hasText: 'big.csv' }).count(), 0);
  s.assertNoErrors();
  await s.context.close();
});

test('without cross-origin isolation headers the app still works', async () => {
  // A plain static server for dist/, sending no COOP/COEP headers.
  const { createServer } = await import('node:http');
  const { readFile } = await import('node:fs/promises');
  const types = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.wasm': 'application/wasm',
    '.css': 'text/css',
    '.csv': 'text/csv',
  };
  const plain = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname.replace(/\/$/, '/index.html');
    try {
      const body = await readFile(new URL(`../../dist${decodeURIComponent(path)}`, import.meta.url));
      res.writeHead(200, { 'content-type': types[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  }).listen(0, '127.0.0.1');
  await new Promise((r) => plain.once('listening', r));
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // Under a sub-path, as on a static host.
  await page.goto(`http://127.0.0.1:${plain.address().port}/index.html?data=demo/seattle-weather.csv`);
  await page.locator('.datasets li [data-testid=row-count]').waitFor({ timeout: 30000 });
  assert.equal(await page.locator('.datasets li [data-testid=row-count]').textContent(), '1,461');
  assert.deepEqual(errors, []);
  await context.close();
  plain.close();
});

test('images on other origins are not fetched until the user allows it for the dataset', async () => {
  const { createServer } = await import('node:http');
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  );
  let hits = 0;
  const other = createServer((_, res) => {
    hits++;
    res.writeHead(200, { 'content-type': 'image/png', 'cross-origin-resource-policy': 'cross-origin' });
    res.end(png);
  }).listen(0, '127.0.0.1');
  await new Promise((r) => other.once('listening', r));
  const remote = `http://127.0.0.1:${other.address().port}`;
  const s = await openPage(browser);
  const { page } = s;
  await pickGeneratedFile(
    page,
    'images.csv',
    ([remote, png]) => [
      [
        'id,label,pred,image',
        `1,a,a,"data:image/png;base64,${png}"`,
        `2,b,a,${remote}/two.png`,
        `3,a,b,${remote}/three.png`,
      ].join('\n'),
    ],
    [remote, png.toString('base64')],
  );
  await shownRowCount(page, 'images.csv');
  const notice = page.getByTestId('remote-images');
  await notice.waitFor();
  assert.match(await notice.textContent(), new RegExp(remote.replaceAll('.', '\\.')));
  await page.locator('img[src^="data:image/png"]').waitFor();
  await page.waitForTimeout(500);
  assert.equal(hits, 0, 'a cross-origin image was fetched without permission');
  s.assertSameOrigin();
  await notice.getByRole('button', { name: 'Load images from other sites for this dataset' }).click();
  await page.locator(`img[src="${remote}/two.png"]`).waitFor();
  await page.waitForFunction(() => [...document.images].every((i) => i.complete));
  assert.ok(hits >= 2);
  s.assertNoErrors();
  await s.context.close();
  other.close();
});
