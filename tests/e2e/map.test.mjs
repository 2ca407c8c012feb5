import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openFiles, openPage } from './helpers.mjs';

let browser;
before(async () => (browser = await launch()));
after(async () => browser?.close());

/** The canvas' box on the page. */
const canvasBox = async (page) => page.getByTestId('map-canvas').boundingBox();

/** Moves the pointer over a grid of places on the map until the hover card shows a row. */
async function hoverUntilCard(page) {
  const box = await canvasBox(page);
  for (let i = 0; i < 60; i++) {
    await page.mouse.move(
      box.x + box.width * (0.2 + (i % 10) * 0.06),
      box.y + box.height * (0.2 + Math.floor(i / 10) * 0.1),
    );
    if (await page.getByTestId('map-tip').isVisible()) return;
  }
  assert.fail('hovering the points shows a row');
}

test('the map: drawn with WebGL, coloured, hover shows the row, a box becomes a slice every view and the link follow', async () => {
  const s = await openPage(browser, '?data=demo/seattle-weather.csv&view=map');
  const { page } = s;
  const canvas = page.getByTestId('map-canvas');
  await canvas.waitFor({ timeout: 60000 });
  assert.equal(await canvas.getAttribute('data-renderer'), 'webgl');
  assert.match(
    await page.getByTestId('map-source').innerText(),
    /PCA of the numeric features, standardised \(4 dimensions\) · the axes hold \d+% and \d+% of the variance/,
  );
  // Coloured by label: the legend names the classes.
  await page.getByTestId('map-legend').waitFor();
  assert.match(await page.getByTestId('map-legend').innerText(), /drizzle[\s\S]*sun/);
  await page.screenshot({ path: 'test-results/map.png' });

  // Hover: the nearest row under the pointer, with its values.
  await hoverUntilCard(page);
  await page.getByTestId('map-tip').locator('dl').waitFor();
  assert.match(await page.getByTestId('map-tip').innerText(), /row [\d,]+\s+id\s+\d+\s+label\s+\w+/);

  // Coloured by a numeric column: a ramp from its minimum to its maximum.
  await page.getByTestId('map-colour').selectOption('col:temp_max');
  await page.waitForFunction(() =>
    /^-1\.6\s+35\.6$/.test(document.querySelector('[data-testid=map-legend]')?.textContent?.trim() ?? ''),
  );
  await page.getByTestId('map-colour').selectOption('label');

  // A box over the middle of the map selects rows; they become the active slice.
  const box = await canvasBox(page);
  await page.getByTestId('map-select-mode').click();
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.8, { steps: 5 });
  await page.mouse.up();
  const selection = page.getByTestId('map-selection');
  await selection.waitFor();
  const n = Number((await selection.locator('strong').innerText()).replaceAll(',', ''));
  assert.ok(n > 10 && n < 1461, `the box holds some rows (${n})`);
  // A lasso drawn along the same rectangle's corners selects the same rows.
  await selection.getByRole('button', { name: 'Clear' }).click();
  await page.getByTestId('map-lasso-mode').click();
  const corners = [
    [0.2, 0.2],
    [0.55, 0.2],
    [0.55, 0.8],
    [0.2, 0.8],
  ];
  await page.mouse.move(box.x + box.width * corners[0][0], box.y + box.height * corners[0][1]);
  await page.mouse.down();
  for (const [cx, cy] of corners.slice(1))
    await page.mouse.move(box.x + box.width * cx, box.y + box.height * cy, { steps: 4 });
  await page.mouse.up();
  await selection.waitFor();
  assert.equal(Number((await selection.locator('strong').innerText()).replaceAll(',', '')), n);
  await selection.getByRole('button', { name: 'Make it the active slice' }).click();
  const chip = page.getByTestId('slice-chip');
  await chip.waitFor();
  await page.waitForFunction(
    (n) =>
      document.querySelector('[data-testid=slice-chip]')?.textContent?.includes(`${n.toLocaleString('en-US')} rows`),
    n,
  );
  assert.match(await chip.innerText(), new RegExp(`Map selection \\(${n} rows\\)`));
  await page.screenshot({ path: 'test-results/map-slice.png' });

  // Evaluate follows: the metrics are of those rows.
  await page.getByRole('button', { name: 'Evaluate', exact: true }).click();
  await page.waitForFunction(
    (n) => new RegExp(`\\b${n.toLocaleString('en-US')} rows`).test(document.querySelector('main')?.textContent ?? ''),
    n,
  );

  // UMAP of the same rows: progress, then the map redrawn (the slice still in colour).
  await page.getByRole('button', { name: 'Map', exact: true }).click();
  await page.getByTestId('map-method').selectOption('umap');
  await page.waitForFunction(
    () => /^UMAP of the numeric features/.test(document.querySelector('[data-testid=map-source]')?.textContent ?? ''),
    null,
    { timeout: 60000 },
  );
  await page.screenshot({ path: 'test-results/map-umap.png' });

  // The link carries the slice; opened afresh it is the same rows.
  const url = page.url();
  assert.ok(url.length < 8000, `the link stays short (${url.length} characters)`);
  const again = await openPage(browser, url.slice(url.indexOf('?')));
  await again.page.getByTestId('slice-chip').waitFor({ timeout: 60000 });
  await again.page.waitForFunction(
    (n) =>
      document.querySelector('[data-testid=slice-chip]')?.textContent?.includes(`${n.toLocaleString('en-US')} rows`),
    n,
  );
  s.assertSameOrigin();
  s.assertNoErrors();
  again.assertNoErrors();
  await again.context.close();
  await s.context.close();
});

