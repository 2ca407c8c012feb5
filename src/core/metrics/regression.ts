import type { RegressionData } from './data';
import { EPS, type Weights } from './classification';
import { argsortDesc } from './sort';

export interface RegressionMetrics {
  mae: number;
  mse: number;
  rmse: number;
  r2: number;
  median_absolute_error: number;
  max_error: number;
  mape: number;
}

/**
 * Regression metrics as scikit-learn 1.2 defines them: MAE, MSE, RMSE = √MSE,
 * R² = 1 − SS_res / SS_tot (1 when both are 0, 0 when only SS_tot is), the median of |y − ŷ|
 * (mean of the two middle values for an even count), max |y − ŷ|, and
 * MAPE = mean |y − ŷ| / max(|y|, eps).
 */
export function regressionMetrics(d: RegressionData, w: Weights): RegressionMetrics {
  let total = 0;
  let sy = 0;
  for (let i = 0; i < d.n; i++) {
    const wi = w ? w[i] : 1;
    total += wi;
    sy += wi * d.y[i];
  }
  const mean = sy / total;
  let abs = 0;
  let sq = 0;
  let tot = 0;
  let max = 0;
  let ape = 0;
  const err = new Float64Array(d.n);
  for (let i = 0; i < d.n; i++) {
    const wi = w ? w[i] : 1;
    const e = Math.abs(d.y[i] - d.pred[i]);
    err[i] = e;
    if (wi === 0) continue;
    abs += wi * e;
    sq += wi * e * e;
    tot += wi * (d.y[i] - mean) ** 2;
    if (e > max) max = e;
    ape += (wi * e) / Math.max(Math.abs(d.y[i]), EPS);
  }
  const mse = sq / total;
  return {
    mae: abs / total,
    mse,
    rmse: Math.sqrt(mse),
    r2: tot === 0 ? (sq === 0 ? 1 : 0) : 1 - sq / tot,
    median_absolute_error: weightedMedian(err, w, total),
    max_error: total > 0 ? max : NaN,
    mape: ape / total,
  };
}

/** The median of `v` with each value repeated w[i] times (the plain median when w is null). */
function weightedMedian(v: Float64Array, w: Weights, total: number): number {
  if (total === 0) return NaN;
  const order = argsortDesc(v).reverse();
  // 0-based positions of the middle element(s) in the expanded, ascending list.
  const lo = Math.floor((total - 1) / 2);
  const hi = Math.floor(total / 2);
  let seen = 0;
  let a = NaN;
  for (let r = 0; r < order.length; r++) {
    const i = order[r];
    seen += w ? w[i] : 1;
    if (Number.isNaN(a) && seen > lo) a = v[i];
    if (seen > hi) return (a + v[i]) / 2;
  }
  return a;
}
