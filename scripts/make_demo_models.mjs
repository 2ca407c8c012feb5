// Builds the demo models for public/demo/seattle-weather.csv, reproducibly: a multinomial logistic
// regression trained here (full-batch gradient descent from zero weights, fixed steps) on
// precipitation, temp_max, temp_min, wind (standardised) and season (one-hot), written as
//   public/demo/weather-model.onnx                 (onnx-proto; metadata property `classes`)
//   public/demo/weather-model.preprocess.json      (the preprocessing spec Loupe loads with it)
//   public/demo/weather-model-tfjs/model.json + weights.bin   (the same model as a TF.js layers model)
// Run: node scripts/make_demo_models.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { mlpOnnx } from './onnxModel.mjs';

const lines = readFileSync(new URL('../public/demo/seattle-weather.csv', import.meta.url), 'utf8')
  .trim()
  .split('\n');
const head = lines[0].split(',');
const rows = lines.slice(1).map((l) => l.split(','));
const at = (c) => head.indexOf(c);
const numeric = ['precipitation', 'temp_max', 'temp_min', 'wind'];
const seasons = ['autumn', 'spring', 'summer', 'winter'];
const classes = [...new Set(rows.map((r) => r[at('label')]))].sort();

const raw = rows.map((r) => [
  ...numeric.map((c) => Number(r[at(c)])),
  ...seasons.map((s) => (r[at('season')] === s ? 1 : 0)),
]);
const width = raw[0].length;
const mean = Array.from({ length: width }, (_, j) => raw.reduce((a, x) => a + x[j], 0) / raw.length);
const scale = mean.map((m, j) => Math.sqrt(raw.reduce((a, x) => a + (x[j] - m) ** 2, 0) / raw.length) || 1);
const X = raw.map((x) => x.map((v, j) => (v - mean[j]) / scale[j]));
const y = rows.map((r) => classes.indexOf(r[at('label')]));

const k = classes.length;
const W = Array.from({ length: width }, () => new Array(k).fill(0));
const b = new Array(k).fill(0);
const rate = 0.5;
const l2 = 1e-3;
for (let step = 0; step < 2000; step++) {
  const gW = Array.from({ length: width }, () => new Array(k).fill(0));
  const gb = new Array(k).fill(0);
  for (let i = 0; i < X.length; i++) {
    const z = b.map((bc, c) => bc + X[i].reduce((a, v, j) => a + v * W[j][c], 0));
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const s = e.reduce((a, v) => a + v, 0);
    for (let c = 0; c < k; c++) {
      const g = e[c] / s - (y[i] === c ? 1 : 0);
      gb[c] += g;
      for (let j = 0; j < width; j++) gW[j][c] += g * X[i][j];
    }
  }
  for (let c = 0; c < k; c++) {
    b[c] -= (rate * gb[c]) / X.length;
    for (let j = 0; j < width; j++) W[j][c] -= rate * (gW[j][c] / X.length + l2 * W[j][c]);
  }
}
let right = 0;
X.forEach((x, i) => {
  const z = b.map((bc, c) => bc + x.reduce((a, v, j) => a + v * W[j][c], 0));
  if (z.indexOf(Math.max(...z)) === y[i]) right++;
});

const dir = new URL('../public/demo/', import.meta.url);
writeFileSync(
  new URL('weather-model.onnx', dir),
  mlpOnnx({
    layers: [{ weights: W, bias: b, activation: 'none' }],
    classes,
    name: 'weather-logistic-regression',
    embedding: true,
  }),
);
const spec = {
  version: 1,
  features: [...numeric, 'season'],
  onehot: { season: seasons },
  standardize: { mean, scale },
  output: { task: 'classification', kind: 'auto', classes },
};
writeFileSync(new URL('weather-model.preprocess.json', dir), JSON.stringify(spec, null, 2) + '\n');
// The same weights as a TF.js layers model: Dense(5, softmax) on the 8 standardised inputs.
await tf.setBackend('cpu');
const dense = tf.sequential({
  layers: [tf.layers.dense({ units: k, inputShape: [width], activation: 'softmax', name: 'weather' })],
});
dense.layers[0].setWeights([tf.tensor2d(W), tf.tensor1d(b)]);
const tfDir = new URL('weather-model-tfjs/', dir);
mkdirSync(tfDir, { recursive: true });
await dense.save(
  tf.io.withSaveHandler(async (artifacts) => {
    const json = {
      format: 'layers-model',
      generatedBy: 'loupe scripts/make_demo_models.mjs',
      modelTopology: artifacts.modelTopology,
      userDefinedMetadata: { classes },
      weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
    };
    writeFileSync(new URL('model.json', tfDir), JSON.stringify(json) + '\n');
    writeFileSync(new URL('weights.bin', tfDir), new Uint8Array(artifacts.weightData));
    return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
  }),
);
console.log(`weather-model.onnx: ${width} inputs → ${k} classes; training accuracy ${(right / X.length).toFixed(3)}`);
