// Builds public/demo/seattle-weather.csv: the Seattle weather data from the vega-datasets package
// (BSD-3-Clause) with 5-fold cross-validated predictions of a multinomial logistic regression
// trained here, so the demo has real, imperfect predictions. Deterministic: same output every run.
//   node scripts/make_demo.mjs
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { csvParse, csvFormat } from 'd3';

const src = readFileSync(new URL('../node_modules/vega-datasets/data/seattle-weather.csv', import.meta.url), 'utf8');
const raw = csvParse(src);
const classes = [...new Set(raw.map((r) => r.weather))].sort();
const seasons = ['winter', 'spring', 'summer', 'autumn'];
const season = (m) => seasons[Math.floor((m % 12) / 3)];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const rows = raw.map((r, i) => {
  const month = Number(r.date.slice(5, 7)) - 1;
  const wind = Number(r.wind);
  return {
    id: i + 1,
    date: r.date,
    month: MONTHS[month],
    season: season(month),
    precipitation: Number(r.precipitation),
    temp_max: Number(r.temp_max),
    temp_min: Number(r.temp_min),
    wind,
    wind_level: wind < 2.5 ? 'calm' : wind < 5 ? 'breezy' : 'windy',
    label: r.weather,
    _month: month,
  };
});

// Features: standardised numerics, cyclic month, log precipitation.
function features(r) {
  return [
    Math.log1p(r.precipitation),
    r.temp_max,
    r.temp_min,
    r.temp_max - r.temp_min,
    r.wind,
    Math.sin((2 * Math.PI * r._month) / 12),
    Math.cos((2 * Math.PI * r._month) / 12),
  ];
}
const X = rows.map(features);
const d = X[0].length;
const mean = Array.from({ length: d }, (_, j) => X.reduce((a, x) => a + x[j], 0) / X.length);
const sd = Array.from(
  { length: d },
  (_, j) => Math.sqrt(X.reduce((a, x) => a + (x[j] - mean[j]) ** 2, 0) / X.length) || 1,
);
const Z = X.map((x) => [1, ...x.map((v, j) => (v - mean[j]) / sd[j])]);
const Y = rows.map((r) => classes.indexOf(r.label));
const K = classes.length;

function softmax(z) {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}
function train(idx) {
  const W = Array.from({ length: K }, () => new Array(d + 1).fill(0));
  const lr = 0.5,
    l2 = 1e-3;
  for (let it = 0; it < 400; it++) {
    const G = Array.from({ length: K }, () => new Array(d + 1).fill(0));
    for (const i of idx) {
      const p = softmax(W.map((w) => w.reduce((a, wj, j) => a + wj * Z[i][j], 0)));
      for (let k = 0; k < K; k++) {
        const g = p[k] - (Y[i] === k ? 1 : 0);
        for (let j = 0; j <= d; j++) G[k][j] += g * Z[i][j];
      }
    }
    for (let k = 0; k < K; k++) for (let j = 0; j <= d; j++) W[k][j] -= lr * (G[k][j] / idx.length + l2 * W[k][j]);
  }
  return W;
}
const folds = 5;
const probs = new Array(rows.length);
for (let f = 0; f < folds; f++) {
  const trainIdx = rows.map((_, i) => i).filter((i) => i % folds !== f);
  const W = train(trainIdx);
  for (let i = f; i < rows.length; i += folds)
    probs[i] = softmax(W.map((w) => w.reduce((a, wj, j) => a + wj * Z[i][j], 0)));
}
const out = rows.map((r, i) => {
  const { _month, ...rest } = r;
  const p = probs[i];
  const best = p.indexOf(Math.max(...p));
  const o = { ...rest, pred: classes[best] };
  classes.forEach((c, k) => (o[`prob_${c}`] = Number(p[k].toPrecision(17))));
  return o;
});
mkdirSync('public/demo', { recursive: true });
writeFileSync('public/demo/seattle-weather.csv', csvFormat(out) + '\n');
const acc = out.filter((r) => r.pred === r.label).length / out.length;
console.log(
  `wrote public/demo/seattle-weather.csv: ${out.length} rows, classes ${classes.join(', ')}, cross-validated accuracy ${acc.toFixed(3)}`,
);
