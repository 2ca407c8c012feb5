import { classRank, type ClassificationData, type RowStats } from './data';

/** Confusion matrix, row-major K × K: rows are the true class, columns the predicted class. */
export function confusion(d: ClassificationData): Float64Array {
  const k = d.classes.length;
  // Counted in integers (faster than incrementing doubles), returned as doubles.
  const counts = new Uint32Array(k * k);
  const { y, pred, n } = d;
  for (let i = 0; i < n; i++) counts[y[i] * k + pred[i]]++;
  return Float64Array.from(counts);
}

export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
  /** How many rows were predicted as this class. */
  predicted: number;
}

export interface ConfusionMetrics {
  accuracy: number;
  error_rate: number;
  balanced_accuracy: number;
  macro_precision: number;
  macro_recall: number;
  macro_f1: number;
  weighted_f1: number;
  micro_f1: number;
  cohen_kappa: number;
  mcc: number;
  perClass: ClassScores[];
}

/**
 * Every metric that needs only the confusion matrix, as scikit-learn 1.2 defines it:
 * precision, recall and F1 with zero_division = 0; `macro_*` the unweighted mean over the classes
 * present in the labels or predictions; `weighted_f1` weighted by support; `micro_f1` pooled
 * (= accuracy for single-label data); balanced accuracy the mean recall over classes with
 * support; Cohen's kappa 1 − Σ w·C / Σ w·E with E the outer product of the margins / N;
 * MCC (c·s − t·p) / √((s² − p·p)(s² − t·t)), 0 when a factor is 0.
 */
export function confusionMetrics(m: Float64Array, k: number): ConfusionMetrics {
  const t = new Float64Array(k); // true counts (support)
  const p = new Float64Array(k); // predicted counts
  let total = 0;
  let correct = 0;
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      const v = m[a * k + b];
      t[a] += v;
      p[b] += v;
      total += v;
    }
    correct += m[a * k + a];
  }
  const perClass: ClassScores[] = [];
  let present = 0;
  let withSupport = 0;
  let sumP = 0;
  let sumR = 0;
  let sumF = 0;
  let sumWF = 0;
  let sumRecallSupported = 0;
  for (let c = 0; c < k; c++) {
    const tp = m[c * k + c];
    const precision = p[c] > 0 ? tp / p[c] : 0;
    const recall = t[c] > 0 ? tp / t[c] : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    perClass.push({ precision, recall, f1, support: t[c], predicted: p[c] });
    if (t[c] > 0 || p[c] > 0) {
      present++;
      sumP += precision;
      sumR += recall;
      sumF += f1;
      sumWF += f1 * t[c];
    }
    if (t[c] > 0) {
      withSupport++;
      sumRecallSupported += recall;
    }
  }
  const accuracy = total > 0 ? correct / total : NaN;
  let offObserved = 0;
  let offExpected = 0;
  let dotTP = 0;
  let dotPP = 0;
  let dotTT = 0;
  for (let a = 0; a < k; a++) {
    dotTP += t[a] * p[a];
    dotPP += p[a] * p[a];
    dotTT += t[a] * t[a];
    for (let b = 0; b < k; b++) {
      if (a === b) continue;
      offObserved += m[a * k + b];
      offExpected += (p[a] * t[b]) / total;
    }
  }
  const covYP = correct * total - dotTP;
  const covPP = total * total - dotPP;
  const covYY = total * total - dotTT;
  return {
    accuracy,
    error_rate: 1 - accuracy,
    balanced_accuracy: withSupport ? sumRecallSupported / withSupport : NaN,
    macro_precision: present ? sumP / present : NaN,
    macro_recall: present ? sumR / present : NaN,
    macro_f1: present ? sumF / present : NaN,
    weighted_f1: total > 0 ? sumWF / total : NaN,
    micro_f1: accuracy,
    cohen_kappa: 1 - offObserved / offExpected,
    mcc: covPP * covYY === 0 ? 0 : covYP / Math.sqrt(covYY * covPP),
    perClass,
  };
}

/** scikit-learn's log-loss clipping: np.finfo(float64).eps. */
export const EPS = 2.220446049250313e-16;
export const ECE_BINS = 15;

export interface ProbabilityMetrics {
  log_loss: number;
  brier: number;
  ece: number;
  roc_auc: number;
  average_precision: number;
  top_2_accuracy: number;
  top_3_accuracy: number;
}

