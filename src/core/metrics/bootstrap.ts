import { METRIC_CATALOGUE, type MetricInfo } from './catalogue';
import { confusionMetrics, ECE_BINS, EPS, ovrMacro, RankSweep, rowStats } from './classification';
import { classRank, type EvalData } from './data';
import { percentileInterval, type Interval } from '../stats/intervals';

export const BOOTSTRAP_RESAMPLES = 1000;
export const BOOTSTRAP_SEED = 20211;

/** Metrics whose interval is a percentile bootstrap (the proportions get Wilson intervals). */
const bootstrapped = (m: MetricInfo) => m.interval === 'bootstrap';
type Boot<T> = T extends { interval: 'bootstrap'; key: infer K } ? K : never;
export const BOOTSTRAP_CLASSIFICATION = METRIC_CATALOGUE.filter(
  (m) => bootstrapped(m) && m.task === 'classification' && !m.probabilities,
).map((m) => m.key) as Boot<Extract<MetricInfo, { task: 'classification'; probabilities: false }>>[];
export const BOOTSTRAP_PROBABILITY = METRIC_CATALOGUE.filter((m) => bootstrapped(m) && m.probabilities).map(
  (m) => m.key,
) as Boot<Extract<MetricInfo, { probabilities: true }>>[];
export const BOOTSTRAP_REGRESSION = METRIC_CATALOGUE.filter((m) => bootstrapped(m) && m.task === 'regression').map(
  (m) => m.key,
) as Boot<Extract<MetricInfo, { task: 'regression' }>>[];

/** mulberry32: a small seeded PRNG, so that intervals are the same on every run and machine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Resample `b`'s draws: `m` row numbers drawn uniformly with replacement from n, in ascending
 * order (uniform order statistics from exponential spacings, so no sort is needed and the rows are
 * then read front to back). Each resample has its own seed, so any split of the resamples over
 * workers gives the same replicates.
 */
export function resampleDraws(n: number, m: number, seed: number, b: number, out = new Uint32Array(m)): Uint32Array {
  const rand = mulberry32(Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) ^ Math.imul(b + 1, 0x85ebca6b));
  // S_j = E_1 + … + E_j with E ~ Exp(1); S_1 / S_{m+1} … S_m / S_{m+1} are m sorted uniforms.
  if (sums.length < m) sums = new Float64Array(m);
  let total = 0;
  for (let j = 0; j < m; j++) sums[j] = total -= Math.log(1 - rand());
  total -= Math.log(1 - rand());
  for (let j = 0; j < m; j++) out[j] = Math.min(n - 1, Math.floor((sums[j] / total) * n));
  return out;
}
let sums = new Float64Array(0);

/** Resample `b` of the plain bootstrap as counts per row (how often each row was drawn). */
export function resampleCounts(n: number, seed: number, b: number): Uint32Array {
  const w = new Uint32Array(n);
  for (const i of resampleDraws(n, n, seed, b)) w[i]++;
  return w;
}

/**
 * Above this many rows a resample draws this many (the rescaled m-out-of-n bootstrap: each
 * replicate's deviation from the estimate is scaled by √(m/n); Bickel, Götze & van Zwet 1997), so
 * that 1000 resamples of a million rows take seconds. At or below it, the plain bootstrap.
 */
export const MAX_RESAMPLE_ROWS = 20_000;

/** The names of the replicated statistics for `d`, in the order `replicates` fills them. */
export function replicateNames(d: EvalData): string[] {
  if (d.task === 'regression') return [...BOOTSTRAP_REGRESSION];
  return [...BOOTSTRAP_CLASSIFICATION, ...(d.probs ? BOOTSTRAP_PROBABILITY : []), ...d.classes.map((c) => `f1:${c}`)];
}

/** Past this many distinct scores, rank metrics in resamples use this many score bins (see `prepare`). */
export const MAX_RANK_BINS = 16384;

/**
 * What a resample reads of a row, packed one record per row (array of structs), so that taking a
 * row copies one record (see `gather`).
 */
interface Records {
  /** Record size in doubles. */
  stride: number;
  f64: Float64Array;
}

