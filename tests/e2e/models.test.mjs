import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { BASE, launch, openPage } from './helpers.mjs';

let browser;
before(async () => (browser = await launch()));
after(async () => browser?.close());

const dir = mkdtempSync(path.join(tmpdir(), 'loupe-models-e2e-'));
const cli = (...args) => execFileSync(process.execPath, ['bin/loupe.mjs', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** Loads the demo model from the Models section and runs it over the active dataset. */
async function runDemoModel(page) {
  await page.getByTestId('demo-model').click();
  await page.getByTestId('model-panel').waitFor({ timeout: 60000 });
  await page.getByTestId('run-model').click();
  await page.getByTestId('model-result').waitFor({ timeout: 120000 });
}

test('the demo model runs on WASM when there is no WebGPU adapter; its columns feed the metrics and equal loupe predict', async () => {
  const s = await openPage(browser, '?data=demo/seattle-weather.csv&view=evaluate');
  const { page } = s;
  await page.locator('[data-metric=accuracy] [data-value]').waitFor({ timeout: 60000 });
  await runDemoModel(page);
  assert.match(await page.getByTestId('model-backend').textContent(), /WASM/);
  assert.match(await page.getByTestId('model-fallback').textContent(), /no WebGPU adapter/);
  assert.match(await page.getByTestId('model-result').textContent(), /Added pred__weather_model and 5 probability columns/);
  await page.getByTestId('use-predictions').click();
  const out = path.join(dir, 'weather.csv');
  cli('predict', 'public/demo/seattle-weather.csv', '--model', 'public/demo/weather-model.onnx', '--spec', 'public/demo/weather-model.preprocess.json', '--out', out);
  const want = JSON.parse(cli('eval', out, '--pred', 'pred__weather_model', '--probs-prefix', 'prob__weather_model__', '--bootstrap', '0', '--json'));
  for (const k of ['accuracy', 'macro_f1', 'log_loss', 'roc_auc']) {
    await page.waitForFunction(([k, v]) => Math.abs(Number(document.querySelector(`[data-metric=${k}] [data-value]`)?.getAttribute('data-value')) - v) < 1e-6, [k, want.overall[k]], { timeout: 30000 });
  }
  s.assertSameOrigin();
  s.assertNoErrors();
  await s.context.close();
});

test('bad models and inputs that do not fit are explained; the app stays usable', async () => {
  const s = await openPage(browser, '?data=demo/seattle-weather.csv&view=data');
  const { page } = s;
  await page.getByTestId('demo-model').waitFor({ timeout: 60000 });
  const notModel = path.join(dir, 'notes.onnx');
  writeFileSync(notModel, 'this is not a model');
  await page.getByTestId('model-input').setInputFiles([notModel]);
  assert.match(await page.getByTestId('model-load-error').textContent(), /notes\.onnx is not an ONNX model/);
  await page.getByTestId('demo-model').click();
  await page.getByTestId('model-panel').waitFor();
  await page.getByRole('button', { name: 'Remove wind' }).click();
  assert.match(await page.getByTestId('shape-mismatch').textContent(), /The model expects float32 \[batch, 8\]; these columns give float32 \[batch, 7\]/);
  assert.equal(await page.getByTestId('run-model').isDisabled(), true);
  s.assertNoErrors();
  await s.context.close();
});

test('WebGPU (SwiftShader) and WASM give the same predictions on a few hundred rows', async () => {
  const gpu = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--enable-features=Vulkan', '--use-angle=swiftshader', '--disable-background-networking', '--no-first-run'],
  });
  try {
    const context = await gpu.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // 300 rows of the demo.
    const lines = readFileSync('public/demo/seattle-weather.csv', 'utf8').trim().split('\n').slice(0, 301);
    const small = path.join(dir, 'seattle-weather.csv');
    writeFileSync(small, lines.join('\n') + '\n');
    await page.goto(BASE);
    await page.locator('[data-testid=file-input]').first().setInputFiles([small]);
    await page.getByTestId('demo-model').waitFor({ timeout: 60000 });
    await page.getByLabel('Model backend').selectOption('webgpu');
    await page.getByTestId('demo-model').click();
    await page.getByTestId('model-panel').waitFor({ timeout: 60000 });
    assert.match(await page.getByTestId('model-backend').textContent(), /WebGPU/, 'a SwiftShader WebGPU adapter is used');
    await page.getByTestId('run-model').click();
    await page.getByTestId('model-result').waitFor({ timeout: 120000 });
    assert.match(await page.getByTestId('model-result').textContent(), /on WebGPU/);
    await page.getByTestId('use-predictions').click();
    await page.locator('button.tab', { hasText: 'Evaluate' }).click();
    const out = path.join(dir, 'small-pred.csv');
    cli('predict', small, '--model', 'public/demo/weather-model.onnx', '--spec', 'public/demo/weather-model.preprocess.json', '--out', out);
    const want = JSON.parse(cli('eval', out, '--pred', 'pred__weather_model', '--probs-prefix', 'prob__weather_model__', '--bootstrap', '0', '--json'));
    await page.waitForFunction((v) => Number(document.querySelector('[data-metric=accuracy] [data-value]')?.getAttribute('data-value')) === v, want.overall.accuracy, { timeout: 30000 });
    const ll = Number(await page.locator('[data-metric=log_loss] [data-value]').getAttribute('data-value'));
    assert.ok(Math.abs(ll - want.overall.log_loss) < 1e-5, `log loss ${ll} vs ${want.overall.log_loss}`);
    assert.deepEqual(errors, []);
  } finally {
    await gpu.close();
  }
});

test('the demo TensorFlow.js model runs in the browser and equals loupe predict with it', async () => {
  const s = await openPage(browser, '?data=demo/seattle-weather.csv&view=evaluate');
  const { page } = s;
  await page.locator('[data-metric=accuracy] [data-value]').waitFor({ timeout: 60000 });
  await page.getByTestId('demo-model-tfjs').click();
  await page.getByTestId('model-panel').waitFor({ timeout: 60000 });
  assert.match(await page.getByTestId('model-backend').textContent(), /TensorFlow\.js · (WebGL|WASM|CPU)/);
  await page.getByTestId('run-model').click();
  await page.getByTestId('model-result').waitFor({ timeout: 120000 });
  assert.match(await page.getByTestId('model-result').textContent(), /Added pred__weather_model_tfjs/);
  await page.getByTestId('use-predictions').click();
  const out = path.join(dir, 'weather-tf.csv');
  cli('predict', 'public/demo/seattle-weather.csv', '--model', 'public/demo/weather-model-tfjs/model.json', '--spec', 'public/demo/weather-model.preprocess.json', '--out', out);
  const want = JSON.parse(cli('eval', out, '--pred', 'pred__weather_model_tfjs', '--probs-prefix', 'prob__weather_model_tfjs__', '--bootstrap', '0', '--json'));
  await page.waitForFunction((v) => Number(document.querySelector('[data-metric=accuracy] [data-value]')?.getAttribute('data-value')) === v, want.overall.accuracy, { timeout: 30000 });
  const ll = Number(await page.locator('[data-metric=log_loss] [data-value]').getAttribute('data-value'));
  assert.ok(Math.abs(ll - want.overall.log_loss) < 1e-5, `log loss ${ll} vs ${want.overall.log_loss}`);
  s.assertSameOrigin();
  s.assertNoErrors();
  await s.context.close();
});
