import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixture, launch, openPage, pickGeneratedFile } from './helpers.mjs';

/**
 * The layout check: at 1280×720 and 1920×1080, on every tab (and after the actions that fill a
 * tab: Find slices, Compare, Fairness), no panel's content spills out of it or is clipped unless the
 * panel is a deliberate scroller, nothing that has content collapses to zero height, and the page
 * never scrolls sideways. Screenshots go to test-results/layout-*.png.
 */
let browser;
before(async () => (browser = await launch()));
after(async () => browser?.close());

/** Runs in the page: every box that breaks a rule, as "selector: what". */
function layoutProblems() {
  const out = [];
  const name = (el) => {
    const label =
      el.getAttribute('aria-label') ||
      el.getAttribute('data-testid') ||
      el.querySelector('h1,h2,h3,caption,legend')?.textContent?.trim().slice(0, 40) ||
      '';
    return `${el.tagName.toLowerCase()}${
      el.className && typeof el.className === 'string'
        ? '.' +
          el.className
            .trim()
            .split(/\s+/)
            .filter((c) => !c.startsWith('svelte-'))
            .join('.')
        : ''
    }${label ? ` “${label}”` : ''}`;
  };
  if (document.documentElement.scrollWidth > innerWidth + 1)
    out.push(`page: scrolls sideways (${document.documentElement.scrollWidth} > ${innerWidth})`);
  const boxes = document.querySelectorAll(
    'main section, main article, main form, main .panel, main .card, main .grid > *, aside section, aside .panel, [role=dialog]',
  );
  for (const el of boxes) {
    if (!el.getClientRects().length) continue;
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden' || cs.display === 'contents') continue;
    const r = el.getBoundingClientRect();
    const hasContent = el.textContent.trim().length > 0 || el.querySelector('svg,canvas,img,table');
    if (hasContent && (r.height < 4 || r.width < 4)) {
      out.push(`${name(el)}: has content but is ${Math.round(r.width)}×${Math.round(r.height)}`);
      continue;
    }
    for (const [axis, over, client, scroll] of [
      ['x', cs.overflowX, el.clientWidth, el.scrollWidth],
      ['y', cs.overflowY, el.clientHeight, el.scrollHeight],
    ]) {
      if (scroll <= client + 2) continue;
      if (over === 'visible') out.push(`${name(el)}: content spills out (${axis}: ${scroll} > ${client})`);
      else if (over === 'hidden' || over === 'clip')
        out.push(`${name(el)}: content cut off (${axis}: ${scroll} > ${client})`);
    }
  }
  // A zoomable chart starts fitted: every node of the error tree inside its viewport.
  for (const svg of document.querySelectorAll('svg.tree')) {
    const box = svg.getBoundingClientRect();
    for (const n of svg.querySelectorAll('.node rect')) {
      const r = n.getBoundingClientRect();
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) {
        out.push(
          `error tree: a node lies outside the view (${Math.round(r.left)},${Math.round(r.top)} in ${Math.round(box.left)},${Math.round(box.top)} ${Math.round(box.width)}×${Math.round(box.height)})`,
        );
        break;
      }
    }
  }
  return out;
}

async function check(page, shot) {
  await page.waitForTimeout(400); // transitions and charts settle
  mkdirSync('test-results', { recursive: true });
  await page.screenshot({ path: `test-results/layout-${shot}.png` });
  const problems = await page.evaluate(layoutProblems);
  assert.deepEqual(problems, [], `${shot}: ${problems.join('; ')}`);
}

const tab = (page, name) => page.locator('button.tab', { hasText: name }).click();