/**
 * Classification record: 3 doubles (log loss, Brier term, top-label confidence), then 16-bit
 * slots: true class, predicted class, ECE bin | top label right << 8, and the score bin of each
 * ranked class.
 */
interface ClassificationPrep extends Records {
  task: 'classification';
  k: number;
  u16: Uint16Array;
  hasProbs: boolean;
  /** Classes whose AUC / AP is computed (binary: the positive one), and their number of score bins. */
  rank: { cls: number; bins: number }[];
}

/** Regression record: absolute error, absolute percentage error, and y minus its mean (for a stable SS_tot). */
interface RegressionPrep extends Records {
  task: 'regression';
}

/**
 * Per-row values every resample reuses, so that one resample is one pass over the rows.
 * ROC-AUC and average precision are computed from weighted counts per distinct score (exactly as
 * `rankMetrics`); with more than MAX_RANK_BINS distinct scores, neighbouring scores share a bin,
 * which moves a resample's AUC by at most the share of pairs within one bin (about 1/16384) —
 * inside the interval's width at that many rows.
 */
async function prepare(d: EvalData, pause?: Pause): Promise<ClassificationPrep | RegressionPrep> {
  if (d.task === 'regression') {
    const { n, y, pred } = d;
    const f64 = new Float64Array(n * 3);
    let mean = 0;
    for (let i = 0; i < n; i++) mean += y[i];
    mean /= n;
    for (let i = 0; i < n; i++) {
      const err = Math.abs(y[i] - pred[i]);
      f64[3 * i] = err;
      f64[3 * i + 1] = err / Math.max(Math.abs(y[i]), EPS);
      f64[3 * i + 2] = y[i] - mean;
    }
    return { task: 'regression', stride: 3, f64 };
  }
  const k = d.classes.length;
  const ranked = !d.probs ? [] : d.positive !== null ? [d.positive] : d.classes.map((_, c) => c);
  const stride = 3 + Math.ceil((3 + ranked.length) / 4);
  const buf = new ArrayBuffer(Math.max(1, d.n) * stride * 8);
  const f64 = new Float64Array(buf);
  const u16 = new Uint16Array(buf);
  const U = stride * 4;
  const { y, pred } = d;
  await inBlocks(d.n, pause, (from, to) => {
    for (let i = from; i < to; i++) {
      u16[i * U + 12] = y[i];
      u16[i * U + 13] = pred[i];
    }
  });
  const rank: ClassificationPrep['rank'] = [];
  for (const [j, cls] of ranked.entries()) {
    const { order, last, groups } = classRank(d, cls);
    let g = 0;
    await inBlocks(order.length, pause, (from, to) => {
      for (let r = from; r < to; r++) {
        u16[order[r] * U + 15 + j] = groups > MAX_RANK_BINS ? Math.floor((g * MAX_RANK_BINS) / groups) : g;
        if (last[r]) g++;
      }
    });
    rank.push({ cls, bins: Math.min(groups, MAX_RANK_BINS) });
  }
  if (d.probs) {
    const st = rowStats(d);
    await inBlocks(d.n, pause, (from, to) => {
      for (let i = from; i < to; i++) {
        f64[i * stride] = st.ll[i];
        f64[i * stride + 1] = st.sq[i];
        f64[i * stride + 2] = st.conf[i];
        u16[i * U + 14] = st.bin[i] | (st.hit[i] << 8);
      }
    });
  }
  return { task: 'classification', k, stride, f64, u16, hasProbs: !!d.probs, rank };
}

/** Yields to waiting requests (the caller's tick; it may also cancel). */
type Pause = () => Promise<void> | void;

/** Rows worked through between pauses, so that a request waits for one block rather than every row. */
const BLOCK = 262_144;

/** Runs `work` over [0, n) a block at a time, pausing between blocks. */
async function inBlocks(n: number, pause: Pause | undefined, work: (from: number, to: number) => void): Promise<void> {
  for (let from = 0; from < n; from += BLOCK) {
    work(from, Math.min(n, from + BLOCK));
    await pause?.();
  }
}

