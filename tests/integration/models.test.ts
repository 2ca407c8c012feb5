import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ortNode from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { mlpOnnx, randomMlp } from '../../scripts/onnxModel.mjs';
import { mulberry32 } from '../../src/core/metrics/bootstrap';
import { checkSpec, toProbabilities } from '../../src/core/models/spec';
import { imageToTensor } from '../../src/core/models/image';
import { ModelEngine } from '../../src/engine/ModelEngine';
import { predictAll } from '../../src/engine/predict';
import { dataService, modelService } from '../../src/engine/protocol';
import { installErrorTransfer } from '../../src/engine/errorTransfer';
import { loupe } from './cli';
import { newEngine } from './engine';

const dir = mkdtempSync(path.join(tmpdir(), 'loupe-models-'));
const file = (name: string, data: string | Uint8Array) => {
  const p = path.join(dir, name);
  writeFileSync(p, data);
  return p;
};
const csvRows = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((l) => l.split(','));

/** A table of n rows × f numeric features (x0…), with a label among k classes. */
function table(n: number, f: number, k: number, seed: number, withNull = false): string {
  const rand = mulberry32(seed);
  const head = [...Array.from({ length: f }, (_, j) => `x${j}`), 'label'];
  const rows = Array.from({ length: n }, (_, i) => [
    ...Array.from({ length: f }, (_, j) => (withNull && i === 3 && j === 0 ? '' : (rand() * 4 - 2).toFixed(6))),
    `c${Math.floor(rand() * k)}`,
  ]);
  return [head.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n';
}

async function reference(
  model: Uint8Array,
  x: Float32Array,
  rows: number,
  width: number,
  output: string,
): Promise<Float32Array> {
  const s = await ortNode.InferenceSession.create(model);
  const r = await s.run({ features: new ortNode.Tensor('float32', x, [rows, width]) });
  return r[output].data as Float32Array;
}

describe('running ONNX models', () => {
  it('onnxruntime-web (WASM, in Node) equals onnxruntime-node within 1e-5, through the whole prediction path', async () => {
    const n = 1500;
    const model = mlpOnnx({ layers: randomMlp([16, 32, 4], mulberry32(5)) });
    const data = table(n, 16, 4, 11);
    const out = path.join(dir, 'mlp.csv');
    const r = await loupe([
      'predict',
      file('mlp-data.csv', data),
      '--model',
      file('mlp.onnx', model),
      '--features',
      Array.from({ length: 16 }, (_, j) => `x${j}`).join(','),
      '--batch',
      '512',
      '--out',
      out,
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/1500 rows through mlp\.onnx \(wasm\)/);
    const got = csvRows(readFileSync(out, 'utf8'));
    const head = got[0];
    // No classes in the metadata; the label's classes (c0…c3) are used as their number fits.
    expect(head.slice(-5)).toEqual(['pred__mlp', 'prob__mlp__c0', 'prob__mlp__c1', 'prob__mlp__c2', 'prob__mlp__c3']);
    const x = Float32Array.from(
      csvRows(data)
        .slice(1)
        .flatMap((row) => row.slice(0, 16).map(Number)),
    );
    const want = await reference(model, x, n, 16, 'probabilities');
    let worst = 0;
    got.slice(1).forEach((row, i) => {
      const p = row.slice(-4).map(Number);
      p.forEach((v, c) => (worst = Math.max(worst, Math.abs(v - want[i * 4 + c]))));
      expect(row.at(-5)).toBe(`c${p.indexOf(Math.max(...p))}`);
    });
    expect(worst).toBeLessThan(1e-5);
  });

  it('the demo model with its spec equals onnxruntime-node on features computed independently', async () => {
    const out = path.join(dir, 'weather.parquet');
    const r = await loupe([
      'predict',
      'public/demo/seattle-weather.csv',
      '--model',
      'public/demo/weather-model.onnx',
      '--spec',
      'public/demo/weather-model.preprocess.json',
      '--name',
      'lr',
      '--out',
      out,
    ]);
    expect(r.code, r.err).toBe(0);
    const spec = JSON.parse(readFileSync('public/demo/weather-model.preprocess.json', 'utf8'));
    const rows = csvRows(readFileSync('public/demo/seattle-weather.csv', 'utf8'));
    const at = (c: string) => rows[0].indexOf(c);
    const x = Float32Array.from(
      rows
        .slice(1)
        .flatMap((row) =>
          [
            ...['precipitation', 'temp_max', 'temp_min', 'wind'].map((c) => Number(row[at(c)])),
            ...spec.onehot.season.map((s: string) => (row[at('season')] === s ? 1 : 0)),
          ].map((v, j) => (v - spec.standardize.mean[j]) / spec.standardize.scale[j]),
        ),
    );
    const want = await reference(
      new Uint8Array(readFileSync('public/demo/weather-model.onnx')),
      x,
      rows.length - 1,
      8,
      'probabilities',
    );
    const engine = newEngine();
    const info = await engine.open({ name: 'weather.parquet', bytes: new Uint8Array(readFileSync(out)) });
    const cls = spec.output.classes as string[];
    const got = await engine.query(
      `SELECT pred__lr AS p, ${cls.map((c) => `prob__lr__${c} AS "${c}"`).join(', ')} FROM ${info.id} ORDER BY rowid`,
    );
    let worst = 0;
    got.forEach((g, i) => cls.forEach((c, j) => (worst = Math.max(worst, Math.abs(Number(g[c]) - want[i * 5 + j])))));
    expect(worst).toBeLessThan(1e-5);
    // The new columns feed the metrics like any other.
    const ev = JSON.parse(
      (await loupe(['eval', out, '--pred', 'pred__lr', '--probs-prefix', 'prob__lr__', '--bootstrap', '0', '--json']))
        .out,
    );
    expect(ev.classes).toEqual(cls);
    const right = got.filter((g, i) => g.p === rows[i + 1][at('label')]).length;
    expect(ev.overall.accuracy).toBe(right / got.length);
  });

  it('a second output becomes the embedding column emb__<name>: the map and loupe datalab use it', async () => {
    const out = path.join(dir, 'weather-emb.parquet');
    const args = ['predict', 'public/demo/seattle-weather.csv', '--model', 'public/demo/weather-model.onnx'];
    const spec = ['--spec', 'public/demo/weather-model.preprocess.json', '--name', 'lr'];
    const r = await loupe([...args, ...spec, '--embedding', 'embedding', '--out', out]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/the 5-wide embedding as emb__lr/);
    const engine = newEngine();
    const info = await engine.open({ name: 'weather-emb.parquet', bytes: new Uint8Array(readFileSync(out)) });
    const { roles } = await engine.roles(info.id);
    expect(roles.embedding).toEqual({ kind: 'list', column: 'emb__lr' });
    expect(roles.features).not.toContain('emb__lr');
    // The embedding of the demo model is its logits: softmax of each row equals its probabilities.
    const rows = await engine.query(
      `SELECT emb__lr AS e, prob__lr__drizzle AS p FROM ${info.id} ORDER BY rowid LIMIT 50`,
    );
    for (const row of rows) {
      const e = Array.from(row.e as ArrayLike<number>, Number);
      const z = e.map((v) => Math.exp(v - Math.max(...e)));
      expect(Math.abs(z[0] / z.reduce((a, b) => a + b) - Number(row.p))).toBeLessThan(1e-5);
    }
    const issues = JSON.parse((await loupe(['datalab', out, '--json', '--issues', 'outlier'])).out);
    expect(issues.space).toMatchObject({ source: 'embedding', columns: ['emb__lr'], dims: 5 });
    // Asking for the prediction output itself, or one the model lacks, is refused.
    const bad = await loupe([...args, ...spec, '--embedding', 'probabilities', '--out', out]);
    expect(bad.err).toMatch(/probabilities is the output the predictions come from/);
    const none = await loupe([...args, ...spec, '--embedding', 'hidden', '--out', out]);
    expect(none.err).toMatch(/has no output "hidden" \(its outputs: probabilities, embedding\)/);
  });

  it('logits get a softmax, one output a sigmoid; NaN outputs are counted and left empty', async () => {
    const layers = randomMlp([3, 2], mulberry32(7));
    const logits = mlpOnnx({ layers, output: 'logits', classes: ['no', 'yes'] });
    const data = table(50, 3, 2, 3, true);
    const out = path.join(dir, 'logits.csv');
    const r = await loupe([
      'predict',
      file('l.csv', data),
      '--model',
      file('logits.onnx', logits),
      '--features',
      'x0,x1,x2',
      '--out',
      out,
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/softmax applied/);
    expect(r.err).toMatch(/1 rows gave NaN outputs/);
    const got = csvRows(readFileSync(out, 'utf8'));
    expect(got[0].slice(-3)).toEqual(['pred__logits', 'prob__logits__no', 'prob__logits__yes']);
    expect(got[4].slice(-3)).toEqual(['', '', '']);
    const x = Float32Array.from(
      csvRows(data)
        .slice(1)
        .flatMap((row) => row.slice(0, 3).map((v) => (v === '' ? NaN : Number(v)))),
    );
    const z = await reference(logits, x, 50, 3, 'logits');
    const i = 0;
    const e = [Math.exp(z[2 * i]), Math.exp(z[2 * i + 1])];
    expect(Number(got[1].at(-1))).toBeCloseTo(e[1] / (e[0] + e[1]), 6);
    // One output: a sigmoid, as [1 − p, p].
    const p = toProbabilities(Float32Array.of(0, 2, -1), 3, 1, 'auto');
    expect(p.applied).toBe('sigmoid');
    expect(Array.from(p.values)).toEqual([
      0.5,
      0.5,
      1 - 1 / (1 + Math.exp(-2)),
      1 / (1 + Math.exp(-2)),
      1 - 1 / (1 + Math.exp(1)),
      1 / (1 + Math.exp(1)),
    ]);
    expect(toProbabilities(Float32Array.of(0.2, 0.8, 0.5, 0.5), 2, 2, 'auto').applied).toBe('none');
    expect(toProbabilities(Float32Array.of(0.2, 0.9, 0.5, 0.5), 2, 2, 'auto').applied).toBe('softmax');
  });

  it('errors say what is wrong: not a model, inputs that do not fit, bad specs', async () => {
    const data = file('e.csv', table(20, 4, 2, 1));
    const model = file('four.onnx', mlpOnnx({ layers: randomMlp([4, 2], mulberry32(1)) }));
    const run = (...args: string[]) => loupe(['predict', data, '--out', path.join(dir, 'e-out.csv'), ...args]);
    expect((await run('--model', data, '--features', 'x0')).err).toMatch(/e\.csv is not an ONNX model/);
    const mismatch = await run('--model', model, '--features', 'x0,x1,x2');
    expect(mismatch.code).toBe(2);
    expect(mismatch.err).toMatch(
      /The model expects features: float32 \[batch, 4\]; the data gives float32 \[batch, 3\] \(x0, x1, x2\)/,
    );
    expect((await run('--model', model, '--features', 'x0,nope')).err).toMatch(/no column "nope"/);
    expect((await run('--model', model, '--features', 'x0,x1,x2,label')).err).toMatch(
      /column "label" is string, not numeric: give it a one-hot vocabulary/,
    );
    expect((await run('--model', model)).err).toMatch(/--features a,b,c or --spec/);
    expect(() =>
      checkSpec({ features: ['x0'], standardize: { mean: [0, 1], scale: [1, 1] } }, [
        { name: 'x0', kind: 'numeric' } as never,
      ]),
    ).toThrow(/"standardize" needs "mean" and "scale" with 1 numbers/);
  });

  it('a cancelled run adds nothing', async () => {
    const engine = newEngine();
    const info = await engine.open({ name: 'c.csv', bytes: new TextEncoder().encode(table(100, 4, 2, 2)) });
    const models = new ModelEngine();
    const m = await models.load('m.onnx', mlpOnnx({ layers: randomMlp([4, 2], mulberry32(2)) }), 'wasm');
    let batches = 0;
    const spec = checkSpec({ version: 1, features: ['x0', 'x1', 'x2', 'x3'] }, info.columns);
    await expect(
      predictAll(engine, models, {
        datasetId: info.id,
        rows: 100,
        modelId: m.id,
        spec,
        name: 'm',
        batchSize: 10,
        cancelled: () => ++batches > 3,
      }),
    ).rejects.toThrow(/Cancelled/);
    expect((await engine.query(`SELECT * FROM ${info.id} LIMIT 1`)).map((r) => Object.keys(r))[0]).toEqual([
      'x0',
      'x1',
      'x2',
      'x3',
      'label',
    ]);
    // A second run replaces the first's columns rather than adding more.
    const first = await predictAll(engine, models, {
      datasetId: info.id,
      rows: 100,
      modelId: m.id,
      spec,
      name: 'm',
      batchSize: 33,
    });
    const again = await predictAll(engine, models, {
      datasetId: info.id,
      rows: 100,
      modelId: m.id,
      spec,
      name: 'm',
      batchSize: 7,
    });
    expect(again.info.columns.map((c) => c.name)).toEqual(first.info.columns.map((c) => c.name));
    expect(again.info.fingerprint).toBe(info.fingerprint);
  });
});

describe('a model run as the app makes it: the model side pulls batches from the data side over a MessageChannel', () => {
  it('gives the columns of the direct run, reports progress, and a cancelled run adds nothing', async () => {
    installErrorTransfer();
    const csv = new TextEncoder().encode(table(1000, 6, 3, 21, true));
    const bytes = mlpOnnx({ layers: randomMlp([6, 8, 3], mulberry32(4)) });
    const rawSpec = { version: 1, features: ['x0', 'x1', 'x2', 'x3', 'x4', 'x5'] };
    // The reference: the direct run (as `loupe predict` makes it).
    const direct = newEngine();
    const d = await direct.open({ name: 'p.csv', bytes: csv });
    const dm = new ModelEngine();
    const dModel = await dm.load('m.onnx', bytes, 'wasm');
    const spec = checkSpec(rawSpec, d.columns);
    const o = { datasetId: d.id, rows: 1000, spec, name: 'm', batchSize: 96, datasetClasses: ['c0', 'c1', 'c2'] };
    await predictAll(direct, dm, { ...o, modelId: dModel.id });
    const want = await direct.query(`SELECT * FROM ${d.id} ORDER BY rowid`);

    // The same through the services the workers expose, joined by a channel.
    const engine = newEngine();
    const data = dataService(engine);
    const info = await data.open({ name: 'p.csv', bytes: csv });
    const models = modelService(new ModelEngine());
    const m = await models.load('m.onnx', bytes, 'wasm');
    const run = async (onProgress: (done: number) => void) => {
      const { port1, port2 } = new MessageChannel();
      data.predictionPort(port1);
      return models.predict(port2, { ...o, datasetId: info.id, modelId: m.id }, onProgress);
    };
    const seen: number[] = [];
    const cancelled = run((done) => {
      seen.push(done);
      if (done >= 288) models.cancelPredict();
    });
    await expect(cancelled).rejects.toThrow(/Cancelled: no predictions were added/);
    expect(seen).toEqual([96, 192, 288]);
    expect((await engine.query(`SELECT * FROM ${info.id} LIMIT 1`)).map((r) => Object.keys(r))[0]).not.toContain(
      'pred__m',
    );
    const done: number[] = [];
    const r = await run((n) => done.push(n));
    expect(done.at(-1)).toBe(1000);
    expect(done).toHaveLength(Math.ceil(1000 / 96));
    expect(r.classes).toEqual(['c0', 'c1', 'c2']);
    expect(r.nanRows).toBe(1); // the row with an empty feature
    expect(await engine.query(`SELECT * FROM ${info.id} ORDER BY rowid`)).toEqual(want);
  });
});

describe('running TensorFlow.js models', () => {
  it('the demo TF.js model equals softmax(xW + b) computed here from its weight file', async () => {
    const out = path.join(dir, 'tf.csv');
    const r = await loupe([
      'predict',
      'public/demo/seattle-weather.csv',
      '--model',
      'public/demo/weather-model-tfjs/model.json',
      '--spec',
      'public/demo/weather-model.preprocess.json',
      '--out',
      out,
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/pred__weather_model_tfjs/);
    const spec = JSON.parse(readFileSync('public/demo/weather-model.preprocess.json', 'utf8'));
    const manifest = JSON.parse(readFileSync('public/demo/weather-model-tfjs/model.json', 'utf8')).weightsManifest[0];
    const bin = readFileSync('public/demo/weather-model-tfjs/weights.bin');
    const floats = new Float32Array(bin.buffer, bin.byteOffset, bin.byteLength / 4);
    const [kernel, bias] = manifest.weights.map((w: { shape: number[] }) => w.shape);
    expect(kernel).toEqual([8, 5]);
    expect(bias).toEqual([5]);
    const rows = csvRows(readFileSync('public/demo/seattle-weather.csv', 'utf8'));
    const at = (c: string) => rows[0].indexOf(c);
    const got = csvRows(readFileSync(out, 'utf8'));
    let worst = 0;
    rows.slice(1).forEach((row, i) => {
      const x = [
        ...['precipitation', 'temp_max', 'temp_min', 'wind'].map((c) => Number(row[at(c)])),
        ...spec.onehot.season.map((s: string) => (row[at('season')] === s ? 1 : 0)),
      ].map((v, j) => Math.fround((v - spec.standardize.mean[j]) / spec.standardize.scale[j]));
      const z = Array.from(
        { length: 5 },
        (_, c) => floats[40 + c] + x.reduce((a, v, j) => a + v * floats[j * 5 + c], 0),
      );
      const m = Math.max(...z);
      const e = z.map((v) => Math.exp(v - m));
      const s = e.reduce((a, v) => a + v, 0);
      got[i + 1].slice(-5).forEach((v, c) => (worst = Math.max(worst, Math.abs(Number(v) - e[c] / s))));
    });
    expect(worst).toBeLessThan(1e-5);
  });
});

describe('image inputs', () => {
  it('pixel columns become a resized, scaled [batch, 1, 2, 2] tensor; predictions equal onnxruntime-node on block means', async () => {
    const rand = mulberry32(21);
    const n = 60;
    const pixels = Array.from({ length: n }, () => Array.from({ length: 16 }, () => Math.floor(rand() * 256)));
    const data = file(
      'px.csv',
      [
        ['id', ...Array.from({ length: 16 }, (_, j) => `pixel${j}`), 'label'].join(','),
        ...pixels.map((p, i) => [i, ...p, `d${i % 3}`].join(',')),
      ].join('\n') + '\n',
    );
    const model = mlpOnnx({
      layers: randomMlp([4, 3], mulberry32(8)),
      inputShape: [1, 2, 2],
      classes: ['d0', 'd1', 'd2'],
    });
    const spec = file(
      'px.json',
      JSON.stringify({
        version: 1,
        image: {
          pixels: Array.from({ length: 16 }, (_, j) => `pixel${j}`),
          size: [2, 2],
          channels: 1,
          layout: 'NCHW',
          scale: 1 / 255,
        },
      }),
    );
    const out = path.join(dir, 'px-out.csv');
    const r = await loupe(['predict', data, '--model', file('px.onnx', model), '--spec', spec, '--out', out]);
    expect(r.code, r.err).toBe(0);
    // Halving with half-pixel centres averages each 2 × 2 block.
    const x = Float32Array.from(
      pixels.flatMap((p) => [0, 2, 8, 10].map((i) => (p[i] + p[i + 1] + p[i + 4] + p[i + 5]) / 4 / 255)),
    );
    const s = await ortNode.InferenceSession.create(model);
    const want = (await s.run({ features: new ortNode.Tensor('float32', x, [n, 1, 2, 2]) })).probabilities
      .data as Float32Array;
    const got = csvRows(readFileSync(out, 'utf8'))
      .slice(1)
      .map((row) => row.slice(-3).map(Number));
    let worst = 0;
    got.forEach((p, i) => p.forEach((v, c) => (worst = Math.max(worst, Math.abs(v - want[i * 3 + c])))));
    expect(worst).toBeLessThan(1e-5);
    // An image column needs the browser's decoder.
    const img = file('img.csv', 'id,image,label\n0,"data:image/png;base64,AAAA",d0\n');
    const e = await loupe([
      'predict',
      img,
      '--model',
      file('px.onnx', model),
      '--spec',
      file(
        'img.json',
        JSON.stringify({ version: 1, image: { column: 'image', size: [2, 2], channels: 1, layout: 'NCHW' } }),
      ),
      '--out',
      path.join(dir, 'x.csv'),
    ]);
    expect(e.err).toMatch(/Image columns are decoded in the browser/);
  });

  it('channels, layout, scale and normalisation', () => {
    // A 1 × 2 RGB image into 1 × 2 grey NHWC, and into RGB NCHW with mean/std.
    const img = { width: 2, height: 1, channels: 3, data: [30, 60, 90, 255, 0, 0] };
    const grey = new Float32Array(2);
    imageToTensor(img, { size: [1, 2], channels: 1, layout: 'NHWC', scale: 1 }, grey, 0);
    expect(Array.from(grey)).toEqual([60, 85]);
    const rgb = new Float32Array(6);
    imageToTensor(
      img,
      { size: [1, 2], channels: 3, layout: 'NCHW', scale: 1 / 255, mean: [0.5, 0, 0], std: [0.5, 1, 1] },
      rgb,
      0,
    );
    expect(Array.from(rgb).map((v) => Number(v.toFixed(6)))).toEqual([
      Number(((30 / 255 - 0.5) / 0.5).toFixed(6)),
      1,
      Number((60 / 255).toFixed(6)),
      0,
      Number((90 / 255).toFixed(6)),
      0,
    ]);
    const five = ['a', 'b', 'c', 'd', 'e'];
    expect(() =>
      checkSpec(
        { image: { pixels: five, size: [2, 2], channels: 1, layout: 'NCHW' } },
        five.map((name) => ({ name, kind: 'numeric' }) as never),
      ),
    ).toThrow(/5 pixel columns do not make a square grey or RGB image/);
  });
});

describe('class names', () => {
  it('a labels file (one per line or a JSON list) names the outputs, before the model metadata', async () => {
    const data = file('cn.csv', table(30, 4, 2, 4));
    const model = file('cn.onnx', mlpOnnx({ layers: randomMlp([4, 2], mulberry32(3)), classes: ['meta0', 'meta1'] }));
    const run = async (...extra: string[]) => {
      const out = path.join(dir, 'cn-out.csv');
      const r = await loupe(['predict', data, '--model', model, '--features', 'x0,x1,x2,x3', '--out', out, ...extra]);
      expect(r.code, r.err).toBe(0);
      return csvRows(readFileSync(out, 'utf8'))[0].slice(-2);
    };
    expect(await run()).toEqual(['prob__cn__meta0', 'prob__cn__meta1']);
    expect(await run('--classes', file('labels.txt', 'cat\n\ndog\n'))).toEqual(['prob__cn__cat', 'prob__cn__dog']);
    expect(await run('--classes', file('labels.json', '["no", "yes"]'))).toEqual(['prob__cn__no', 'prob__cn__yes']);
    const three = await loupe([
      'predict',
      data,
      '--model',
      model,
      '--features',
      'x0,x1,x2,x3',
      '--out',
      path.join(dir, 'x.csv'),
      '--classes',
      file('three.txt', 'a\nb\nc\n'),
    ]);
    expect(three.err).toMatch(/gives 2 outputs per row but there are 3 class names/);
  });
});
