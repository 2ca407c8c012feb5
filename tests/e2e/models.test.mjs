import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { mlpOnnx, randomMlp } from '../../scripts/onnxModel.mjs';
import { BASE, launch, openPage } from './helpers.mjs';

let browser;
before(async () => (browser = await launch()));
after(async () => browser?.close());

const dir = mkdtempSync(path.join(tmpdir(), 'loupe-models-e2e-'));
const cli = (...args) =>
  execFileSync(process.execPath, ['bin/loupe.mjs', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

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
  assert.match(
    await page.getByTestId('model-result').textContent(),
    /Added pred__weather_model and 5 probability columns/,
  );
  // Its second output, "embedding", is added as a list column and becomes the map's embedding.
  assert.equal(await page.getByTestId('embedding-output').inputValue(), 'embedding');
  assert.match(
    await page.getByTestId('model-result').innerText(),
    /5-wide embedding is the list column emb__weather_model/,
  );
  await page.getByTestId('use-predictions').click();
  const out = path.join(dir, 'weather.csv');
  cli(
    'predict',
    'public/demo/seattle-weather.csv',
    '--model',
    'public/demo/weather-model.onnx',
    '--spec',
    'public/demo/weather-model.preprocess.json',
    '--out',
    out,
  );
  const want = JSON.parse(
    cli(
      'eval',
      out,
      '--pred',
      'pred__weather_model',
      '--probs-prefix',
      'prob__weather_model__',
      '--bootstrap',
      '0',
      '--json',
    ),
  );
  for (const k of ['accuracy', 'macro_f1', 'log_loss', 'roc_auc']) {
    await page.waitForFunction(
      ([k, v]) =>
        Math.abs(Number(document.querySelector(`[data-metric=${k}] [data-value]`)?.getAttribute('data-value')) - v) <
        1e-6,
      [k, want.overall[k]],
      { timeout: 30000 },
    );
  }
  // The model's prefix is the chosen probabilities, and only prefixes of probability-like columns are offered.
  assert.equal(await page.getByTestId('role-probs').inputValue(), 'prob__weather_model__');
  const offered = await page.getByTestId('role-probs').locator('option').allTextContents();
  assert.ok(offered.includes('prob_…') && offered.includes('prob__weather_model__…'), offered.join(' | '));
  assert.ok(!offered.some((o) => o.startsWith('temp_')), offered.join(' | '));
  // Its outputs are not features (slices, the error tree): the demo's 8 stay 8.
  assert.equal(await page.getByTestId('feature-count').textContent(), '8');
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
  assert.match(
    await page.getByTestId('shape-mismatch').innerText(),
    /The model expects float32 \[batch, 8\]; these columns give float32 \[batch, 7\]/,
  );
  assert.equal(await page.getByTestId('run-model').isDisabled(), true);
  s.assertNoErrors();
  await s.context.close();
});

test('WebGPU (SwiftShader) and WASM give the same predictions on a few hundred rows', async () => {
  const gpu = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--enable-unsafe-webgpu',
      '--use-webgpu-adapter=swiftshader',
      '--enable-features=Vulkan',
      '--use-angle=swiftshader',
      '--disable-background-networking',
      '--no-first-run',
    ],
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
    assert.match(
      await page.getByTestId('model-backend').textContent(),
      /WebGPU/,
      'a SwiftShader WebGPU adapter is used',
    );
    await page.getByTestId('run-model').click();
    await page.getByTestId('model-result').waitFor({ timeout: 120000 });
    assert.match(await page.getByTestId('model-result').textContent(), /on WebGPU/);
    await page.getByTestId('use-predictions').click();
    await page.locator('button.tab', { hasText: 'Evaluate' }).click();
    const out = path.join(dir, 'small-pred.csv');
    cli(
      'predict',
      small,
      '--model',
      'public/demo/weather-model.onnx',
      '--spec',
      'public/demo/weather-model.preprocess.json',
      '--out',
      out,
    );
    const want = JSON.parse(
      cli(
        'eval',
        out,
        '--pred',
        'pred__weather_model',
        '--probs-prefix',
        'prob__weather_model__',
        '--bootstrap',
        '0',
        '--json',
      ),
    );
    await page.waitForFunction(
      (v) => Number(document.querySelector('[data-metric=accuracy] [data-value]')?.getAttribute('data-value')) === v,
      want.overall.accuracy,
      { timeout: 30000 },
    );
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
  cli(
    'predict',
    'public/demo/seattle-weather.csv',
    '--model',
    'public/demo/weather-model-tfjs/model.json',
    '--spec',
    'public/demo/weather-model.preprocess.json',
    '--out',
    out,
  );
  const want = JSON.parse(
    cli(
      'eval',
      out,
      '--pred',
      'pred__weather_model_tfjs',
      '--probs-prefix',
      'prob__weather_model_tfjs__',
      '--bootstrap',
      '0',
      '--json',
    ),
  );
  await page.waitForFunction(
    (v) => Number(document.querySelector('[data-metric=accuracy] [data-value]')?.getAttribute('data-value')) === v,
    want.overall.accuracy,
    { timeout: 30000 },
  );
  const ll = Number(await page.locator('[data-metric=log_loss] [data-value]').getAttribute('data-value'));
  assert.ok(Math.abs(ll - want.overall.log_loss) < 1e-5, `log loss ${ll} vs ${want.overall.log_loss}`);
  s.assertSameOrigin();
  s.assertNoErrors();
  await s.context.close();
});