/** AUC and AP from negative / positive counts per score bin (interleaved), highest scores first. */
function aucFromBins(counts: Uint32Array): { auc: number; ap: number } {
  const sweep = new RankSweep();
  for (let b = 0; b < counts.length; b += 2) sweep.add(counts[b + 1], counts[b]);
  return sweep.result();
}

/**
 * What a classification resample adds up row by row: the confusion matrix, the ECE bins, the log
 * loss and Brier sums, and the counts per score bin of every ranked class in one array (class c
 * starts at offsets[c]; its bin b holds negatives at 2b and positives at 2b + 1).
 */
interface Tally {
  rows: number;
  cm: Float64Array;
  eN: Float64Array;
  eC: Float64Array;
  eH: Float64Array;
  ll: number;
  br: number;
  counts: Uint32Array;
  offsets: number[];
}

function newTally(prep: ClassificationPrep): Tally {
  const offsets: number[] = [];
  let size = 0;
  for (const r of prep.rank) (offsets.push(size), (size += 2 * r.bins));
  const t = { rows: 0, cm: new Float64Array(prep.k * prep.k), ll: 0, br: 0, counts: new Uint32Array(size), offsets };
  return { ...t, eN: new Float64Array(ECE_BINS), eC: new Float64Array(ECE_BINS), eH: new Float64Array(ECE_BINS) };
}

function clearTally(t: Tally): Tally {
  for (const a of [t.cm, t.eN, t.eC, t.eH, t.counts]) a.fill(0);
  t.rows = t.ll = t.br = 0;
  return t;
}

/** The regression statistics of records [from, to) of `rec` (regression records, see `RegressionPrep`). */
function replicateRegression(rec: Float64Array, from: number, to: number): number[] {
  let total = 0;
  let abs = 0;
  let sq = 0;
  let ape = 0;
  let sy = 0;
  let syy = 0;
  let max = 0;
  const errs = new Float64Array(to - from);
  for (let j = 0, o = 3 * from; j < to - from; j++, o += 3) {
    const e = rec[o];
    const yc = rec[o + 2];
    errs[j] = e;
    total++;
    abs += e;
    sq += e * e;
    ape += rec[o + 1];
    sy += yc;
    syy += yc * yc;
    if (e > max) max = e;
  }
  const tot = syy - (sy * sy) / total;
  errs.sort();
  const median = total ? (errs[Math.floor((total - 1) / 2)] + errs[Math.floor(total / 2)]) / 2 : NaN;
  const mse = sq / total;
  return [abs / total, mse, Math.sqrt(mse), tot === 0 ? (sq === 0 ? 1 : 0) : 1 - sq / tot, median, max, ape / total];
}

/** Adds records [from, to) of `f64` (classification records of `prep`) to `t`. */
function tally(prep: ClassificationPrep, f64: Float64Array, from: number, to: number, t: Tally): void {
  const { k, stride, hasProbs, rank } = prep;
  const u16 = new Uint16Array(f64.buffer, f64.byteOffset, f64.length * 4);
  const U = stride * 4;
  const { cm, eN, eC, eH, counts, offsets } = t;
  const nr = rank.length;
  const cls = Int32Array.from(rank, (r) => r.cls);
  let ll = 0;
  let br = 0;
  for (let j = from; j < to; j++) {
    const o = j * stride;
    const u = j * U + 12;
    const y = u16[u];
    cm[y * k + u16[u + 1]]++;
    if (!hasProbs) continue;
    ll += f64[o];
    br += f64[o + 1];
    const e = u16[u + 2];
    const b = e & 255;
    eN[b]++;
    eC[b] += f64[o + 2];
    eH[b] += e >> 8;
    for (let c = 0; c < nr; c++) counts[offsets[c] + ((u16[u + 3 + c] << 1) | +(y === cls[c]))]++;
  }
  t.ll += ll;
  t.br += br;
  t.rows += to - from;
}