/**
 * Metrics of the probabilities (NaN when a row's probabilities are missing):
 * - log loss: natural log, p clipped to [eps, 1 − eps], each row renormalised, over all classes;
 * - Brier: binary mean (p_pos − y)²; multiclass mean of Σ_k (p_k − 1[y = k])²;
 * - ECE: top-label confidence c, 15 equal-width bins, bin ⌈15c⌉ − 1 clipped to [0, 14],
 *   Σ_b (n_b / N)·|accuracy_b − confidence_b|, where the top label is the argmax (ties to the first);
 * - ROC-AUC and average precision: binary of the positive class; multiclass one-vs-rest over every
 *   class, as scikit-learn 1.2 on label_binarize(y, classes) (see `ovrMacro`);
 * - top-k accuracy: the true class among the k highest (ties as scikit-learn: the later class first);
 *   NaN when k ≥ K.
 */
export function probabilityMetrics(d: ClassificationData): ProbabilityMetrics {
  const sums = new ProbabilitySums();
  sums.add(d);
  const ranks = d.positive !== null ? [d.positive] : d.classes.map((_, c) => c);
  return sums.metrics(
    d.classes.length,
    ranks.map((c) => rankMetrics(d, c)),
  );
}

/**
 * The sums behind the probability metrics, added to row by row: a dataset at once, or the
 * batches of a stream in file order (the same additions in the same order, so the same values).
 */
export class ProbabilitySums {
  rows = 0;
  private ll = 0;
  private brier = 0;
  private top2 = 0;
  private top3 = 0;
  private readonly binN = new Float64Array(ECE_BINS);
  private readonly binConf = new Float64Array(ECE_BINS);
  private readonly binHit = new Float64Array(ECE_BINS);

  add(d: ClassificationData): void {
    const { ll, sq, conf, bin, hit, above } = rowStats(d);
    const { binN, binConf, binHit } = this;
    let { ll: sumLl, brier, top2, top3 } = this;
    for (let i = 0, n = d.n; i < n; i++) {
      sumLl += ll[i];
      brier += sq[i];
      if (above[i] < 2) top2++;
      if (above[i] < 3) top3++;
      const b = bin[i];
      binN[b]++;
      binConf[b] += conf[i];
      binHit[b] += hit[i];
    }
    Object.assign(this, { ll: sumLl, brier, top2, top3, rows: this.rows + d.n });
  }

  /** The metrics of `k` classes, with the AUC and AP of the ranked classes (the positive one, or every class). */
  metrics(k: number, ranks: { auc: number; ap: number }[]): ProbabilityMetrics {
    const { binN, binConf, binHit, rows: total } = this;
    let ece = 0;
    for (let b = 0; b < ECE_BINS; b++)
      if (binN[b] > 0) ece += (binN[b] / total) * Math.abs(binHit[b] / binN[b] - binConf[b] / binN[b]);
    const { auc, ap } = ranks.length === 1 ? ranks[0] : ovrMacro(ranks);
    return {
      log_loss: this.ll / total,
      brier: this.brier / total,
      ece: total > 0 ? ece : NaN,
      roc_auc: auc,
      average_precision: ap,
      top_2_accuracy: k > 2 ? this.top2 / total : NaN,
      top_3_accuracy: k > 3 ? this.top3 / total : NaN,
    };
  }
}

/**
 * ROC-AUC and average precision swept over groups of equal score, highest first: each group's
 * positive and negative rows are added, as `rankMetrics` adds them at each distinct threshold.
 */
export class RankSweep {
  private tp = 0;
  private fp = 0;
  private area = 0;
  private ap = 0;

  /** Rows added so far. */
  get rows(): number {
    return this.tp + this.fp;
  }

  add(pos: number, neg: number): void {
    const tp0 = this.tp;
    this.tp += pos;
    this.fp += neg;
    if (pos > 0) this.ap += pos * (this.tp / (this.tp + this.fp));
    this.area += (neg * (this.tp + tp0)) / 2;
  }

  result(): { auc: number; ap: number } {
    return aucAp(this.tp, this.fp, this.area, this.ap);
  }
}

