import type { RegressionData } from './data';
import { EPS } from './classification';

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
export function regressionMetrics(d: RegressionData): RegressionMetrics {
  const n = d.n;
  let sy = 0;
  for (let i = 0; i < n; i++) sy += d.y[i];
  const mean = sy / n;
  let abs = 0;
  let sq = 0;
  let tot = 0;
  let max = 0;
  let ape = 0;
  const err = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const e = Math.abs(d.y[i] - d.pred[i]);
    err[i] = e;
    abs += e;
    sq += e * e;
    tot += (d.y[i] - mean) ** 2;
    if (e > max) max = e;
    ape += e / Math.max(Math.abs(d.y[i]), EPS);
  }
  err.sort();
  const mse = sq / n;
  return {
    mae: abs / n,
    mse,
    rmse: Math.sqrt(mse),
    r2: tot === 0 ? (sq === 0 ? 1 : 0) : 1 - sq / tot,
    median_absolute_error: n ? (err[Math.floor((n - 1) / 2)] + err[Math.floor(n / 2)]) / 2 : NaN,
    max_error: n > 0 ? max : NaN,
    mape: ape / n,
  };
}