/** A grey PNG (8-bit, no filter) of `w` × `h` pixels, as a data URL. */
function png(w, h, grey) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const raw = Buffer.concat(Array.from({ length: h }, (_, y) => Buffer.from([0, ...grey.slice(y * w, (y + 1) * w)])));
  const bytes = Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  return `data:image/png;base64,${bytes.toString('base64')}`;
}

test('an image column (PNG data URLs) decoded in the browser gives the predictions loupe predict gives from the same pixels as columns', async () => {
  let seed = 5;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const n = 40;
  const images = Array.from({ length: n }, () => Array.from({ length: 16 }, () => Math.floor(rand() * 256)));
  const head = ['id', 'image', ...Array.from({ length: 16 }, (_, j) => `pixel${j}`), 'label'];
  const csvText =
    [head.join(','), ...images.map((p, i) => [i, `"${png(4, 4, p)}"`, ...p, `d${i % 3}`].join(','))].join('\n') + '\n';
  const data = path.join(dir, 'digits.csv');
  writeFileSync(data, csvText);
  const model = path.join(dir, 'digits.onnx');
  writeFileSync(
    model,
    mlpOnnx({ layers: randomMlp([4, 3], rand), inputShape: [1, 2, 2], classes: ['d0', 'd1', 'd2'] }),
  );
  const image = { size: [2, 2], channels: 1, layout: 'NCHW', scale: 1 / 255 };
  const specPixels = path.join(dir, 'digits-pixels.json');
  writeFileSync(
    specPixels,
    JSON.stringify({ version: 1, image: { ...image, pixels: Array.from({ length: 16 }, (_, j) => `pixel${j}`) } }),
  );
  const specImage = path.join(dir, 'digits-image.json');
  writeFileSync(specImage, JSON.stringify({ version: 1, image: { ...image, column: 'image' } }));

  const s = await openPage(browser);
  const { page } = s;
  await page.locator('[data-testid=file-input]').first().setInputFiles([data]);
  await page.locator('.datasets li', { hasText: 'digits.csv' }).waitFor({ timeout: 60000 });
  await page.getByTestId('model-input').setInputFiles([model, specImage]);
  await page.getByTestId('model-panel').waitFor({ timeout: 60000 });
  assert.equal(await page.getByTestId('image-source').inputValue(), 'column:image');
  await page.getByTestId('run-model').click();
  await page.getByTestId('model-result').waitFor({ timeout: 60000 });
  await page.getByTestId('use-predictions').click();
  await page.locator('button.tab', { hasText: 'Evaluate' }).click();
  const out = path.join(dir, 'digits-out.csv');
  cli('predict', data, '--model', model, '--spec', specPixels, '--out', out);
  const want = JSON.parse(
    cli('eval', out, '--pred', 'pred__digits', '--probs-prefix', 'prob__digits__', '--bootstrap', '0', '--json'),
  );
  await page.waitForFunction(
    (v) => Number(document.querySelector('[data-metric=accuracy] [data-value]')?.getAttribute('data-value')) === v,
    want.overall.accuracy,
    { timeout: 30000 },
  );
  const ll = Number(await page.locator('[data-metric=log_loss] [data-value]').getAttribute('data-value'));
  assert.ok(Math.abs(ll - want.overall.log_loss) < 1e-5, `log loss ${ll} vs ${want.overall.log_loss}`);
  s.assertNoErrors();
  await s.context.close();
});

test('a model loads from a URL box, and model files dropped on the page go to the models, not the datasets', async () => {
  const s = await openPage(browser, '?data=demo/seattle-weather.csv&view=data');
  const { page } = s;
  await page.getByTestId('model-url').waitFor({ timeout: 60000 });
  await page.getByTestId('model-url').fill('demo/weather-model-tfjs/model.json');
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await page.getByTestId('model-panel').waitFor({ timeout: 60000 });
  assert.match(await page.getByTestId('model-panel').locator('h2').textContent(), /weather-model-tfjs\/model\.json/);
  await page.getByRole('button', { name: 'Close the model panel' }).click();
  // Drop the ONNX demo model with its spec (as a user dropping files from a folder).
  const files = await Promise.all(
    ['weather-model.onnx', 'weather-model.preprocess.json'].map(async (name) => ({
      name,
      bytes: [...readFileSync(`public/demo/${name}`)],
    })),
  );
  await page.evaluate((files) => {
    const dt = new DataTransfer();
    for (const f of files) dt.items.add(new File([new Uint8Array(f.bytes)], f.name));
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, files);
  await page.getByTestId('model-panel').waitFor({ timeout: 60000 });
  assert.match(await page.getByTestId('model-panel').locator('h2').textContent(), /weather-model\.onnx/);
  assert.equal(await page.locator('.datasets li').count(), 1 + 2, 'one dataset and two models in the rail');
  assert.equal(await page.getByTestId('run-model').isDisabled(), false, 'the spec came with it');
  s.assertNoErrors();
  await s.context.close();
});