for (const [width, height] of [
  [1280, 720],
  [1920, 1080],
]) {
  test(`every tab of the demo holds together at ${width}×${height}`, async () => {
    const s = await openPage(browser, '?data=demo/seattle-weather.csv');
    const { page } = s;
    await page.setViewportSize({ width, height });
    await page.locator('[data-testid=column-card]').first().waitFor({ timeout: 60000 });
    const at = `${width}x${height}`;
    await check(page, `${at}-data`);

    await tab(page, 'Map');
    await page.getByTestId('map-legend').waitFor({ timeout: 60000 });
    await check(page, `${at}-map`);

    await tab(page, 'Evaluate');
    await page.getByTestId('bootstrap-done').waitFor({ timeout: 60000 });
    await check(page, `${at}-evaluate`);
    // The rows behind a confusion cell, and a model's run panel: dialogs over the view.
    await page.locator('[data-chart=confusion-matrix] g.cell').nth(4).click();
    await page.getByTestId('rows-panel').waitFor();
    await check(page, `${at}-rows-panel`);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Demo model (ONNX)' }).click();
    await page.getByTestId('model-panel').waitFor({ timeout: 60000 });
    await check(page, `${at}-model-panel`);

    await tab(page, 'Slices');
    await page.getByTestId('find-slices').click();
    await page.getByTestId('find-summary').waitFor({ timeout: 60000 });
    await check(page, `${at}-slices`);
    await page.locator('svg.tree').scrollIntoViewIfNeeded();
    await check(page, `${at}-error-tree`);

    await tab(page, 'Review');
    await check(page, `${at}-review-start`);
    await page.getByLabel('Reviewer name').fill('ada');
    await page.getByRole('button', { name: 'Start reviewing' }).click();
    await page.getByTestId('review-item').waitFor({ timeout: 60000 });
    await check(page, `${at}-review`);

    await tab(page, 'Compare');
    await check(page, `${at}-compare`);
    await page.getByRole('tab', { name: 'Fairness' }).click();
    // Multiclass: one class against the rest.
    await page.getByTestId('fair-col').selectOption('season');
    await page.getByTestId('fair-class').selectOption('rain');
    await page.getByTestId('run-fairness').click();
    await page.getByTestId('fairness-summary').waitFor({ timeout: 60000 });
    await check(page, `${at}-fairness`);
    await page.getByRole('tab', { name: 'Drift' }).click();
    await check(page, `${at}-drift`);

    await tab(page, 'Report');
    await check(page, `${at}-report`);
    s.assertSameOrigin();
    s.assertNoErrors();
    await s.context.close();
  });
}

// A binary task with a second model (malignant when p ≥ 0.3): Compare, Fairness and the report filled.
const lines = readFileSync(fixture('cancer.csv'), 'utf8').trim().split('\n');
const head = lines[0].split(',');
const twoModels = path.join(mkdtempSync(path.join(tmpdir(), 'loupe-layout-')), 'cancer-two.csv');
writeFileSync(
  twoModels,
  [
    [...head, 'pred_b'].join(','),
    ...lines
      .slice(1)
      .map((l) => `${l},${Number(l.split(',')[head.indexOf('prob_malignant')]) >= 0.3 ? 'malignant' : 'benign'}`),
  ].join('\n') + '\n',
);

for (const [width, height] of [
  [1280, 720],
  [1920, 1080],
]) {
  test(`a binary task with two models holds together at ${width}×${height}`, async () => {
    const s = await openPage(browser);
    const { page } = s;
    await page.setViewportSize({ width, height });
    await page.locator('[data-testid=file-input]').first().setInputFiles([twoModels]);
    await page.locator('[data-testid=column-card]').first().waitFor({ timeout: 60000 });
    const at = `${width}x${height}-binary`;
    await tab(page, 'Evaluate');
    await page.getByTestId('bootstrap-done').waitFor({ timeout: 60000 });
    await check(page, `${at}-evaluate`);
    await tab(page, 'Compare');
    await page.getByTestId('pred-b').selectOption('pred_b');
    await page.getByTestId('run-compare').click();
    await page.getByTestId('compare-metrics').waitFor({ timeout: 60000 });
    await page.getByRole('button', { name: 'Where do they concentrate?' }).click();
    await page.getByTestId('regression-slices').waitFor({ timeout: 60000 });
    await check(page, `${at}-compare`);
    await page.getByRole('tab', { name: 'Fairness' }).click();
    await page.getByTestId('fair-col').selectOption('size_group');
    await page.getByTestId('run-fairness').click();
    await page.getByTestId('fairness-summary').waitFor();
    await check(page, `${at}-fairness`);
    await tab(page, 'Report');
    await check(page, `${at}-report`);
    s.assertSameOrigin();
    s.assertNoErrors();
    await s.context.close();
  });
}

