/**
 * Every overall metric Loupe reports, once: its key (as in `loupe eval --json`), its name on screen,
 * its task, whether it needs class probabilities, how its 95% interval is made (Wilson's score
 * interval for a proportion, else a percentile bootstrap) and which direction is better. The
 * report's order, the app's tables, the gates' directions and the CLI's lists all read this.
 */
export const METRIC_CATALOGUE = [
  {
    key: 'accuracy',
    label: 'Accuracy',
    task: 'classification',
    probabilities: false,
    interval: 'wilson',
    better: 'higher',
  },
  {
    key: 'error_rate',
    label: 'Error rate',
    task: 'classification',
    probabilities: false,
    interval: 'wilson',
    better: 'lower',
  },
  {
    key: 'balanced_accuracy',
    label: 'Balanced accuracy',
    task: 'classification',
    probabilities: false,
    interval: 'bootstrap',
    better: 'higher',
  },
  {
    key: 'macro_precision',
    label: 'Precision (macro)',
    task: 'classification',
    probabilities: false,
    interval: 'bootstrap',
    better: 'higher',
  },
  {
    key: 'macro_recall',
    label: 'Recall (macro)',
    task: 'classification',
    probabilities: false,
    interval: 'bootstrap',
    better: 'higher',
  },
  {
    key: 'macro_f1',
    label: 'F1 (macro)',
    task: 'classification',
    probabilities: false,
    interval: 'bootstrap',
    better: 'higher',
  },
  {
    key: 'weighted_f1',
    label: 'F1 (weighted)',
    task: 'classification',
    probabilities: false,
    interval: 'bootstrap',
    better: 'higher',
  },
  {
    key: 'micro_f1',
    label: 'F1 (micro)',
    task: 'classification',
    probabilities: false,
    interval: 'wilson',
    better: 'higher',
  },
  {
    key: 'cohen_kappa',
    label: "Cohen's kappa",
    task: 'classification',
    probabilities: false,
    interval: 'bootstrap',
    better: 'higher',
  },
  { key: 'mcc', label: 'MCC', task: 'classification', probabilities: false, interval: 'bootstrap', better: 'higher' },
  {
    key: 'log_loss',
    label: 'Log loss',
    task: 'classification',
    probabilities: true,
    interval: 'bootstrap',
    better: 'lower',
  },
  {
    key: 'ece',
    label: 'Expected calibration error',
    task: 'classification',
    probabilities: true,
    interval: 'bootstrap',
    better: 'lower',
  },
  {
    key: 'roc_auc',
    label: 'ROC-AUC',
    task: 'classification',
    probabilities: true,
    interval: 'bootstrap',
    better: 'higher',
  },
  {
    key: 'average_precision',
    label: 'Average precision',
    task: 'classification',
    probabilities: true,
    interval: 'bootstrap',
    better: 'higher',
  },
  {
    key: 'brier',
    label: 'Brier score',
    task: 'classification',
    probabilities: true,
    interval: 'bootstrap',
    better: 'lower',
  },
  {
    key: 'top_2_accuracy',
    label: 'Top-2 accuracy',
    task: 'classification',
    probabilities: true,
    interval: 'wilson',
    better: 'higher',
  },
  {
    key: 'top_3_accuracy',
    label: 'Top-3 accuracy',
    task: 'classification',
    probabilities: true,
    interval: 'wilson',
    better: 'higher',
  },
  {
    key: 'mae',
    label: 'Mean absolute error',
    task: 'regression',
    probabilities: false,
    interval: 'bootstrap',
    better: 'lower',
  },
  {
    key: 'mse',
    label: 'Mean squared error',
    task: 'regression',
    probabilities: false,
    interval: 'bootstrap',
    better: 'lower',
  },
  {
    key: 'rmse',
    label: 'Root mean squared error',
    task: 'regression',
    probabilities: false,
    interval: 'bootstrap',
    better: 'lower',
  },
  { key: 'r2', label: 'R²', task: 'regression', probabilities: false, interval: 'bootstrap', better: 'higher' },
  {
    key: 'median_absolute_error',
    label: 'Median absolute error',
    task: 'regression',
    probabilities: false,
    interval: 'bootstrap',
    better: 'lower',
  },
  {
    key: 'max_error',
    label: 'Max error',
    task: 'regression',
    probabilities: false,
    interval: 'bootstrap',
    better: 'lower',
  },
  {
    key: 'mape',
    label: 'Mean absolute percentage error',
    task: 'regression',
    probabilities: false,
    interval: 'bootstrap',
    better: 'lower',
  },
] as const;

export type MetricInfo = (typeof METRIC_CATALOGUE)[number];
export type MetricKey = MetricInfo['key'];
/** Classification metrics from labels and predictions alone. */
export type LabelMetricKey = Extract<MetricInfo, { task: 'classification'; probabilities: false }>['key'];
export type ProbabilityMetricKey = Extract<MetricInfo, { probabilities: true }>['key'];
export type RegressionMetricKey = Extract<MetricInfo, { task: 'regression' }>['key'];

const BY_KEY = new Map<string, MetricInfo>(METRIC_CATALOGUE.map((m) => [m.key, m]));

/** A metric's entry, or undefined for a key that is not an overall metric. */
export const metricInfo = (key: string): MetricInfo | undefined => BY_KEY.get(key);
/** A metric's name on screen (the key itself when unknown). */
export const metricLabel = (key: string): string => BY_KEY.get(key)?.label ?? key;

export const LABEL_METRICS = METRIC_CATALOGUE.filter((m) => m.task === 'classification' && !m.probabilities).map(
  (m) => m.key,
) as LabelMetricKey[];
export const PROBABILITY_METRICS = METRIC_CATALOGUE.filter((m) => m.probabilities).map(
  (m) => m.key,
) as ProbabilityMetricKey[];
export const REGRESSION_METRICS = METRIC_CATALOGUE.filter((m) => m.task === 'regression').map(
  (m) => m.key,
) as RegressionMetricKey[];