/** The replicated statistics of a tally, in `replicateNames` order. */
function tallied(prep: ClassificationPrep, t: Tally): number[] {
  const { k, hasProbs, rank } = prep;
  const { cm, eN, eC, eH, counts, offsets, rows: total } = t;
  const c = confusionMetrics(cm, k);
  const row: number[] = BOOTSTRAP_CLASSIFICATION.map((key) => c[key]);
  if (hasProbs) {
    let ece = 0;
    for (let b = 0; b < ECE_BINS; b++) if (eN[b] > 0) ece += (eN[b] / total) * Math.abs(eH[b] / eN[b] - eC[b] / eN[b]);
    const ranks = rank.map((r, c) => aucFromBins(counts.subarray(offsets[c], offsets[c] + 2 * r.bins)));
    const { auc, ap } = ranks.length === 1 ? ranks[0] : ovrMacro(ranks);
    const values: Record<(typeof BOOTSTRAP_PROBABILITY)[number], number> = {
      log_loss: t.ll / total,
      ece,
      roc_auc: auc,
      average_precision: ap,
      brier: t.br / total,
    };
    for (const key of BOOTSTRAP_PROBABILITY) row.push(values[key]);
  }
  // A class absent from a resample has no F1 of its own there.
  for (const pc of c.perClass) row.push(pc.support > 0 || pc.predicted > 0 ? pc.f1 : NaN);
  return row;
}

/**
 * Bootstrap replicates for resamples [from, to): a Float64Array of (to − from) × names values,
 * already rescaled when resamples draw fewer rows than the data has (see MAX_RESAMPLE_ROWS).
 * `tick` is called after each resample (progress, cancellation).
 */
export async function replicates(
  d: EvalData,
  from: number,
  to: number,
  seed = BOOTSTRAP_SEED,
  tick?: (done: number) => Promise<void> | void,
): Promise<Float64Array> {
  const names = replicateNames(d);
  const out = new Float64Array((to - from) * names.length);
  const { prep, release } = await prepared(d, tick && (() => tick(0)));
  try {
    await resample(prep, d.n, from, to, seed, names.length, out, tick);
  } finally {
    release();
  }
  return out;
}

/**
 * A classification prep kept per probability arrays (with their labels and positive class). A
 * threshold step changes only the predictions, so its bootstrap rewrites one slot per row instead
 * of ranking the probabilities and computing every row's terms again. A prep in use by another
 * run with other predictions is not shared (a fresh one is made).
 */
let kept = new WeakMap<object, KeptPrep>();

/** Lets the kept preps go (the user left the view that computes intervals: other views need the memory). */
export function forgetPrepared(): void {
  kept = new WeakMap();
}
type KeptPrep = { y: Int32Array; positive: number | null; pred: Int32Array; prep: ClassificationPrep; users: number };

async function prepared(
  d: EvalData,
  pause?: Pause,
): Promise<{ prep: ClassificationPrep | RegressionPrep; release: () => void }> {
  const own = async () => ({ prep: await prepare(d, pause), release: () => {} });
  if (d.task === 'regression' || !d.probs) return own();
  let entry = kept.get(d.probs);
  if (entry && entry.y === d.y && entry.positive === d.positive) {
    if (entry.pred !== d.pred) {
      if (entry.users > 0) return own();
      const { u16, stride } = entry.prep;
      const { n, pred } = d;
      for (let i = 0, U = stride * 4; i < n; i++) u16[i * U + 13] = pred[i];
      entry.pred = d.pred;
    }
  } else {
    const prep = (await prepare(d, pause)) as ClassificationPrep;
    entry = { y: d.y, positive: d.positive, pred: d.pred, prep, users: 0 };
    kept.set(d.probs, entry);
  }
  const e = entry;
  e.users++;
  return { prep: e.prep, release: () => e.users-- };
}

/**
 * Resamples gathered together hold about this many rows in all (a batch's records, ~20 MB with
 * probabilities of five classes).
 */
const BATCH_ROWS = 1 << 19;

/** Rows per block of `gather`: one block of records stays in the cache while every resample of a batch takes its rows. */
const GATHER_ROWS = 4096;
let warm = 0;

