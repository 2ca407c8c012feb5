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

/**
 * Numbers in the app, one set of rules: metrics with three decimals (four significant digits from 10
 * on), deltas the same with a sign, probabilities with three decimals or in e-notation below 0.001,
 * intervals as [lo, hi] (bootstrap intervals are rarely symmetric, so never ±).
 */
export function formatMetric(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1e5) return v.toExponential(2);
  if (a >= 100) return v.toFixed(1);
  return v.toFixed(a >= 10 ? 2 : 3).replace(/^-/, '−');
}

/** A difference: signed, in the metric's precision; "≈ 0" for a non-zero change that rounds away. */
export function formatDelta(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  const t = formatMetric(Math.abs(v));
  if (v !== 0 && /^0\.0+$/.test(t)) return '≈ 0';
  return `${v >= 0 ? '+' : '−'}${t}`;
}

/** A probability or score in [0, 1]: 0.920, 0.016, 1.4e-7. */
export function formatProb(p: number | null | undefined): string {
  if (p === null || p === undefined || Number.isNaN(p)) return '—';
  return p !== 0 && Math.abs(p) < 1e-3 ? p.toExponential(1) : p.toFixed(3);
}

/** An interval as [lo, hi]. */
export function formatInterval(iv: [number, number] | null | undefined): string {
  return iv ? `[${formatMetric(iv[0])}, ${formatMetric(iv[1])}]` : '';
}