test('an embedding column pair is detected and mapped; a tampered row set in a link is refused', async () => {
  const s = await openPage(browser);
  const { page } = s;
  await openFiles(page, 'embeddings.csv');
  await page.getByRole('button', { name: 'Map', exact: true }).click();
  await page.getByTestId('map-source').waitFor({ timeout: 60000 });
  assert.match(await page.getByTestId('map-source').innerText(), /PCA of the embedding emb_0… \(8 dimensions\)/);
  // The left rail names it and can change it: without it the map is of the numeric features.
  assert.match(await page.getByTestId('role-embedding').locator('option:checked').innerText(), /Automatic: emb_/);
  assert.equal(await page.getByTestId('embedding-size').innerText(), '8 dimensions');
  await page.getByTestId('role-embedding').selectOption({ label: 'None' });
  await page.waitForFunction(() =>
    /numeric features/.test(document.querySelector('[data-testid=map-source]')?.textContent ?? ''),
  );
  assert.match(new URL(page.url()).search, /embedding=-/);
  await s.context.close();

  const bad = encodeURIComponent(
    JSON.stringify({ name: 'x', where: { kind: 'rows', rows: "1' OR 1=1 --", count: 1 } }),
  );
  const t = await openPage(browser, `?data=demo/seattle-weather.csv&view=map&slice=${bad}`);
  await t.page.getByTestId('map-canvas').waitFor({ timeout: 60000 });
  assert.equal(await t.page.getByTestId('slice-chip').count(), 0, 'the malformed slice is dropped');
  t.assertNoErrors();
  await t.context.close();
});

test('a model run adds its embedding output, and the map is of it', async () => {
  const s = await openPage(browser, '?data=demo/seattle-weather.csv&view=map');
  const { page } = s;
  await page.getByTestId('map-source').waitFor({ timeout: 60000 });
  await page.getByTestId('demo-model').click();
  await page.getByTestId('model-panel').waitFor({ timeout: 60000 });
  await page.getByTestId('run-model').click();
  await page.getByTestId('model-result').waitFor({ timeout: 120000 });
  await page.waitForFunction(() =>
    /PCA of the embedding emb__weather_model \(5 dimensions\)/.test(
      document.querySelector('[data-testid=map-source]')?.textContent ?? '',
    ),
  );
  s.assertNoErrors();
  await s.context.close();
});

test('labels, an embedding and images, no model: the map is coloured by label, and hovering shows the row’s image', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  // A 1×1 PNG per row (as a data URL) and a 3-wide embedding.
  const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
  const lines = ['id,label,emb_0,emb_1,emb_2,image'];
  for (let i = 0; i < 200; i++)
    lines.push(
      `${i},${i % 2 ? 'cat' : 'dog'},${(i % 10) / 10},${(i % 7) / 7},${(i % 13) / 13},"data:image/png;base64,${png}"`,
    );
  const dir = mkdtempSync(path.join(tmpdir(), 'loupe-map-images-'));
  const file = path.join(dir, 'images.csv');
  writeFileSync(file, lines.join('\n') + '\n');
  const s = await openPage(browser, '');
  const { page } = s;
  await page.locator('[data-testid=file-input]').first().setInputFiles([file]);
  await page.locator('nav[aria-label=Views] button', { hasText: 'Map' }).click();
  await page.getByTestId('map-canvas').waitFor({ timeout: 60000 });
  await page.getByTestId('map-legend').waitFor();
  assert.match(await page.getByTestId('map-legend').innerText(), /cat[\s\S]*dog/);
  await hoverUntilCard(page);
  const thumb = page.getByTestId('map-tip').getByTestId('thumbnail').locator('img');
  await thumb.waitFor();
  assert.match(await thumb.getAttribute('src'), /^data:image\/png;base64,/);
  assert.ok(await thumb.evaluate((img) => img.complete && img.naturalWidth === 1));
  await page.screenshot({ path: 'test-results/map-hover-image.png' });
  await s.context.close();
});