/**
 * Copies the records of `count` resamples' draws (resample r's m sorted draws at draws[r·m…]) into
 * `out`, resample after resample. Taking each resample's rows from the whole table in turn missed
 * the cache (and the TLB) on every row, ~100 ns each. Here the table is read once per batch, a
 * block at a time: the block is first read front to back (which the CPU prefetches), then every
 * resample of the batch takes its rows from it while it is in the cache. 1000 resamples of a
 * million rows: 2.0 s of copying before, 0.3 s now (Node, 2 cores).
 */
function gather({ stride, f64 }: Records, n: number, draws: Uint32Array, m: number, count: number, out: Float64Array) {
  const next = new Uint32Array(count);
  for (let lo = 0; lo < n; lo += GATHER_ROWS) {
    const hi = Math.min(n, lo + GATHER_ROWS);
    // One read per 64-byte cache line, kept in a module variable so that it is not optimised away.
    for (let i = lo * stride, end = hi * stride; i < end; i += 8) warm += f64[i];
    for (let r = 0; r < count; r++) {
      const base = r * m;
      let j = next[r];
      for (; j < m && draws[base + j] < hi; j++) {
        const i = draws[base + j] * stride;
        const o = (base + j) * stride;
        for (let s = 0; s < stride; s++) out[o + s] = f64[i + s];
      }
      next[r] = j;
    }
  }
}

async function resample(
  prep: ClassificationPrep | RegressionPrep,
  n: number,
  from: number,
  to: number,
  seed: number,
  width: number,
  out: Float64Array,
  tick?: (done: number) => Promise<void> | void,
): Promise<void> {
  const m = Math.min(n, MAX_RESAMPLE_ROWS);
  const scale = Math.sqrt(m / n);
  const t = prep.task === 'classification' ? newTally(prep) : null;
  const point = scale < 1 ? await estimate(prep, n, t, tick) : null;
  // A small table is in the cache anyway: its batch holds at most four times its rows.
  const batch = Math.max(1, Math.min(to - from, Math.floor(Math.min(BATCH_ROWS, 4 * n) / Math.max(1, m))));
  const draws = new Uint32Array(batch * m);
  const rows = new Float64Array(batch * m * prep.stride);
  for (let b0 = from; b0 < to; b0 += batch) {
    const count = Math.min(batch, to - b0);
    for (let r = 0; r < count; r++) resampleDraws(n, m, seed, b0 + r, draws.subarray(r * m, (r + 1) * m));
    gather(prep, n, draws, m, count, rows);
    for (let r = 0; r < count; r++) {
      const row = t
        ? (tally(prep as ClassificationPrep, rows, r * m, (r + 1) * m, clearTally(t)),
          tallied(prep as ClassificationPrep, t))
        : replicateRegression(rows, r * m, (r + 1) * m);
      if (point) for (let j = 0; j < row.length; j++) row[j] = point[j] + scale * (row[j] - point[j]);
      out.set(row, (b0 + r - from) * width);
      await tick?.(b0 + r - from + 1);
    }
  }
}

/**
 * The statistics on every row, which rescaled replicates spread around. Classification adds the
 * rows up a block at a time, yielding between blocks (a request waits for one block, not n rows).
 */
async function estimate(
  prep: ClassificationPrep | RegressionPrep,
  n: number,
  t: Tally | null,
  tick?: (done: number) => Promise<void> | void,
): Promise<number[]> {
  if (!t) return replicateRegression(prep.f64, 0, n);
  clearTally(t);
  await inBlocks(n, tick && (() => tick(0)), (from, to) => tally(prep as ClassificationPrep, prep.f64, from, to, t));
  return tallied(prep as ClassificationPrep, t);
}

/** Percentile intervals from replicates (all resamples' rows concatenated). */
export function bootstrapIntervals(names: string[], values: Float64Array): Record<string, Interval | null> {
  const count = values.length / names.length;
  const out: Record<string, Interval | null> = {};
  names.forEach((name, j) => {
    const col = new Float64Array(count);
    for (let b = 0; b < count; b++) col[b] = values[b * names.length + j];
    out[name] = percentileInterval(col);
  });
  return out;
}
