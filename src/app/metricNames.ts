/** Display names of metrics, and which need probabilities. */
export const METRIC_NAMES: Record<string, string> = {
  accuracy: 'Accuracy',
  error_rate: 'Error rate',
  balanced_accuracy: 'Balanced accuracy',
  macro_precision: 'Precision (macro)',
  macro_recall: 'Recall (macro)',
  macro_f1: 'F1 (macro)',
  weighted_f1: 'F1 (weighted)',
  micro_f1: 'F1 (micro)',
  cohen_kappa: "Cohen's kappa",
  mcc: 'MCC',
  log_loss: 'Log loss',
  ece: 'Expected calibration error',
  roc_auc: 'ROC-AUC',
  average_precision: 'Average precision',
  brier: 'Brier score',
  top_2_accuracy: 'Top-2 accuracy',
  top_3_accuracy: 'Top-3 accuracy',
  mae: 'Mean absolute error',
  mse: 'Mean squared error',
  rmse: 'Root mean squared error',
  r2: 'R²',
  median_absolute_error: 'Median absolute error',
  max_error: 'Max error',
  mape: 'Mean absolute percentage error',
};

export const PROBABILITY_METRICS = new Set(['log_loss', 'ece', 'roc_auc', 'average_precision', 'brier', 'top_2_accuracy', 'top_3_accuracy']);
/** Metrics whose interval is Wilson's (the others are bootstrapped). */
export const WILSON_METRICS = new Set(['accuracy', 'error_rate', 'micro_f1', 'top_2_accuracy', 'top_3_accuracy']);
/** Lower is better for these. */
export const LOWER_IS_BETTER = new Set(['error_rate', 'log_loss', 'ece', 'brier', 'mae', 'mse', 'rmse', 'median_absolute_error', 'max_error', 'mape']);

/** A metric value with 3–4 significant digits. */
export function formatMetric(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2);
  if (a >= 100) return v.toFixed(1);
  return v.toFixed(a >= 10 ? 2 : 3);
}

/** ± the half-width of an interval, in the value's precision. */
export function formatHalfWidth(iv: [number, number] | null | undefined): string {
  if (!iv) return '';
  const h = (iv[1] - iv[0]) / 2;
  return h > 0 && h < 0.0005 ? '± <0.001' : `± ${formatMetric(h)}`;
}