// A large dataset (made in the page): 200,000 rows, 7 classes, so counts run to five and six digits.
test('a large dataset holds together at 1280×720', async () => {
  const s = await openPage(browser);
  const { page } = s;
  await page.setViewportSize({ width: 1280, height: 720 });
  await pickGeneratedFile(
    page,
    'large.csv',
    (n) => {
      const parts = ['id,region,amount,label,pred\n'];
      let x = 12345;
      const rnd = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
      for (let i = 0; i < n; i += 10000) {
        let chunk = '';
        for (let j = i; j < Math.min(n, i + 10000); j++) {
          const label = Math.floor(rnd() * 7);
          const pred = rnd() < 0.8 ? label : Math.floor(rnd() * 7);
          chunk += `${j},r${j % 9},${(rnd() * 1000).toFixed(2)},class_${label},class_${pred}\n`;
        }
        parts.push(chunk);
      }
      return parts;
    },
    200000,
  );
  await page.locator('[data-testid=column-card]').first().waitFor({ timeout: 120000 });
  await check(page, 'large-data');
  await tab(page, 'Evaluate');
  await page.getByTestId('bootstrap-done').waitFor({ timeout: 120000 });
  await check(page, 'large-evaluate');
  await tab(page, 'Slices');
  await page.getByTestId('find-slices').click();
  await page.getByTestId('find-summary').waitFor({ timeout: 120000 });
  await check(page, 'large-slices');
  s.assertSameOrigin();
  s.assertNoErrors();
  await s.context.close();
});

// Long names and values: a 300-character column name (a select is as wide as its longest option), a
// quoted name with a comma, a 3,000-character cell and long category values.
test('long column names and values hold together at 1280×720', async () => {
  const name = `feature_${'x'.repeat(300)}`;
  const rows = ['label,pred,prob_1,' + name + ',"note, with ""quotes""",group'];
  for (let i = 0; i < 200; i++) {
    // Wrong where the long-named feature is high (a slice to find), and now and then elsewhere.
    const x = (i * 13) % 17;
    const pred = x >= 12 || i % 10 === 0 ? 1 - (i % 2) : i % 2;
    rows.push(
      `${i % 2},${pred},${pred ? 0.8 : 0.2},${x},${i === 3 ? 'w'.repeat(3000) : 'short'},${'category_value_'.repeat(8)}${i % 3}`,
    );
  }
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'loupe-layout-')), 'long.csv');
  writeFileSync(file, rows.join('\n') + '\n');
  const s = await openPage(browser);
  const { page } = s;
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.locator('[data-testid=file-input]').first().setInputFiles([file]);
  await page.locator('[data-testid=column-card]').first().waitFor({ timeout: 60000 });
  await check(page, 'long-data');
  await tab(page, 'Evaluate');
  await page.getByTestId('bootstrap-done').waitFor({ timeout: 60000 });
  await check(page, 'long-evaluate');
  await tab(page, 'Slices');
  await check(page, 'long-slices');
  await page.getByTestId('find-slices').click();
  await page.getByTestId('found-slices').waitFor({ timeout: 60000 });
  await check(page, 'long-found-slices');
  await tab(page, 'Review');
  await page.getByLabel('Reviewer name').fill('ada');
  await page.getByRole('button', { name: 'Start reviewing' }).click();
  await page.getByTestId('review-item').waitFor({ timeout: 60000 });
  await check(page, 'long-review');
  // The decisions stay on screen beside the item.
  const keys = await page.getByRole('button', { name: /accept the label/ }).boundingBox();
  assert.ok(keys && keys.x + keys.width <= 1280, `the Decide panel is off screen: ${JSON.stringify(keys)}`);
  await tab(page, 'Compare');
  await page.getByRole('tab', { name: 'Fairness' }).click();
  await check(page, 'long-fairness');
  s.assertSameOrigin();
  s.assertNoErrors();
  await s.context.close();
});