/** The per-row terms of the probability metrics (cached on `d`; a subset takes its rows' from its parent). */
export function rowStats(d: ClassificationData): RowStats {
  if (d.stats) return d.stats;
  const k = d.classes.length;
  const probs = d.probs!;
  const n = d.n;
  const st: RowStats = {
    ll: new Float64Array(n),
    sq: new Float64Array(n),
    conf: new Float64Array(n),
    bin: new Uint8Array(n),
    hit: new Uint8Array(n),
    above: new Uint8Array(n),
  };
  const positive = d.positive;
  if (k === 2) {
    binaryRowStats(d.y, probs[0], probs[1], positive, st);
    return (d.stats = st);
  }
  // One pass over a row's classes for every term (the sums in class order, as before).
  const ys = d.y;
  for (let i = 0; i < n; i++) {
    const y = ys[i];
    const py = probs[y][i];
    let best = 0;
    let bp = -Infinity;
    let above = 0;
    let clipped = 0;
    let sq = 0;
    for (let c = 0; c < k; c++) {
      const p = probs[c][i];
      if (p > bp) ((bp = p), (best = c));
      if (p > py || (p === py && c > y)) above++;
      clipped += clip(p);
      sq += (p - (c === y ? 1 : 0)) ** 2;
    }
    // Log loss: −log of the clipped, renormalised probability of the true class. Brier: binary
    // (p_pos − y)², multiclass Σ_k (p_k − 1[y = k])².
    st.ll[i] = -Math.log(clip(py) / clipped);
    st.sq[i] = positive !== null ? (probs[positive][i] - (y === positive ? 1 : 0)) ** 2 : sq;
    st.conf[i] = bp;
    st.bin[i] = eceBin(bp);
    st.hit[i] = best === y ? 1 : 0;
    st.above[i] = Math.min(255, above);
  }
  return (d.stats = st);
}

/** rowStats of two classes: the same terms, added in the same order, without the loop over classes. */
function binaryRowStats(
  ys: Int32Array,
  p0s: Float64Array,
  p1s: Float64Array,
  positive: number | null,
  st: RowStats,
): void {
  for (let i = 0; i < ys.length; i++) {
    const y = ys[i];
    const p0 = p0s[i];
    const p1 = p1s[i];
    const py = y === 0 ? p0 : p1;
    let best = 0;
    let bp = -Infinity;
    if (p0 > bp) bp = p0;
    if (p1 > bp) ((bp = p1), (best = 1));
    const above = (p0 > py || (p0 === py && 0 > y) ? 1 : 0) + (p1 > py || (p1 === py && 1 > y) ? 1 : 0);
    const d0 = p0 - (y === 0 ? 1 : 0);
    const d1 = p1 - (y === 1 ? 1 : 0);
    st.ll[i] = -Math.log(clip(py) / (clip(p0) + clip(p1)));
    st.sq[i] = positive === 0 ? d0 * d0 : positive === 1 ? d1 * d1 : d0 * d0 + d1 * d1;
    st.conf[i] = bp;
    st.bin[i] = eceBin(bp);
    st.hit[i] = best === y ? 1 : 0;
    st.above[i] = above;
  }
}

/**
 * One-vs-rest macro ROC-AUC and average precision from each class's, as scikit-learn 1.2 gives them
 * on label_binarize(y, classes): a class with no positive rows has AP 0 (its recall is taken as 1)
 * and AP is the mean over every class; ROC-AUC is undefined (NaN, where scikit-learn raises) when
 * any class has no positive or no negative rows, e.g. a slice with one true class.
 */
export function ovrMacro(per: { auc: number; ap: number }[]): { auc: number; ap: number } {
  const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
  return {
    auc: per.some((r) => Number.isNaN(r.auc)) ? NaN : mean(per.map((r) => r.auc)),
    ap: mean(per.map((r) => r.ap)),
  };
}

/** ECE bin of a top-label confidence: ⌈15c⌉ − 1 clipped to [0, 14]. */
const eceBin = (c: number) => Math.min(ECE_BINS - 1, Math.max(0, Math.ceil(ECE_BINS * c) - 1));

const clip = (p: number) => (p < EPS ? EPS : p > 1 - EPS ? 1 - EPS : p);

/**
 * ROC-AUC (trapezoids over distinct thresholds, as scikit-learn's roc_curve + auc) and average
 * precision (Σ (R_i − R_{i−1})·P_i over distinct thresholds, highest first) of class `c` against
 * the rest. NaN when the rows hold no positives (or, for AUC, no negatives).
 */
export function rankMetrics(d: ClassificationData, c: number): { auc: number; ap: number } {
  const rank = classRank(d, c);
  // Kept on the rank: the metrics and the curves ask for them of the same rows.
  if (rank.metrics) return rank.metrics;
  const { order, pos, last } = rank;
  const sweep = new RankSweep();
  let p = 0;
  for (let r = 0; r < order.length; r++) {
    p += pos[r];
    if (!last[r]) continue;
    // The rows since the last distinct score: p positives, the rest negatives.
    sweep.add(p, r + 1 - sweep.rows - p);
    p = 0;
  }
  return (rank.metrics = sweep.result());
}

/** AUC and AP from the totals of a ranking: AUC needs both kinds of row; AP is 0 with no positive row (as scikit-learn 1.2). */
export function aucAp(tp: number, fp: number, area: number, ap: number): { auc: number; ap: number } {
  return { auc: tp > 0 && fp > 0 ? area / (tp * fp) : NaN, ap: tp > 0 ? ap / tp : fp > 0 ? 0 : NaN };
}
